"""Protocols for ``loop.create_server`` / ``create_unix_server`` /
``connect_accepted_socket`` that note every callback they get.

A :class:`ProtocolLog` is one server's log: its :meth:`~ProtocolLog.factory`
makes the protocol factory handed to the loop, counts its calls and keeps
every protocol it made, in order.  Each protocol notes its callbacks, in
order, on :attr:`NotingProtocol.calls` as ``(name, argument)`` pairs and
wakes the scenario's :class:`~..record.ServerRecord`, so that steps wait on
conditions ("the protocol has lost its connection") instead of sleeping.

A protocol notes a callback before it acts on it, and acts only on what it
has (a data_received() that comes before connection_made() is noted, not
answered): a loop that calls them out of order shows up in the notes,
never as a crash of ours.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from ..record import ServerRecord

#: The callbacks of the protocol state machine, in the docs' order.
STATE_CALLBACKS = (
    "connection_made",
    "data_received",
    "get_buffer",
    "buffer_updated",
    "eof_received",
    "connection_lost",
)

#: What the half-open protocol writes after the client's end of stream.
AFTER_EOF = b"written after your end of stream\n"


class ProtocolLog:
    """The protocols one server's factory made, in order."""

    def __init__(self, record: ServerRecord):
        self.record = record
        self.factory_calls = 0
        self.made: list[NotingProtocol] = []

    def factory(self, kind: type, **behaviour: Any) -> Callable[[], asyncio.BaseProtocol]:
        """A protocol factory that makes ``kind(self, **behaviour)`` and keeps it."""

        def make():
            self.factory_calls += 1
            protocol = kind(self, **behaviour)
            self.made.append(protocol)
            self.record.note()
            return protocol

        return make

    def latest(self) -> NotingProtocol:
        """The protocol made last ("the protocol" of a scenario)."""
        assert self.made, "expected the server to have made a protocol; its factory was never called"
        return self.made[-1]

    def first(self) -> NotingProtocol:
        """The protocol made first: the first client's, as clients connect in turn."""
        assert self.made, "expected the server to have made a protocol; its factory was never called"
        return self.made[0]

    def changed(self) -> None:
        self.record.note()  # wakes the record's waiters

    async def wait_for(self, predicate: Callable[[], bool], what: str) -> None:
        """Wait (bounded) until ``predicate()`` holds."""
        await self.record.wait_until(lambda _record: predicate(), what)


class _Noting:
    """What both kinds of protocol share: the notes and the transport."""

    def __init__(self, log: ProtocolLog):
        self.log = log
        self.calls: list[tuple[str, Any]] = []
        self.transport: asyncio.BaseTransport | None = None

    def _note(self, name: str, argument: Any = None) -> None:
        self.calls.append((name, argument))
        self.log.changed()

    # -- reading the notes ------------------------------------------------------
    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def state_names(self) -> list[str]:
        """The state machine's callbacks, a run of repeats collapsed into one."""
        names = []
        for name in self.names():
            if name in STATE_CALLBACKS and (not names or names[-1] != name):
                names.append(name)
        return names

    def arguments(self, name: str) -> list:
        return [argument for called, argument in self.calls if called == name]

    def count(self, name: str) -> int:
        return len(self.arguments(name))

    @property
    def received(self) -> bytes:
        return b"".join(self.arguments("data_received"))

    @property
    def lost(self) -> bool:
        return "connection_lost" in self.names()

    # -- the callbacks ----------------------------------------------------------
    def connection_made(self, transport):
        self._note("connection_made", transport)
        self.transport = transport
        self.log.record.transports.append(transport)  # for cleanup
        self.log.record.count("accepted")

    def eof_received(self):
        self._note("eof_received")
        return None  # a false value: the transport closes itself

    def connection_lost(self, exc):
        self._note("connection_lost", exc)
        self.log.record.count("handlers_finished")


