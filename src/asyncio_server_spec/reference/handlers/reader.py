"""The calls a steered handler (:mod:`.steered`) makes on its StreamReader:
each documented reading method, by name, with the arguments a step gives."""

from __future__ import annotations

import asyncio
from typing import Any, Sequence

from .steered import Operation

#: The StreamReader methods a step may have the handler call.
READER_METHODS = ("read", "readline", "readuntil", "readexactly", "at_eof")


def reader_call(name: str, args: Sequence[Any] = ()) -> Operation:
    """The operation ``reader.<name>(*args)`` (awaited when it is a coroutine)."""
    if name not in READER_METHODS:
        raise ValueError(f"{name!r} is not one of the reader methods {READER_METHODS}")
    args = tuple(args)

    def operation(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Any:
        return getattr(reader, name)(*args)

    return operation
