"""Deviants of what a TLS server's connections tell their handler, of client
certificates, and of switching a connection to TLS part way through
(features/tls_connections.feature, features/tls_upgrade.feature).

The extra-info deviants change the transports a server hands to its
protocols (the TLS transport of a TLS server), the others loop.start_tls()
of the deviant loop or StreamWriter.start_tls() -- patched once in the
deviant's own process; the spec's clients drive their TLS by hand and never
call either.
"""

import asyncio
import asyncio.streams as streams
import functools
import ssl

from asyncio_server_spec.reference import tls

from . import deviant, deviant_loop

_FOR_ALL = ("create_server", "create_unix_server")


# -- what a connection tells -------------------------------------------------------------------
def _telling(change):
    """A loop factory whose servers' protocols get transports whose
    get_extra_info(name, default) gives ``change(name, value, default)``."""

    def alter(transport):
        original = transport.get_extra_info

        def get_extra_info(name, default=None):
            return change(name, original(name, default), default)

        transport.get_extra_info = get_extra_info

    def factory():
        loop = asyncio.new_event_loop()
        for method in _FOR_ALL:
            original = getattr(loop, method)

            async def create(protocol_factory, *args, _original=original, **kwargs):
                def altering_factory():
                    protocol = protocol_factory()
                    made = protocol.connection_made

                    def connection_made(transport):
                        alter(transport)
                        return made(transport)

                    protocol.connection_made = connection_made
                    return protocol

                return await _original(altering_factory, *args, **kwargs)

            setattr(loop, method, create)
        return loop

    return factory


def _hiding(hidden):
    return _telling(lambda name, value, default: default if name == hidden else value)


#: What the invented peer certificate says.
_INVENTED = {"subject": ((("commonName", "localhost"),),)}


deviant(
    "no_ssl_object", "tls-connections.start_server-ssl-object", "tls-connections.create_server-ssl-object"
)(_hiding("ssl_object"))
deviant(
    "no_cipher", "tls-connections.start_server-cipher-agreed", "tls-connections.create_server-cipher-agreed"
)(_hiding("cipher"))
deviant(
    "no_peercert",
    "tls-connections.start_server-client-cert-seen",
    "tls-connections.create_server-client-cert-seen",
)(_hiding("peercert"))
# a connection whose client sent no certificate reports one all the same
deviant("peercert_invented", "tls-connections.no-peercert-without-client-certs")(
    _telling(lambda name, value, default: _INVENTED if name == "peercert" and value is None else value)
)


# -- client certificates -----------------------------------------------------------------------
def _client_certs_optional(kwargs):
    context = kwargs.get("ssl")
    if context is not None and context.verify_mode == ssl.CERT_REQUIRED:
        optional = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=tls._cert("client-ca.pem"))
        optional.load_cert_chain(tls._cert("server.pem"))
        optional.verify_mode = ssl.CERT_OPTIONAL  # checked if sent, not required
        kwargs["ssl"] = optional
    return kwargs


deviant("client_cert_not_required", "tls-connections.client-without-cert-refused")(
    deviant_loop(adjust_kwargs=_client_certs_optional)
)


# -- loop.start_tls() --------------------------------------------------------------------------
def _start_tls_wrapped(wrap):
    """A loop factory whose ``loop.start_tls`` is ``wrap(original)``."""

    def factory():
        loop = asyncio.new_event_loop()
        loop.start_tls = wrap(loop.start_tls)
        return loop

    return factory


def _return_given(original):
    async def start_tls(transport, protocol, sslcontext, **kwargs):
        await original(transport, protocol, sslcontext, **kwargs)
        return transport  # the plain transport, now under TLS

    return start_tls


def _buffered(protocol):
    """The bytes a streams protocol's reader holds (taken out of it), or b''."""
    reader = getattr(protocol, "_stream_reader", None)
    if reader is None or not reader._buffer:
        return reader, b""
    held = bytes(reader._buffer)
    reader._buffer.clear()
    return reader, held


def _leaves_buffer_behind(original):
    """The bytes the reader holds stay there, out of TLS's sight (before gh-142352)."""

    async def start_tls(transport, protocol, sslcontext, *, server_side=False, **kwargs):
        reader, held = _buffered(protocol) if server_side else (None, b"")
        try:
            return await original(transport, protocol, sslcontext, server_side=server_side, **kwargs)
        finally:
            if held:
                reader._buffer[:0] = held

    return start_tls


def _hands_buffer_over(original):
    """The bytes the reader holds go to TLS first (gh-142352, on a Python without it)."""

    async def start_tls(transport, protocol, sslcontext, *, server_side=False, **kwargs):
        _reader, held = _buffered(protocol) if server_side else (None, b"")
        if held:
            set_protocol = transport.set_protocol

            def handing_over(ssl_protocol):
                ssl_protocol._incoming.write(held)
                transport.set_protocol = set_protocol
                return set_protocol(ssl_protocol)

            transport.set_protocol = handing_over
        return await original(transport, protocol, sslcontext, server_side=server_side, **kwargs)

    return start_tls


