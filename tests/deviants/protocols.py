"""Deviants of the protocol path of loop.create_server / create_unix_server
and of loop.connect_accepted_socket (features/protocols.feature).

Each factory returns a new asyncio loop whose create_server,
create_unix_server and connect_accepted_socket wrap the protocol factory
they are given, so that the protocols they drive -- or the transports those
protocols are handed -- break one documented behaviour.  Streams protocols
(what start_server makes) are left alone: the deviation is the protocol
path's.
"""

import asyncio

from . import deviant

_METHODS = ("create_server", "create_unix_server", "connect_accepted_socket")

#: The version ranges of the two transport fixes (features/protocols.feature).
WRITELINES_FIXED = ("..3.11", "3.14.8..3.14", "3.15..")
WRITELINES_HANGS = ("3.12..3.14.7",)
RESUME_CLOSE_QUIET = ("3.14.8..3.14", "3.15..")
RESUME_CLOSE_REPORTED = ("..3.14.7",)


def _protocol_loop(wrap_factory, methods=_METHODS):
    """A loop factory whose protocol-taking *methods* get ``wrap_factory(protocol_factory)``."""

    def factory():
        loop = asyncio.new_event_loop()
        for name in methods:
            original = getattr(loop, name)

            def patched(protocol_factory, *args, _original=original, **kwargs):
                return _original(wrap_factory(protocol_factory), *args, **kwargs)

            setattr(loop, name, patched)
        return loop

    return factory


def _each_protocol(change, methods=_METHODS):
    """Apply ``change(protocol)`` to every protocol-path protocol the factory makes."""

    def wrap_factory(protocol_factory):
        def make():
            protocol = protocol_factory()
            if not isinstance(protocol, asyncio.StreamReaderProtocol):
                change(protocol)
            return protocol

        return make

    return _protocol_loop(wrap_factory, methods)


class TransportProxy:
    """A transport handed to the protocol instead of the real one: every
    attribute is the real transport's unless a subclass says otherwise."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)


def _proxied(proxy_class):
    """Each protocol's connection_made() gets ``proxy_class(transport)``
    (on servers only: connect_accepted_socket() returns the transport itself)."""

    def change(protocol):
        made = protocol.connection_made
        protocol.connection_made = lambda transport: made(proxy_class(transport))

    return _each_protocol(change, methods=("create_server", "create_unix_server"))


# -- the factory and the callback order -------------------------------------------------------
def _one_instance(protocol_factory):
    """Every connection after the first gets the first connection's protocol."""
    made = []

    def make():
        protocol = protocol_factory()
        if isinstance(protocol, asyncio.StreamReaderProtocol):
            return protocol
        if not made:
            made.append(protocol)
        return made[0]

    return make


def _data_before_made(protocol):
    made, received, lost = protocol.connection_made, protocol.data_received, protocol.connection_lost
    held = []

    def connection_made(transport):
        held.append(transport)  # told only after the first data

    def data_received(data):
        received(data)
        while held:
            made(held.pop())

    def connection_lost(exc):
        while held:
            made(held.pop())
        lost(exc)

    protocol.connection_made, protocol.data_received = connection_made, data_received
    protocol.connection_lost = connection_lost


def _eof_true_ignored(protocol):
    eof = protocol.eof_received

    def eof_received():
        eof()
        return False  # the transport closes, whatever the protocol asked

    protocol.eof_received = eof_received


def _lost_twice(protocol):
    lost = protocol.connection_lost

    def connection_lost(exc):
        lost(exc)
        lost(exc)

    protocol.connection_lost = connection_lost


def _lost_without_error(protocol):
    lost = protocol.connection_lost
    protocol.connection_lost = lambda exc: lost(None)


