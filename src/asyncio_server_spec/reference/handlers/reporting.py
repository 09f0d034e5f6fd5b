"""Handlers that report what they read: the reader limit and the reading
methods, told to the client as one line."""

import asyncio
from typing import Awaitable, Callable

from ..record import ServerRecord
from .base import READ_SIZE, StreamHandler

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
