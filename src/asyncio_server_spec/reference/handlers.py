"""The named connection handlers the spec uses.

Each handler exists twice: as a streams callback for ``start_server`` /
``start_unix_server`` and as a protocol for ``loop.create_server`` /
``loop.create_unix_server``.  Both report to a :class:`~.record.ServerRecord`.

Names: ``echo`` (send back what arrives until EOF), ``hold`` (keep the
connection open until the record releases it), ``close`` (close at once),
``raise`` (fail with :class:`HandlerFailure`).

Beside them, :func:`context_reporting_handler` tells each client which value
of :data:`PROBE_VARIABLE` it runs with, to show in which context variables'
context a server runs its handlers.
"""

import asyncio
import contextvars

HANDLER_NAMES = ("echo", "hold", "close", "raise")
READ_SIZE = 65536

#: What the handlers written for one observation each (steps/handler_steps.py) send.
GREETING = b"hello from the handler\n"
PROBE = b"still open?\n"
IN_A_TASK = b"in a task\n"
NOT_IN_A_TASK = b"not in a task\n"


class HandlerFailure(Exception):
    """The deliberate failure raised by the ``raise`` handler."""


async def _close_writer(writer):
    writer.close()
    try:
        await writer.wait_closed()
    except (ConnectionError, OSError):
        pass  # the peer went first; the writer is closed either way


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


def _check_name(name):
    if name not in _BODIES:
        raise ValueError(
            "unknown handler {!r}; known handlers: {}".format(name, ", ".join(HANDLER_NAMES))
        )


def stream_handler(name, record):
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


#: The context variable :func:`context_reporting_handler` reports.
PROBE_VARIABLE = contextvars.ContextVar("asyncio_server_spec_probe", default="unset")


def context_reporting_handler(record):
    """A ``client_connected_cb`` that sends the client the value of
    :data:`PROBE_VARIABLE` it runs with, as one line, and closes."""

    async def handler(reader, writer):
        record.writers.append(writer)
        record.count("accepted")
        writer.write(PROBE_VARIABLE.get().encode() + b"\n")
        await _close_writer(writer)

    return handler


class RecordingProtocol(asyncio.Protocol):
    """A protocol for ``loop.create_server`` that behaves as a named handler."""

    def __init__(self, name, record):
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


def protocol_factory(name, record):
    """A protocol factory for ``loop.create_server`` that behaves as *name*."""
    _check_name(name)
    return lambda: RecordingProtocol(name, record)