class NotingProtocol(_Noting, asyncio.Protocol):
    """A protocol that notes every callback.

    - *echo*: writes back what it receives;
    - *keep_open_on_eof*: eof_received() returns True (the connection stays
      half open until the protocol closes it: :meth:`write_and_close`);
    - *limits*: ``(high, low)`` given to set_write_buffer_limits() in
      connection_made();
    - *close_on_resume*: resume_writing() closes the transport;
    - *answer_with_writelines*: answers what it receives with
      ``writelines([data, b""])`` and closes its transport.
    """

    def __init__(
        self,
        log: ProtocolLog,
        echo: bool = False,
        keep_open_on_eof: bool = False,
        limits: tuple[int, int] | None = None,
        close_on_resume: bool = False,
        answer_with_writelines: bool = False,
    ):
        super().__init__(log)
        self.echo = echo
        self.keep_open_on_eof = keep_open_on_eof
        self.limits = limits
        self.close_on_resume = close_on_resume
        self.answer_with_writelines = answer_with_writelines
        #: the bytes written by :meth:`write_until_paused`, in order
        self.written = bytearray()
        #: (bytes written, get_write_buffer_size() before, after) per chunk written while paused
        self.queued_writes: list[tuple[int, int, int]] = []

    def connection_made(self, transport):
        super().connection_made(transport)
        if self.limits is not None:
            high, low = self.limits
            transport.set_write_buffer_limits(high=high, low=low)

    def data_received(self, data):
        self._note("data_received", bytes(data))
        self.log.record.add_received(data)
        if self.transport is None:
            return
        if self.answer_with_writelines:
            self.transport.writelines([bytes(data), b""])
            self.transport.close()
        elif self.echo:
            self.transport.write(data)

    def eof_received(self):
        super().eof_received()
        return True if self.keep_open_on_eof else None

    def pause_writing(self):
        self._note("pause_writing", self._queued())

    def resume_writing(self):
        self._note("resume_writing", self._queued())
        if self.close_on_resume and self.transport is not None:
            self.transport.close()

    def _queued(self) -> int | None:
        return self.transport.get_write_buffer_size() if self.transport is not None else None

    # -- what steps make the protocol do ----------------------------------------------
    def write_and_close(self, data: bytes) -> None:
        """Write *data*, then close the transport."""
        self.transport.write(data)
        self.transport.close()

    def write_until_paused(self, chunk: int, most: int) -> int:
        """Write *chunk*-byte pieces of a numbered stream until pause_writing()
        is called, or *most* bytes are written; return how many were written."""
        while self.count("pause_writing") == 0 and len(self.written) < most:
            self._write_chunk(chunk)
        return len(self.written)

    def write_more(self, chunk: int, n: int) -> None:
        """Write *n* more pieces, noting get_write_buffer_size() before and after each."""
        for _ in range(n):
            before = self.transport.get_write_buffer_size()
            self._write_chunk(chunk)
            self.queued_writes.append((chunk, before, self.transport.get_write_buffer_size()))

    def _write_chunk(self, chunk):
        data = numbered(len(self.written), chunk)
        self.written += data
        self.transport.write(data)


class NotingBufferedProtocol(_Noting, asyncio.BufferedProtocol):
    """A BufferedProtocol with a small buffer of its own (*size* bytes):
    whatever buffer_updated() says arrived is read back from that buffer."""

    def __init__(self, log: ProtocolLog, size: int = 1000):
        super().__init__(log)
        self.buffer = bytearray(size)
        self.from_buffer = bytearray()
        #: (nbytes, size of the buffer last handed out) per buffer_updated()
        self.updates: list[tuple[int, int]] = []
        self._handed_out = 0

    def get_buffer(self, sizehint):
        self._note("get_buffer", sizehint)
        self._handed_out = len(self.buffer)
        return memoryview(self.buffer)

    def buffer_updated(self, nbytes):
        self._note("buffer_updated", nbytes)
        self.updates.append((nbytes, self._handed_out))
        self.from_buffer += self.buffer[:nbytes]
        self.log.record.add_received(bytes(self.buffer[:nbytes]))

    @property
    def received(self) -> bytes:
        return bytes(self.from_buffer)


def numbered(start: int, n: int) -> bytes:
    """Bytes *start* to *start+n* of a stream in which byte i is ``i % 251``
    (a prime: a chunk lost, repeated or reordered shows)."""
    offset = start % 251
    return (_PATTERN * ((offset + n) // 251 + 1))[offset : offset + n]


_PATTERN = bytes(range(251))


# -- the protocols the features name --------------------------------------------------------
def echoing(log: ProtocolLog) -> Callable[[], asyncio.BaseProtocol]:
    """Echo what arrives; on the client's end of stream let the transport close itself."""
    return log.factory(NotingProtocol, echo=True)


def half_open(log: ProtocolLog) -> Callable[[], asyncio.BaseProtocol]:
    """Echo what arrives; on the client's end of stream keep the connection open."""
    return log.factory(NotingProtocol, echo=True, keep_open_on_eof=True)


def closing_on_resume(log: ProtocolLog) -> Callable[[], asyncio.BaseProtocol]:
    """Write buffer limits of 64 KiB (high) and 0 (low); resume_writing() closes the transport."""
    return log.factory(NotingProtocol, limits=(64 * 1024, 0), close_on_resume=True)


def answering_with_writelines(log: ProtocolLog) -> Callable[[], asyncio.BaseProtocol]:
    """Answer what arrives with writelines([data, b""]) and close."""
    return log.factory(NotingProtocol, answer_with_writelines=True)


def buffered(log: ProtocolLog) -> Callable[[], asyncio.BaseProtocol]:
    """A BufferedProtocol with a 1000-byte buffer of its own."""
    return log.factory(NotingBufferedProtocol, size=1000)


def with_write_limits(log: ProtocolLog, high: int, low: int) -> Callable[[], asyncio.BaseProtocol]:
    """Set the write buffer limits to *high* and *low* in connection_made()."""
    return log.factory(NotingProtocol, limits=(high, low))