deviant(
    "shared_protocol_instance",
    "protocols.factory-per-connection-create_server",
    "protocols.factory-per-connection-create_unix_server",
    also=("protocols.pause-reading-create_server", "protocols.pause-reading-create_unix_server"),
)(_protocol_loop(_one_instance))
deviant(
    "data_before_connection_made",
    "protocols.callback-order-create_server",
    "protocols.callback-order-create_unix_server",
    also=(
        "protocols.buffered-create_server",
        "protocols.buffered-create_unix_server",
        "protocols.close-in-resume-writing-create_server",
        "protocols.close-in-resume-writing-create_unix_server",
        "protocols.close-in-resume-writing-reported-create_server",
        "protocols.close-in-resume-writing-reported-create_unix_server",
        "protocols.connect-accepted-socket",
        "protocols.eof-false-closes-create_server",
        "protocols.eof-false-closes-create_unix_server",
        "protocols.eof-true-half-open-create_server",
        "protocols.eof-true-half-open-create_unix_server",
        "protocols.factory-per-connection-create_server",
        "protocols.factory-per-connection-create_unix_server",
        "protocols.lost-once-server-closes-create_server",
        "protocols.lost-once-server-closes-create_unix_server",
        "protocols.lost-with-error-on-reset",
        "protocols.pause-reading-create_server",
        "protocols.pause-reading-create_unix_server",
        "protocols.pause-writing-create_server",
        "protocols.pause-writing-create_unix_server",
        "protocols.writelines-empty-last-chunk-create_server",
        "protocols.writelines-empty-last-chunk-create_unix_server",
        "protocols.writelines-empty-last-chunk-hangs-create_server",
        "protocols.writelines-empty-last-chunk-hangs-create_unix_server",
    ),
)(_each_protocol(_data_before_made))
deviant(
    "eof_true_ignored",
    "protocols.eof-true-half-open-create_server",
    "protocols.eof-true-half-open-create_unix_server",
)(_each_protocol(_eof_true_ignored))
deviant(
    "connection_lost_twice",
    "protocols.callback-order-create_server",
    "protocols.callback-order-create_unix_server",
    "protocols.eof-false-closes-create_server",
    "protocols.eof-false-closes-create_unix_server",
    "protocols.lost-once-server-closes-create_server",
    "protocols.lost-once-server-closes-create_unix_server",
    "protocols.connect-accepted-socket",
    also=(
        "protocols.buffered-create_server",
        "protocols.buffered-create_unix_server",
        "protocols.close-in-resume-writing-create_server",
        "protocols.close-in-resume-writing-create_unix_server",
        "protocols.close-in-resume-writing-reported-create_server",
        "protocols.close-in-resume-writing-reported-create_unix_server",
        "protocols.eof-true-half-open-create_server",
        "protocols.eof-true-half-open-create_unix_server",
        "protocols.lost-with-error-on-reset",
        "protocols.writelines-empty-last-chunk-create_server",
        "protocols.writelines-empty-last-chunk-create_unix_server",
    ),
)(_each_protocol(_lost_twice))
deviant("connection_lost_without_error", "protocols.lost-with-error-on-reset")(
    _each_protocol(_lost_without_error)
)


# -- reading and writing -------------------------------------------------------------------
class _PauseReadingIgnored(TransportProxy):
    def __init__(self, inner):
        super().__init__(inner)
        self._says_paused = False

    def pause_reading(self):
        self._says_paused = True  # but goes on reading

    def resume_reading(self):
        self._says_paused = False

    def is_reading(self):
        return not self._says_paused and self._inner.is_reading()


def _never_paused(protocol):
    protocol.pause_writing = lambda: None
    protocol.resume_writing = lambda: None


class _SizeAlwaysZero(TransportProxy):
    def get_write_buffer_size(self):
        return 0


class _LimitsIgnored(TransportProxy):
    def set_write_buffer_limits(self, high=None, low=None):
        pass


def _buffer_ignored(protocol):
    if isinstance(protocol, asyncio.BufferedProtocol):
        get_buffer = protocol.get_buffer

        def private_buffer(sizehint):
            return bytearray(len(get_buffer(sizehint)))  # the loop fills one of its own

        protocol.get_buffer = private_buffer


