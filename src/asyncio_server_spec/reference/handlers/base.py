"""What every handler module shares: the handler type, the deliberate failure,
and closing a writer whatever the peer did."""

import asyncio
from typing import Awaitable, Callable

StreamHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

#: How much a handler asks for in one read().
READ_SIZE = 65536


class HandlerFailure(Exception):
    """The deliberate failure of the handlers that fail on purpose."""


async def close_writer(writer: asyncio.StreamWriter) -> None:
    """Close *writer* and wait until it is closed; a peer that went first is no error."""
    writer.close()
    try:
        await writer.wait_closed()
    except (ConnectionError, OSError):
        pass  # the peer went first; the writer is closed either way


async def echo_to_the_end(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Send back what arrives until the client ends its side, then close; a
    client that goes first (a reset, an ssl.SSLError) is no error."""
    try:
        while True:
            data = await reader.read(READ_SIZE)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    await close_writer(writer)
