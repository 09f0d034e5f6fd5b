"""Handlers of TLS connections, noted in a :class:`TlsNotes`:

- :func:`tls_noting_handler` / :func:`tls_noting_protocol` note what a TLS
  server's connection tells about TLS (``get_extra_info``), then echo;
- :func:`switching_handler` switches a plain connection to TLS with
  ``writer.start_tls()`` when the client asks, then echoes;
  :func:`switching_reading_handler` then reads a given number of bytes,
  noting whether its transport reads on meanwhile;
- :func:`switching_protocol` switches with ``loop.start_tls()``, then echoes.

The client asks for TLS with the line :data:`STARTTLS`; the server answers
:data:`GO_AHEAD`, in plain text, and switches.
"""

import asyncio
import ssl
from typing import Any, Callable, Dict, Optional

from ..record import ServerRecord
from .base import StreamHandler, echo_to_the_end

#: The client's request for TLS, and the server's answer, in plain text.
STARTTLS = b"STARTTLS\n"
GO_AHEAD = b"OK\n"
#: What the reading handler sends, over TLS, once it reads over TLS.
OVER_TLS = b"reading over TLS now\n"
#: What get_extra_info() tells about TLS, as noted.
TLS_FACTS = ("ssl_object", "cipher", "peercert")


class TlsNotes:
    """What the TLS handler of one scenario saw.

    - :attr:`facts`: the ``get_extra_info()`` value of each name in
      :data:`TLS_FACTS`, from the connection's TLS transport; :attr:`noted`
      resolves once they are there;
    - :attr:`switched`: resolves once the switch to TLS has ended, with None
      or the exception it failed with; :attr:`switch_took`: how long it took
      on the loop's clock;
    - :attr:`given_transport`, :attr:`returned_transport`: what
      ``loop.start_tls()`` was given and returned;
    - :attr:`reading`: ``transport.is_reading()`` while the reader held the
      client's data (``"holding"``) and once it was read (``"drained"``);
      :attr:`read_all` resolves then (with None, or what the reading failed with).
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, record: ServerRecord):
        self.record = record
        self.facts: Dict[str, Any] = {}
        self.noted: asyncio.Future = loop.create_future()
        self.switched: asyncio.Future = loop.create_future()
        self.switch_took: Optional[float] = None
        self.given_transport: Optional[asyncio.BaseTransport] = None
        self.returned_transport: Optional[asyncio.BaseTransport] = None
        self.reading: Dict[str, bool] = {}
        self.read_all: asyncio.Future = loop.create_future()

    def note(self, get_extra_info: Callable[[str], Any]) -> None:
        """Note what *get_extra_info* tells about TLS."""
        for name in TLS_FACTS:
            self.facts[name] = get_extra_info(name)
        if not self.noted.done():
            self.noted.set_result(None)

    def switch_ended(self, started: float, outcome: Optional[BaseException] = None) -> None:
        self.switch_took = asyncio.get_running_loop().time() - started
        if not self.switched.done():
            self.switched.set_result(outcome)


# -- what a TLS server's connection tells ------------------------------------------------
def tls_noting_handler(notes: TlsNotes) -> StreamHandler:
    """A ``client_connected_cb`` that notes what its connection tells about TLS, then echoes."""

    async def handler(reader, writer):
        notes.record.writers.append(writer)
        notes.record.count("accepted")
        notes.note(writer.get_extra_info)
        await echo_to_the_end(reader, writer)

    return handler


class TlsNotingProtocol(asyncio.Protocol):
    """A protocol that notes what its transport tells about TLS, then echoes."""

    def __init__(self, notes: TlsNotes):
        self.notes = notes
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.notes.record.transports.append(transport)
        self.notes.record.count("accepted")
        self.notes.note(transport.get_extra_info)

    def data_received(self, data):
        self.transport.write(data)

    def eof_received(self):
        return False  # let the transport close itself


def tls_noting_protocol(notes: TlsNotes) -> Callable[[], asyncio.Protocol]:
    """A protocol factory for ``loop.create_server``: :class:`TlsNotingProtocol`."""
    return lambda: TlsNotingProtocol(notes)


# -- switching to TLS with writer.start_tls() ----------------------------------------------
async def _switch(reader, writer, notes, context, handshake_timeout):
    """Wait for the client's request, answer it and switch to TLS with
    ``writer.start_tls()``; True if the switch succeeded (noted either way)."""
    started = asyncio.get_running_loop().time()
    request = await reader.readline()
    if request != STARTTLS:
        notes.switch_ended(started, ValueError(f"the client's request read as {request!r}"))
        writer.close()
        return False
    writer.write(GO_AHEAD)
    timeout = {} if handshake_timeout is None else {"ssl_handshake_timeout": handshake_timeout}
    started = asyncio.get_running_loop().time()
    try:
        await writer.start_tls(context, **timeout)  # an AttributeError before 3.11
    except Exception as exc:  # the outcome *is* the observation
        notes.switch_ended(started, exc)
        writer.close()
        return False
    notes.note(writer.get_extra_info)
    notes.switch_ended(started)
    return True


def switching_handler(
    notes: TlsNotes, context: ssl.SSLContext, handshake_timeout: Optional[float] = None
) -> StreamHandler:
    """A ``client_connected_cb`` that switches its connection to TLS (with
    *context*, on the server's side) when the client asks, then echoes."""

    async def handler(reader, writer):
        notes.record.writers.append(writer)
        notes.record.count("accepted")
        if await _switch(reader, writer, notes, context, handshake_timeout):
            await echo_to_the_end(reader, writer)

    return handler


def switching_reading_handler(notes: TlsNotes, context: ssl.SSLContext, n: int) -> StreamHandler:
    """As :func:`switching_handler`; once over TLS it tells the client so
    (:data:`OVER_TLS`), reads one byte, notes whether its transport is reading
    (the rest of the *n* bytes the client sends in one piece being in its
    reader by then), reads the rest, notes it again, then echoes."""

    async def handler(reader, writer):
        notes.record.writers.append(writer)
        notes.record.count("accepted")
        if not await _switch(reader, writer, notes, context, None):
            return
        try:
            writer.write(OVER_TLS)
            await writer.drain()
            await reader.readexactly(1)
            notes.reading["holding"] = writer.transport.is_reading()
            await reader.readexactly(n - 1)
            notes.reading["drained"] = writer.transport.is_reading()
        except Exception as exc:  # noted for the step that waits for it
            notes.read_all.set_result(exc)
            writer.close()
            return
        notes.read_all.set_result(None)
        await echo_to_the_end(reader, writer)

    return handler


# -- switching to TLS with loop.start_tls() -------------------------------------------------
class SwitchingProtocol(asyncio.Protocol):
    """A protocol that switches its connection to TLS with
    ``loop.start_tls(transport, self, context, server_side=True)`` when the
    client asks, then echoes through the transport it got back.  What
    arrives while the switch is under way waits for it."""

    def __init__(self, notes: TlsNotes, context: ssl.SSLContext):
        self.notes = notes
        self.context = context
        self.transport = None
        self._request = b""
        self._switching = False
        self._waiting = b""  # what arrived while switching
        self._task = None

    def connection_made(self, transport):
        self.transport = transport
        self.notes.record.transports.append(transport)
        self.notes.record.count("accepted")

    def data_received(self, data):
        if self._switching:
            self._waiting += data
        elif self._task is not None:  # switched: echo over TLS
            self.transport.write(data)
        else:
            self._request += data
            if b"\n" in self._request:
                self._answer()

    def _answer(self):
        loop = asyncio.get_running_loop()
        if self._request != STARTTLS:
            request = ValueError(f"the client's request read as {self._request!r}")
            self.notes.switch_ended(loop.time(), request)
            self.transport.close()
            return
        self.transport.write(GO_AHEAD)
        self._switching = True
        self._task = loop.create_task(self._switch(loop))

    async def _switch(self, loop):
        given = self.notes.given_transport = self.transport
        started = loop.time()
        try:
            returned = await loop.start_tls(given, self, self.context, server_side=True)
        except Exception as exc:  # the outcome *is* the observation
            self.notes.switch_ended(started, exc)
            given.close()
            return
        self.notes.returned_transport = self.transport = returned
        if returned is not None:
            self.notes.record.transports.append(returned)  # for cleanup
            self.notes.note(returned.get_extra_info)
        self.notes.switch_ended(started)
        self._switching = False
        if self._waiting and returned is not None:
            returned.write(self._waiting)
        self._waiting = b""

    def eof_received(self):
        return False  # let the transport close itself


def switching_protocol(notes: TlsNotes, context: ssl.SSLContext) -> Callable[[], asyncio.Protocol]:
    """A protocol factory for ``loop.create_server``: :class:`SwitchingProtocol`."""
    return lambda: SwitchingProtocol(notes, context)
