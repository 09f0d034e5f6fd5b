"""The connection handlers the spec gives its servers.

**Named handlers.**  ``echo`` (send back what arrives until EOF), ``hold``
(keep the connection open until the record releases it), ``close`` (close
at once), ``raise`` (fail with :class:`HandlerFailure`).  Each exists twice:
as a streams callback for ``start_server`` / ``start_unix_server``
(:func:`stream_handler`) and as a protocol for ``loop.create_server`` /
``loop.create_unix_server`` (:func:`protocol_factory`).  Both report to a
:class:`~.record.ServerRecord`.

**Watched handlers** (:class:`Watch`, :func:`watched_handler` and the
bodies below it), written for one observation each.  They keep no strong
reference to their task or their writer, so what the server does once a
handler has ended -- report it, close the connection, or let the garbage
collector do it -- is exactly what the loop itself does.

**Handlers that report what they read** (:func:`reporting_handler`): the
reader limit and the reading methods, told to the client as one line.

**Bulk writers** (:func:`bulk_writer`): a reply queued faster than the
client reads it, for what close_clients(), abort_clients() and the TLS
shutdown timeout do with unsent data.

Beside them, :func:`context_reporting_handler` tells each client which value
of :data:`PROBE_VARIABLE` it runs with, to show in which context a server
runs its handlers.
"""

import asyncio
import contextvars
import weakref
from typing import Awaitable, Callable, Dict, Optional

from . import sockets
from .record import ServerRecord

StreamHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

HANDLER_NAMES = ("echo", "hold", "close", "raise")
READ_SIZE = 65536

#: What the watched handlers send.
GREETING = b"hello from the handler\n"
PROBE = b"still open?\n"
IN_A_TASK = b"in a task\n"
NOT_IN_A_TASK = b"not in a task\n"


class HandlerFailure(Exception):
    """The deliberate failure raised by the ``raise`` handler and the failing watched handlers."""


async def _close_writer(writer: asyncio.StreamWriter) -> None:
    writer.close()
    try:
        await writer.wait_closed()
    except (ConnectionError, OSError):
        pass  # the peer went first; the writer is closed either way


# -- named handlers ------------------------------------------------------------------
async def _echo(reader, writer, record):
    while True:
        data = await reader.read(READ_SIZE)
        if not data:
            break
        record.add_received(data)
        writer.write(data)
        await writer.drain()
    await _close_writer(writer)


async def _hold(reader, writer, record):
    await record.hold_token()
    await _close_writer(writer)


async def _close(reader, writer, record):
    await _close_writer(writer)


async def _raise(reader, writer, record):
    raise HandlerFailure("the raise handler failed on purpose")


_BODIES = {"echo": _echo, "hold": _hold, "close": _close, "raise": _raise}


def _check_name(name: str) -> None:
    if name not in _BODIES:
        raise ValueError(
            "unknown handler {!r}; known handlers: {}".format(name, ", ".join(HANDLER_NAMES))
        )


def stream_handler(name: str, record: ServerRecord) -> StreamHandler:
    """A ``client_connected_cb`` for ``start_server`` that behaves as *name*."""
    _check_name(name)
    body = _BODIES[name]

    async def handler(reader, writer):
        record.peers.append(writer.get_extra_info("peername"))
        record.handler_tasks.append(asyncio.current_task())
        record.writers.append(writer)
        record.count("accepted")
        record.count("handlers_started")
        try:
            await body(reader, writer, record)
        except BaseException as exc:
            record.add_error(exc)
            raise
        finally:
            record.count("handlers_finished")

    handler.__name__ = f"{name}_handler"
    return handler


class RecordingProtocol(asyncio.Protocol):
    """A protocol for ``loop.create_server`` that behaves as a named handler."""

    def __init__(self, name: str, record: ServerRecord):
        _check_name(name)
        self.name = name
        self.record = record
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.record.transports.append(transport)
        self.record.peers.append(transport.get_extra_info("peername"))
        self.record.count("accepted")
        self.record.count("handlers_started")
        if self.name == "close":
            transport.close()
        elif self.name == "hold":
            self.record.hold_token().add_done_callback(lambda _: transport.close())
        elif self.name == "raise":
            exc = HandlerFailure("the raise protocol failed on purpose")
            self.record.add_error(exc)
            raise exc

    def data_received(self, data):
        self.record.add_received(data)
        if self.name == "echo":
            self.transport.write(data)

    def eof_received(self):
        return False  # let the transport close itself

    def connection_lost(self, exc):
        self.record.count("handlers_finished")


