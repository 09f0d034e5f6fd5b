"""The named handlers: ``echo`` (send back what arrives until EOF, or until
the client resets the connection), ``hold``
(keep the connection open until the record releases it), ``close`` (close
at once), ``raise`` (fail with :class:`~.base.HandlerFailure`).

Each exists twice: as a streams callback for ``start_server`` /
``start_unix_server`` (:func:`stream_handler`) and as a protocol for
``loop.create_server`` / ``loop.create_unix_server``
(:func:`protocol_factory`).  Both report to a :class:`~..record.ServerRecord`.
"""

import asyncio
from typing import Callable

from ..record import ServerRecord
from .base import READ_SIZE, HandlerFailure, StreamHandler, close_writer

HANDLER_NAMES = ("echo", "hold", "close", "raise")


async def _echo(reader, writer, record):
    try:
        while True:
            data = await reader.read(READ_SIZE)
            if not data:
                break
            record.add_received(data)
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass  # the client left with a reset (as the load's clients do), as the protocol takes it
    await close_writer(writer)


async def _hold(reader, writer, record):
    await record.hold_token()
    await close_writer(writer)


async def _close(reader, writer, record):
    await close_writer(writer)


async def _raise(reader, writer, record):
    raise HandlerFailure("the raise handler failed on purpose")


_BODIES = {"echo": _echo, "hold": _hold, "close": _close, "raise": _raise}


def _check_name(name: str) -> None:
    if name not in _BODIES:
        raise ValueError("unknown handler {!r}; known handlers: {}".format(name, ", ".join(HANDLER_NAMES)))


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
