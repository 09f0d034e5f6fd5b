"""A correct loop on a machine where another process takes every port the
moment a server lets it go: each close() has a helper process listen on all
interfaces at the closed server's port before close() returns.  The server
did close, so the spec must pass; a refusal check that trusted any accepted
connection would fail every close scenario."""

import asyncio
import atexit
import os
import subprocess
import sys

_THIEF = r"""
import socket, sys
kept = []
for line in sys.stdin:
    port = int(line)
    for family, host in ((socket.AF_INET, "0.0.0.0"),):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port)); s.listen(8); kept.append(s); answer = "took"
        except OSError as exc:
            s.close(); answer = "failed %s" % exc.errno
    sys.stdout.write(answer + "\n"); sys.stdout.flush()
"""
_thief = {}


def _steal(port):
    process = _thief.get("process")
    if process is None:
        process = subprocess.Popen(
            [sys.executable, "-c", _THIEF],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            universal_newlines=True,
        )
        _thief["process"] = process
        atexit.register(process.kill)
    process.stdin.write(f"{port}\n")
    process.stdin.flush()
    answer = process.stdout.readline().strip()
    log = os.environ.get("PORT_THIEF_LOG")
    if log:  # the soak test counts the thefts, to know its runs met them
        with open(log, "a") as out:
            out.write(f"{os.getpid()} {port} {answer}\n")


class _ThiefLoop(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        server = await super().create_server(*args, **kwargs)
        ports = {s.getsockname()[1] for s in server.sockets}
        close = server.close

        def close_then_lose_the_port():
            close()
            for port in ports:
                _steal(port)

        server.close = close_then_lose_the_port
        return server


def port_thief():
    return _ThiefLoop()
