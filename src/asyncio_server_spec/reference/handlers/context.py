"""The context a handler runs in: :func:`context_reporting_handler` tells
each client which value of :data:`PROBE_VARIABLE` it runs with."""

import contextvars

from ..record import ServerRecord
from .base import StreamHandler, close_writer

#: The context variable :func:`context_reporting_handler` reports.
PROBE_VARIABLE = contextvars.ContextVar("asyncio_server_spec_probe", default="unset")


def context_reporting_handler(record: ServerRecord) -> StreamHandler:
    """A ``client_connected_cb`` that sends the client the value of
    :data:`PROBE_VARIABLE` it runs with, as one line, and closes."""

    async def handler(reader, writer):
        record.writers.append(writer)
        record.count("accepted")
        writer.write(PROBE_VARIABLE.get().encode() + b"\n")
        await close_writer(writer)

    return handler