def protocol_factory(name: str, record: ServerRecord) -> Callable[[], asyncio.Protocol]:
    """A protocol factory for ``loop.create_server`` that behaves as *name*."""
    _check_name(name)
    return lambda: RecordingProtocol(name, record)


# -- watched handlers ------------------------------------------------------------------
class Watch:
    """What the watched handler of one scenario saw, and when it ended.

    - :attr:`transport`: the connection's transport, to check the connection
      from the server's side (a strong reference to it does not keep the
      writer alive);
    - :attr:`ended`: a future that resolves once the handler's task has ended
      *and* every done-callback the server added before it has run (ours is
      added from inside the handler, so it runs after the server's own);
    - :attr:`task`: the handler's task, or None once it is gone (weakly held);
    - :attr:`notes`: what the handler saw.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, record: ServerRecord):
        self.record = record
        self.notes: Dict[str, object] = {}
        self.transport: Optional[asyncio.BaseTransport] = None
        self.ended: asyncio.Future = loop.create_future()
        self._task_ref = None

    @property
    def task(self) -> Optional[asyncio.Task]:
        return self._task_ref() if self._task_ref is not None else None

    def saw_connection(self, reader, writer) -> None:
        """Note the connection: its transport, the types of the handler's arguments."""
        self.transport = writer.transport
        self.record.transports.append(writer.transport)  # for cleanup; keeps the writer collectable
        self.notes["arguments"] = (type(reader).__name__, type(writer).__name__)
        self.record.count("accepted")

    def watch_current_task(self) -> None:
        """Note the running task weakly and learn when it ends."""
        task = asyncio.current_task()
        if task is None:  # not run as a task: nothing to watch
            return
        self._task_ref = weakref.ref(task)
        ended = self.ended

        def done(_task):
            if not ended.done():
                ended.set_result(None)

        task.add_done_callback(done)
        # no local name for the task may outlive this call: a traceback of the
        # handler's frame must not keep it alive


Body = Callable[[asyncio.StreamReader, asyncio.StreamWriter, Dict[str, object]], Awaitable[None]]


def watched_handler(watch: Watch, body: Body) -> StreamHandler:
    """An ``async def`` handler that notes the connection on *watch* and runs
    ``body(reader, writer, notes)``."""

    async def handler(reader, writer):
        watch.saw_connection(reader, writer)
        watch.watch_current_task()
        await body(reader, writer, watch.notes)

    return handler


async def tell_whether_in_task(reader, writer, notes):
    """Tell the client whether the handler runs in an asyncio Task, and close."""
    task = asyncio.current_task()
    notes["in_task"] = isinstance(task, asyncio.Task)
    writer.write(IN_A_TASK if notes["in_task"] else NOT_IN_A_TASK)
    await writer.drain()
    writer.close()


async def fail(reader, writer, notes):
    """Raise :class:`HandlerFailure` at once, keeping the writer alive: only
    the server's own reaction may then close the connection."""
    notes["writer"] = writer
    raise HandlerFailure("the handler failed on purpose")


async def wait_for_client(reader, writer, notes):
    """Wait for the client to send something, noting a cancellation; the
    writer is kept, so only the server's own reaction may close the connection."""
    notes["writer"] = writer
    try:
        await reader.read(1)
    except asyncio.CancelledError:
        notes["cancelled"] = True
        raise


async def greet_and_return(reader, writer, notes):
    """Send the greeting and return without closing the writer."""
    writer.write(GREETING)
    await writer.drain()


async def do_nothing(reader, writer, notes):
    """Return at once (the seed tutorial's handler)."""


