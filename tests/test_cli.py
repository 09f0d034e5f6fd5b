import asyncio
import io
import os
import signal
import subprocess
import sys

import pytest

from asyncio_server_spec import cli
from asyncio_server_spec.reference import echo_server
from asyncio_server_spec.reference.client import Client
from asyncio_server_spec.reference.probes import is_refused
from asyncio_server_spec.reference.waiting import within


# -- bad input: one line, exit 2 ------------------------------------------------
@pytest.mark.parametrize(
    "argv, message",
    [
        (["serve", "--port", "70000"], "argument --port: 70000 is out of range; a port is 0-65535"),
        (["serve", "--port", "http"], "argument --port: 'http' is not a port number (0-65535)"),
        (["serve", "--loop", "nonesuch"], "unknown loop 'nonesuch'; accepted: asyncio, uvloop, rloop"),
        (["serve", "--colour"], "unrecognized arguments: --colour"),
        ([], "the following arguments are required: {serve,trace,report,run,survey,expectations}"),
        (["serve", "--unix", "/nonexistent-dir/s.sock"], "cannot listen on unix:/nonexistent-dir/s.sock"),
    ],
)
def test_bad_arguments_print_one_line_and_exit_2(argv, message, capsys):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("asyncio_server_spec: error: ")
    assert message in lines[0]
    assert captured.out == ""


def test_a_port_in_use_is_a_usage_error(capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


# -- serving in-process ---------------------------------------------------------------
async def _serve_until_stopped(argv, talk):
    options = cli.parse_args(argv)
    stop, out = asyncio.Event(), io.StringIO()
    ready = asyncio.get_running_loop().create_future()
    server = asyncio.ensure_future(
        echo_server.serve(options.host, options.port, options.unix, stop=stop, out=out, ready=ready)
    )
    await talk(await within(ready, "the server to listen"))
    stop.set()
    assert await within(server, "serve() to return") == 0
    return out.getvalue()


async def test_serve_echoes_over_tcp_and_closes_its_clients():
    async def talk(address):
        host, port = address.rsplit(":", 1)
        client = await Client.connect((host, int(port)))
        assert await client.echo(b"hi") == b"hi"
        talk.client, talk.address = client, (host, int(port))

    output = await _serve_until_stopped(["serve"], talk)
    assert output.startswith("listening on 127.0.0.1:")
    assert output.rstrip().endswith("closed (1 connection(s) served)")
    assert await talk.client.sees_eof()
    await talk.client.close()
    assert await is_refused(talk.address)


async def test_serve_echoes_over_a_unix_socket(tmp_path):
    path = str(tmp_path / "cli.sock")

    async def talk(address):
        assert address == "unix:" + path
        client = await Client.connect(path)
        assert await client.echo(b"unix") == b"unix"
        await client.close()

    output = await _serve_until_stopped(["serve", "--unix", path], talk)
    assert "closed (1 connection(s) served)" in output


async def test_shutdown_reports_connections_that_do_not_end(monkeypatch):
    monkeypatch.setattr(echo_server, "SHUTDOWN_TIMEOUT", 0.05)

    class StuckWriter:
        def close(self):
            pass

    class Record:
        writers = [StuckWriter()]
        handler_tasks = [asyncio.ensure_future(asyncio.get_running_loop().create_future())]
        accepted = 1

    class Server:
        def close(self):
            pass

        async def wait_closed(self):
            pass

    out = io.StringIO()
    await echo_server.shut_down(Server(), Record, out)
    Record.handler_tasks[0].cancel()
    assert "shutdown incomplete: timed out after 0.05 s waiting for open connections to end" in out.getvalue()


def test_run_uses_a_fresh_loop_and_closes_it(monkeypatch):
    seen = []

    async def fake_serve(**where):
        seen.append((asyncio.get_running_loop(), where))
        return 0

    monkeypatch.setattr(echo_server, "serve", fake_serve)
    assert cli.main(["serve", "--port", "9"]) == 0
    loop, where = seen[0]
    assert loop.is_closed() and where == {"host": "127.0.0.1", "port": 9, "unix": None}


# -- the real process and its signals ----------------------------------------------------
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_server_process_stops_cleanly_on_a_signal(signum):
    proc = subprocess.Popen(
        [sys.executable, "-m", "asyncio_server_spec", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
    )
    try:
        first = proc.stdout.readline()
        assert first.startswith("listening on 127.0.0.1:"), first + proc.stderr.read()
        port = int(first.rsplit(":", 1)[1])
        import socket

        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"ping")
            assert sock.recv(4) == b"ping"
            os.kill(proc.pid, signum)
            assert sock.recv(4) == b""  # the server closed our connection
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.strip() == "closed (1 connection(s) served)"
    assert err == ""
