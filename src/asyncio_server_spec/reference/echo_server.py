"""The reference echo server, as ``python -m asyncio_server_spec serve`` runs it.

It listens on TCP or on a Unix socket with the spec's echo handler, prints
the address it listens on, and serves until SIGINT or SIGTERM (or until its
*stop* event is set); then it closes the server, ends the open client
connections and waits for them (at most :data:`SHUTDOWN_TIMEOUT` seconds).
"""

import asyncio
import signal
import sys

from . import servers
from .record import ServerRecord
from .waiting import WaitTimeout, within

#: Seconds the shutdown may wait for open connections to end.
SHUTDOWN_TIMEOUT = 5.0
#: The signals that stop it.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class CannotListen(Exception):
    """The server could not listen where it was asked; the message is one line."""


def describe(server, unix_path):
    """Where *server* listens, as the first line it prints says it."""
    if unix_path is not None:
        return "unix:" + unix_path
    return ", ".join("{}:{}".format(*addr[:2]) for addr in servers.listening_addresses(server))


async def serve(host="127.0.0.1", port=0, unix=None, stop=None, out=None, ready=None):
    """Serve on *host*:*port* (or the Unix socket *unix*) until *stop* (an
    :class:`asyncio.Event`) is set or a stop signal arrives; return 0.

    *ready*, a future, gets the listening address once clients can connect."""
    loop = asyncio.get_running_loop()
    stop = stop or asyncio.Event()
    out = out or sys.stdout
    record = ServerRecord()
    try:
        if unix is not None:
            server = await servers.create("start_unix_server", "echo", record, path=unix)
        else:
            server = await servers.create("start_server", "echo", record, host=host, port=port)
    except OSError as exc:
        target = "unix:" + unix if unix is not None else f"{host}:{port}"
        raise CannotListen(f"cannot listen on {target}: {exc.strerror or exc}")
    for signum in STOP_SIGNALS:
        try:
            loop.add_signal_handler(signum, stop.set)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or a loop without signal support
    where = describe(server, unix)
    print("listening on " + where, file=out, flush=True)
    if ready is not None:
        ready.set_result(where)
    try:
        await stop.wait()
    finally:
        for signum in STOP_SIGNALS:
            try:
                loop.remove_signal_handler(signum)
            except (NotImplementedError, RuntimeError, ValueError):
                pass
        await shut_down(server, record, out)
    return 0


async def shut_down(server, record, out):
    """Stop listening, end open connections, wait for them, all bounded."""
    server.close()
    for writer in record.writers:
        writer.close()  # the echo handler sees EOF and finishes by itself
    handlers = [task for task in record.handler_tasks if not task.done()]
    try:
        if handlers:
            await within(
                asyncio.gather(*handlers, return_exceptions=True),
                "open connections to end",
                SHUTDOWN_TIMEOUT,
            )
        await within(server.wait_closed(), "the server to close", SHUTDOWN_TIMEOUT)
    except WaitTimeout as exc:
        print(f"shutdown incomplete: {exc}", file=out, flush=True)
    print(f"closed ({record.accepted} connection(s) served)", file=out, flush=True)


def run(new_loop, **where):
    """:func:`serve` (*where*: its ``host``, ``port`` or ``unix``) on a fresh
    loop made by *new_loop*, closed afterwards; return its exit status."""
    loop = new_loop()
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(serve(**where))
    finally:
        asyncio.set_event_loop(None)
        loop.close()
