"""Deviants of the handler's StreamReader and StreamWriter
(features/stream_reader.feature, features/stream_writer.feature).

Each factory patches asyncio.streams once (a deviant run is a process of its
own) so that the reader, or the writer, of every *server* connection -- one
made for a client_connected_cb -- is of a subclass with one behaviour broken,
and returns a plain new loop.  The spec's clients keep the real classes.
Where a deviant reader changes readuntil(), the readline() built on it keeps
the real behaviour, so that only the scenarios about readuntil() catch it.
"""

import asyncio
import asyncio.streams as streams
import functools

from . import deviant

_applied = set()


def _patch_once(apply):
    if apply not in _applied:
        _applied.add(apply)
        apply()


def _server_readers(cls):
    """Make the reader of every server connection a *cls*."""

    def apply():
        original = streams.StreamReaderProtocol.__init__

        @functools.wraps(original)
        def __init__(self, stream_reader, client_connected_cb=None, *args, **kwargs):
            if client_connected_cb is not None:
                stream_reader.__class__ = cls
            original(self, stream_reader, client_connected_cb, *args, **kwargs)

        streams.StreamReaderProtocol.__init__ = __init__

    return apply


def _server_writers(cls):
    """Make the writer of every server connection a *cls*."""

    def apply():
        original = streams.StreamWriter.__init__

        @functools.wraps(original)
        def __init__(self, transport, protocol, *args, **kwargs):
            original(self, transport, protocol, *args, **kwargs)
            if getattr(protocol, "_client_connected_cb", None) is not None:
                self.__class__ = cls

        streams.StreamWriter.__init__ = __init__

    return apply


def _factory(apply):
    """A loop factory: *apply* patches asyncio.streams (once), then a new loop."""

    def factory():
        _patch_once(apply)
        return asyncio.new_event_loop()

    return factory


def _take(reader, n):
    """Remove and return the first *n* bytes of *reader*'s buffer."""
    data = bytes(reader._buffer[:n])
    del reader._buffer[:n]
    reader._maybe_resume_transport()
    return data


# -- readers ---------------------------------------------------------------------------------
class _Reader(streams.StreamReader):
    """A reader whose readline() says so while it runs, so that a deviant
    readuntil() can keep the real behaviour for it."""

    _in_readline = False

    async def readline(self):
        self._in_readline = True
        try:
            return await super().readline()
        finally:
            self._in_readline = False


class _ReadIgnoresN(_Reader):
    async def read(self, n=-1):
        if n > 0 and self._buffer:
            return _take(self, len(self._buffer))  # more than n, when more is there
        return await super().read(n)


class _ReadToEofStopsEarly(_Reader):
    async def read(self, n=-1):
        if n < 0:
            if not self._buffer and not self._eof:
                await self._wait_for_data("read")
            return _take(self, len(self._buffer))  # what is there, not everything to the end
        return await super().read(n)


class _ReadlineReturnsPartialLine(_Reader):
    async def readline(self):
        if not self._buffer and not self._eof:
            await self._wait_for_data("readline")
        if b"\n" not in self._buffer and not self._eof and len(self._buffer) <= self._limit:
            return _take(self, len(self._buffer))  # the start of a line, not waiting for its end
        return await super().readline()


class _ReadlineDropsLastPartial(_Reader):
    async def readline(self):
        line = await super().readline()
        return line if line.endswith(b"\n") else b""  # the last bytes before the end are lost


class _ReaduntilDropsSeparator(_Reader):
    async def readuntil(self, separator=b"\n"):
        chunk = await super().readuntil(separator)
        if self._in_readline:
            return chunk
        for sep in sorted(separator if isinstance(separator, tuple) else (separator,), key=len, reverse=True):
            if chunk.endswith(sep):
                return chunk[: -len(sep)]
        return chunk


class _ReaduntilKeepsBufferAtEof(_Reader):
    async def readuntil(self, separator=b"\n"):
        try:
            return await super().readuntil(separator)
        except asyncio.IncompleteReadError as exc:
            if not self._in_readline:
                self._buffer[:0] = exc.partial  # not reset: the partial is still there
            raise


class _ReaduntilFirstSeparatorOnly(_Reader):
    async def readuntil(self, separator=b"\n"):
        if isinstance(separator, tuple) and separator:
            separator = separator[0]
        return await super().readuntil(separator)


class _ReaduntilAcceptsTuples(_Reader):
    """3.13's tuple of separators, before 3.13 (without the limit)."""

    async def readuntil(self, separator=b"\n"):
        if not isinstance(separator, tuple):
            return await super().readuntil(separator)
        while True:
            ends = [self._buffer.find(sep) + len(sep) for sep in separator if self._buffer.find(sep) != -1]
            if ends:
                return _take(self, min(ends))
            if self._eof:
                raise asyncio.IncompleteReadError(_take(self, len(self._buffer)), None)
            await self._wait_for_data("readuntil")


class _LimitErrorDiscardsBuffer(_Reader):
    async def readuntil(self, separator=b"\n"):
        try:
            return await super().readuntil(separator)
        except asyncio.LimitOverrunError:
            if not self._in_readline:
                self._buffer.clear()  # not left to be read again
                self._maybe_resume_transport()
            raise