_SWITCHED_ON_3_11 = ("tls-upgrade.writer-start-tls",)
_EARLY_PASSED = ("3.13.13..3.13", "3.14.4..3.14", "3.15..")
_EARLY_LEFT = ("3.11..3.13.12", "3.14.0..3.14.3")
_READER_FOLLOWS = ("3.14.7..3.14", "3.15..")

_returns_given = _start_tls_wrapped(_return_given)
deviant("start_tls_returns_given_transport", "tls-upgrade.loop-start-tls")(_returns_given)
# writer.start_tls() is built on loop.start_tls(): its writer then writes plain text under TLS
deviant(
    "start_tls_returns_given_transport",
    *_SWITCHED_ON_3_11,
    "tls-upgrade.full-reader-pauses-plain-transport",
    python=">=3.11, <3.14.7",
)(_returns_given)
deviant(
    "start_tls_returns_given_transport",
    *_SWITCHED_ON_3_11,
    "tls-upgrade.full-reader-pauses-tls-transport",
    python_ranges=_READER_FOLLOWS,
)(_returns_given)
deviant(
    "start_tls_returns_given_transport",
    "tls-upgrade.early-handshake-passed-to-tls",
    python_ranges=_EARLY_PASSED,
)(_returns_given)
deviant(
    "early_handshake_left_in_reader", "tls-upgrade.early-handshake-passed-to-tls", python_ranges=_EARLY_PASSED
)(_start_tls_wrapped(_leaves_buffer_behind))
deviant(
    "early_handshake_handed_over", "tls-upgrade.early-handshake-left-in-reader", python_ranges=_EARLY_LEFT
)(_start_tls_wrapped(_hands_buffer_over))


# -- StreamWriter.start_tls() ------------------------------------------------------------------
_patched = set()


def _writer_patched(name, patch):
    """A loop factory that first patches StreamWriter (once: a deviant run is a process of its own)."""

    def factory():
        if name not in _patched:
            _patched.add(name)
            patch()
        return asyncio.new_event_loop()

    return factory


def _backport_start_tls():
    """StreamWriter.start_tls() as 3.11 has it, on a Python without it."""

    async def start_tls(self, sslcontext, *, server_hostname=None, ssl_handshake_timeout=None):
        protocol = self._protocol
        await self.drain()
        new_transport = await self._loop.start_tls(
            self._transport,
            protocol,
            sslcontext,
            server_side=protocol._client_connected_cb is not None,
            server_hostname=server_hostname,
            ssl_handshake_timeout=ssl_handshake_timeout,
        )
        self._transport = protocol._transport = new_transport
        protocol._over_ssl = True

    streams.StreamWriter.start_tls = start_tls


def _wrap_start_tls(after):
    """StreamWriter.start_tls() followed by ``after(writer, transport before)``."""

    def patch():
        original = streams.StreamWriter.start_tls

        @functools.wraps(original)
        async def start_tls(self, *args, **kwargs):
            before = self._transport
            try:
                await original(self, *args, **kwargs)
            finally:
                after(self, before)

        streams.StreamWriter.start_tls = start_tls

    return patch


def _keep_plain(writer, before):
    # the writer and its protocol go back to the plain transport under TLS
    writer._transport = before
    writer._protocol._transport = before


def _reader_keeps(writer, before):
    reader = writer._protocol._stream_reader
    if reader is not None:
        reader._transport = before


def _reader_follows(writer, before):
    reader = writer._protocol._stream_reader
    if reader is not None:
        reader._transport = writer._transport


deviant("writer_start_tls_backported", "tls-upgrade.no-writer-start-tls", python="<3.11")(
    _writer_patched("backport", _backport_start_tls)
)
_keeps_plain = _writer_patched("keep plain", _wrap_start_tls(_keep_plain))
deviant(
    "writer_start_tls_keeps_plain_transport",
    *_SWITCHED_ON_3_11,
    "tls-upgrade.full-reader-pauses-plain-transport",
    python=">=3.11, <3.14.7",
)(_keeps_plain)
deviant(
    "writer_start_tls_keeps_plain_transport",
    *_SWITCHED_ON_3_11,
    "tls-upgrade.full-reader-pauses-tls-transport",
    python_ranges=_READER_FOLLOWS,
)(_keeps_plain)
deviant(
    "writer_start_tls_keeps_plain_transport",
    "tls-upgrade.early-handshake-passed-to-tls",
    python_ranges=_EARLY_PASSED,
)(_keeps_plain)
deviant(
    "reader_keeps_plain_transport",
    "tls-upgrade.full-reader-pauses-tls-transport",
    python_ranges=_READER_FOLLOWS,
)(_writer_patched("reader keeps", _wrap_start_tls(_reader_keeps)))
deviant(
    "reader_follows_tls_transport", "tls-upgrade.full-reader-pauses-plain-transport", python=">=3.11, <3.14.7"
)(_writer_patched("reader follows", _wrap_start_tls(_reader_follows)))
