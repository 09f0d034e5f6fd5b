"""The calls a steered handler (:mod:`.steered`) makes on its StreamReader:
each documented reading method, by name, with the arguments a step gives."""

from __future__ import annotations

from typing import Any, Sequence

from .steered import Operation, method_call

#: The StreamReader methods a step may have the handler call.
READER_METHODS = ("read", "readline", "readuntil", "readexactly", "at_eof")


def reader_call(name: str, args: Sequence[Any] = ()) -> Operation:
    """The operation ``reader.<name>(*args)`` (awaited when it is a coroutine)."""
    return method_call("reader", READER_METHODS, name, args)