class _ReadlineLimitErrorKeepsBuffer(_Reader):
    async def readline(self):
        try:
            return await self.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:
            return exc.partial
        except asyncio.LimitOverrunError as exc:
            raise ValueError(exc.args[0])  # the too-long line is left in the buffer


class _ReadexactlyReturnsEarly(_Reader):
    async def readexactly(self, n):
        if n > 0 and not self._eof:
            if not self._buffer:
                await self._wait_for_data("readexactly")
            if 0 < len(self._buffer) < n and not self._eof:
                return _take(self, len(self._buffer))  # fewer than n, the stream still open
        return await super().readexactly(n)


class _ReadexactlyShortAtEof(_Reader):
    async def readexactly(self, n):
        try:
            return await super().readexactly(n)
        except asyncio.IncompleteReadError as exc:
            return exc.partial  # short, with no error


class _AtEofTooEarly(_Reader):
    def at_eof(self):
        return self._eof  # True with data still buffered


# -- writers ---------------------------------------------------------------------------------
class _WriterDropsUnderBackpressure(streams.StreamWriter):
    def write(self, data):
        if self.transport.get_write_buffer_size():
            return  # the transport still holds unsent data: this is lost
        super().write(data)

    def writelines(self, data):
        for piece in data:
            self.write(piece)


class _DrainNeverWaits(streams.StreamWriter):
    async def drain(self):
        if self.transport.is_closing():
            await super().drain()  # (a closed writer's error stays)
        # otherwise returns at once, however much the transport holds


class _WriteEofCloses(streams.StreamWriter):
    def write_eof(self):
        self.transport.close()  # both directions, not only the server's


class _CannotWriteEof(streams.StreamWriter):
    def can_write_eof(self):
        return False


class _IsClosingLate(streams.StreamWriter):
    def is_closing(self):
        return bool(getattr(self._protocol, "_connection_lost", False))  # only once it is gone


class _WriteAfterCloseRaises(streams.StreamWriter):
    def write(self, data):
        if self.transport.is_closing():
            raise RuntimeError("the writer is closed")
        super().write(data)


def _named(cls, name):
    """*cls*, named as the class it stands in for (a step checks the handler's
    arguments' class names)."""
    cls.__name__ = cls.__qualname__ = name
    return cls


def _reader(cls):
    return _factory(_server_readers(_named(cls, "StreamReader")))


def _writer(cls):
    return _factory(_server_writers(_named(cls, "StreamWriter")))


_BOTH = ("start_server", "start_unix_server")


def _ids(slug):
    return [f"stream-reader.{slug}-{api}" for api in _BOTH]


def _writer_ids(slug):
    return [f"stream-writer.{slug}-{api}" for api in _BOTH]


deviant("read_ignores_n", *_ids("read"))(_reader(_ReadIgnoresN))
deviant("read_to_eof_stops_early", *_ids("read"))(_reader(_ReadToEofStopsEarly))
deviant("readline_returns_partial_line", *_ids("readline"))(_reader(_ReadlineReturnsPartialLine))
deviant("readline_drops_last_partial", *_ids("readline"))(_reader(_ReadlineDropsLastPartial))
_drops_separator = _reader(_ReaduntilDropsSeparator)
deviant("readuntil_drops_separator", *_ids("readuntil"))(_drops_separator)
deviant("readuntil_drops_separator", *_ids("readuntil-tuple"), python=">=3.13")(_drops_separator)
deviant("readuntil_keeps_buffer_at_eof", *_ids("readuntil"))(_reader(_ReaduntilKeepsBufferAtEof))
_first_separator_only = _reader(_ReaduntilFirstSeparatorOnly)
deviant("readuntil_first_separator_only", *_ids("readuntil-tuple"), python=">=3.13")(_first_separator_only)
deviant("readuntil_first_separator_only", *_ids("readuntil-tuple-type-error"), python="<3.13")(
    _first_separator_only
)
deviant("readuntil_accepts_tuples", *_ids("readuntil-tuple-type-error"), python="<3.13")(
    _reader(_ReaduntilAcceptsTuples)
)
deviant("readexactly_returns_early", *_ids("readexactly"))(_reader(_ReadexactlyReturnsEarly))
deviant("readexactly_short_at_eof", *_ids("readexactly"))(_reader(_ReadexactlyShortAtEof))
deviant("at_eof_too_early", *_ids("at-eof"))(_reader(_AtEofTooEarly))
deviant("limit_error_discards_buffer", *_ids("limit-readuntil-keeps-data"))(
    _reader(_LimitErrorDiscardsBuffer)
)
deviant("readline_limit_error_keeps_buffer", *_ids("limit-readline-drops"))(
    _reader(_ReadlineLimitErrorKeepsBuffer)
)

deviant(
    "writer_drops_under_backpressure",
    *_writer_ids("write-whole-reply"),
    *_writer_ids("drain-waits-for-client"),
)(_writer(_WriterDropsUnderBackpressure))
deviant("drain_never_waits", *_writer_ids("drain-waits-for-client"))(_writer(_DrainNeverWaits))
deviant("write_eof_closes", *_writer_ids("write-eof"))(_writer(_WriteEofCloses))
deviant("cannot_write_eof", *_writer_ids("write-eof"))(_writer(_CannotWriteEof))
deviant("is_closing_late", *_writer_ids("close"))(_writer(_IsClosingLate))
deviant("write_after_close_raises", *_writer_ids("write-after-close"))(_writer(_WriteAfterCloseRaises))
