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