async def read_everything(reader, writer, notes):
    """Read to the end of the stream, note what was read and whether the reader is at EOF, and close."""
    notes["read"] = await reader.read()
    notes["at_eof"] = reader.at_eof()
    writer.close()


def greeting_plain_handler(watch: Watch) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], None]:
    """A plain (non-coroutine) handler that writes the greeting and closes the writer."""

    def handler(reader, writer):
        watch.saw_connection(reader, writer)
        writer.write(GREETING)
        writer.close()

    return handler


def failing_plain_handler(watch: Watch) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], None]:
    """A plain handler that fails as soon as it is called, keeping its writer
    (as the failing coroutine handler does)."""

    def handler(reader, writer):
        watch.saw_connection(reader, writer)
        watch.notes["writer"] = writer
        raise HandlerFailure("the plain handler failed on purpose")

    return handler


# -- handlers that report what they read -----------------------------------------------
Read = Callable[[asyncio.StreamReader], Awaitable[str]]


def reporting_handler(read: Read, record: ServerRecord) -> StreamHandler:
    """A handler that awaits ``read(reader)`` -- which returns the report of
    what it got, as text -- and sends the client that report as one line
    (or what the read failed with); it then reads on to the end of the
    connection, so that closing it never discards unread input."""

    async def handler(reader, writer):
        record.transports.append(writer.transport)  # for cleanup
        try:
            report = await read(reader)
        except Exception as exc:  # the failure *is* the report
            report = f"failed with {type(exc).__name__}"
        writer.write(report.encode() + b"\n")
        try:
            while await reader.read(READ_SIZE):
                pass
        except (ConnectionError, OSError):
            pass
        writer.close()

    return handler


def line_read(method: str) -> Read:
    """Read one line with *method* (``readline`` or ``readuntil``) and report
    how long it was, or what the call failed with."""
    if method not in ("readline", "readuntil"):
        raise ValueError(f"{method!r} reads no line; readline or readuntil does")

    async def read_line(reader):
        try:
            if method == "readline":
                line = await reader.readline()
            else:
                line = await reader.readuntil(b"\n")
        except Exception as exc:
            return f"{method}() failed with {type(exc).__name__}"
        return f"{method}() returned a line of {len(line)} bytes"

    return read_line


def single_read(n: int) -> Read:
    """Call read(*n*) once and report how many bytes it returned."""

    async def read_once(reader):
        data = await reader.read(n)
        return f"read({n}) returned {len(data)} bytes"

    return read_once


# -- bulk writers --------------------------------------------------------------------------
def bulk_writer(record: ServerRecord, size: int, ended: Optional[asyncio.Future] = None) -> StreamHandler:
    """A handler that queues *size* bytes through a small kernel send buffer
    (no drain: the client is not reading), then reads until the client ends
    its side of the connection.

    Without *ended*, it then closes its writer.  With *ended* (a future), it
    waits for its own side of the connection to be gone and resolves *ended*
    with the loop's time at that moment."""

    async def handler(reader, writer):
        record.writers.append(writer)
        sockets.shrink_send_buffer(writer)
        writer.write(b"x" * size)
        record.count("accepted")
        try:
            await reader.read()  # until the client's end of the stream
            if ended is not None:
                await writer.wait_closed()  # until the server's side of the connection is gone
        except (ConnectionError, OSError):  # TimeoutError('SSL shutdown timed out') included
            pass
        finally:
            if ended is None:
                writer.close()
                record.count("handlers_finished")
            elif not ended.done():
                ended.set_result(asyncio.get_running_loop().time())

    return handler


# -- the context a handler runs in ---------------------------------------------------------
#: The context variable :func:`context_reporting_handler` reports.
PROBE_VARIABLE = contextvars.ContextVar("asyncio_server_spec_probe", default="unset")


def context_reporting_handler(record: ServerRecord) -> StreamHandler:
    """A ``client_connected_cb`` that sends the client the value of
    :data:`PROBE_VARIABLE` it runs with, as one line, and closes."""

    async def handler(reader, writer):
        record.writers.append(writer)
        record.count("accepted")
        writer.write(PROBE_VARIABLE.get().encode() + b"\n")
        await _close_writer(writer)

    return handler
