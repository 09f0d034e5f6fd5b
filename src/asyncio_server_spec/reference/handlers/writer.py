"""The calls a steered handler (:mod:`.steered`) makes on its StreamWriter:
each documented writing method by name, and a reply of a given size written
in pieces -- larger than the socket buffers, so that part of it waits in the
transport while the client reads."""

from __future__ import annotations

import asyncio
import functools
import struct
from typing import Any, Sequence

from .steered import Operation, method_call

#: The StreamWriter methods a step may have the handler call.
WRITER_METHODS = (
    "write",
    "writelines",
    "write_eof",
    "can_write_eof",
    "close",
    "is_closing",
    "wait_closed",
    "drain",
)


def writer_call(name: str, args: Sequence[Any] = ()) -> Operation:
    """The operation ``writer.<name>(*args)`` (awaited when it is a coroutine)."""
    return method_call("writer", WRITER_METHODS, name, args)


def reply(size: int) -> bytes:
    """*size* bytes in which every 4-byte word is its own index: a reply
    whose every lost, repeated or misplaced piece shows (*size* a multiple of 4)."""
    if size % 4:
        raise ValueError(f"a reply is made of 4-byte words; {size} is not a multiple of 4")
    return _words(size // 4)


@functools.lru_cache(maxsize=4)
def _words(count: int) -> bytes:
    return struct.pack(f">{count}I", *range(count))


def pieces(data: bytes, count: int) -> list:
    """*data* cut into *count* pieces of equal size (the last one takes the rest)."""
    size = len(data) // count
    return [data[i * size : (i + 1) * size if i < count - 1 else len(data)] for i in range(count)]


def write_in_pieces(data: bytes, count: int) -> Operation:
    """*count* write() calls one after the other, without drain(): the whole
    of *data*, queued faster than the client reads it."""

    def operation(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for piece in pieces(data, count):
            writer.write(piece)

    return operation


def write_then_writelines(data: bytes, writes: int, pieces_: int) -> Operation:
    """The first half of *data* in *writes* write() calls, then the second half
    in one writelines() call of *pieces_* pieces; no drain()."""
    half = len(data) // 2

    def operation(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for piece in pieces(data[:half], writes):
            writer.write(piece)
        writer.writelines(pieces(data[half:], pieces_))

    return operation


def first_difference(got: bytes, expected: bytes) -> str:
    """Where *got* first differs from *expected*, in words (for an assert message)."""
    for offset, (a, b) in enumerate(zip(got, expected)):
        if a != b:
            return (
                f"byte {offset} differs (word {offset // 4}: got "
                f"{got[offset - offset % 4 : offset - offset % 4 + 4]!r}, expected "
                f"{expected[offset - offset % 4 : offset - offset % 4 + 4]!r})"
            )
    if len(got) != len(expected):
        return f"{len(got)} bytes instead of {len(expected)}, the same up to there"
    return "no difference"