_PAUSE_WRITING = ("protocols.pause-writing-create_server", "protocols.pause-writing-create_unix_server")
deviant(
    "pause_reading_ignored",
    "protocols.pause-reading-create_server",
    "protocols.pause-reading-create_unix_server",
)(_proxied(_PauseReadingIgnored))
deviant(
    "pause_writing_never_called",
    *_PAUSE_WRITING,
    also=(
        "protocols.close-in-resume-writing-create_server",
        "protocols.close-in-resume-writing-create_unix_server",
        "protocols.close-in-resume-writing-reported-create_server",
        "protocols.close-in-resume-writing-reported-create_unix_server",
    ),
)(_each_protocol(_never_paused))
deviant("write_buffer_size_always_zero", *_PAUSE_WRITING)(_proxied(_SizeAlwaysZero))
deviant("write_buffer_limits_ignored", *_PAUSE_WRITING)(_proxied(_LimitsIgnored))
deviant(
    "buffered_protocol_buffer_ignored",
    "protocols.buffered-create_server",
    "protocols.buffered-create_unix_server",
)(_each_protocol(_buffer_ignored))


# -- connect_accepted_socket() ------------------------------------------------------------------
def _accepted_pair_swapped():
    loop = asyncio.new_event_loop()
    original = loop.connect_accepted_socket

    async def connect_accepted_socket(protocol_factory, sock, **kwargs):
        transport, protocol = await original(protocol_factory, sock, **kwargs)
        return protocol, transport

    loop.connect_accepted_socket = connect_accepted_socket
    return loop


deviant("accepted_socket_pair_swapped", "protocols.connect-accepted-socket")(_accepted_pair_swapped)


# -- gh-155888: writelines() with an empty last chunk ------------------------------------------
class _WritelinesHangs(TransportProxy):
    """An empty last chunk keeps the transport from ever closing (as 3.12 to 3.14.7)."""

    _hangs = False

    def writelines(self, list_of_data):
        chunks = list(list_of_data)
        self._hangs = self._hangs or (bool(chunks) and not chunks[-1])
        self._inner.writelines([chunk for chunk in chunks if chunk])

    def close(self):
        if not self._hangs:
            self._inner.close()

    def is_closing(self):
        return self._hangs or self._inner.is_closing()


class _WritelinesSkipsEmpty(TransportProxy):
    """Empty chunks are dropped before they reach the transport (as fixed by gh-155888)."""

    def writelines(self, list_of_data):
        self._inner.writelines([chunk for chunk in list_of_data if chunk])


deviant(
    "writelines_empty_chunk_hangs",
    "protocols.writelines-empty-last-chunk-create_server",
    "protocols.writelines-empty-last-chunk-create_unix_server",
    python_ranges=WRITELINES_FIXED,
)(_proxied(_WritelinesHangs))
deviant(
    "writelines_empty_chunk_skipped",
    "protocols.writelines-empty-last-chunk-hangs-create_server",
    "protocols.writelines-empty-last-chunk-hangs-create_unix_server",
    python_ranges=WRITELINES_HANGS,
)(_proxied(_WritelinesSkipsEmpty))


# -- gh-156512: a transport closed by resume_writing() --------------------------------------------
def _resume_close_reported(protocol):
    """After a resume_writing() that closed the transport, the loop reports
    an AttributeError as if the connection had been ended a second time."""
    resume, lost = protocol.resume_writing, protocol.connection_lost
    state = {}

    def resume_writing():
        resume()
        transport = getattr(protocol, "transport", None)
        state["closed"] = transport is not None and transport.is_closing()

    def connection_lost(exc):
        lost(exc)
        if state.get("closed"):
            loop = asyncio.get_event_loop()
            loop.call_soon(
                loop.call_exception_handler,
                {
                    "message": "Exception in callback _SelectorSocketTransport._call_connection_lost()",
                    "exception": AttributeError("'NoneType' object has no attribute 'close'"),
                },
            )

    protocol.resume_writing, protocol.connection_lost = resume_writing, connection_lost


def _resume_deferred(protocol):
    """resume_writing() runs in a callback of its own, after the transport's write handler."""
    resume = protocol.resume_writing
    protocol.resume_writing = lambda: asyncio.get_event_loop().call_soon(resume)


deviant(
    "resume_close_reported",
    "protocols.close-in-resume-writing-create_server",
    "protocols.close-in-resume-writing-create_unix_server",
    python_ranges=RESUME_CLOSE_QUIET,
)(_each_protocol(_resume_close_reported))
deviant(
    "resume_writing_deferred",
    "protocols.close-in-resume-writing-reported-create_server",
    "protocols.close-in-resume-writing-reported-create_unix_server",
    python_ranges=RESUME_CLOSE_REPORTED,
)(_each_protocol(_resume_deferred))
