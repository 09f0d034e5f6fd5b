"""Bulk writers: a reply queued faster than the client reads it, for what
close_clients(), abort_clients() and the TLS shutdown timeout do with
unsent data."""

import asyncio
from typing import Optional

from .. import sockets
from ..record import ServerRecord
from .base import StreamHandler


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
