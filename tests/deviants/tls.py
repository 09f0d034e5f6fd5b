"""Deviants of TLS servers: ssl, ssl_handshake_timeout, ssl_shutdown_timeout."""

import asyncio
import asyncio.sslproto as sslproto
import socket

from . import deviant, deviant_loop

_TLS_ONLY = ("ssl_handshake_timeout", "ssl_shutdown_timeout")


def _ssl_ignored(kwargs):
    # a plain TCP server: the context and the arguments that need it are dropped
    if kwargs.pop("ssl", None) is not None:
        for name in _TLS_ONLY:
            kwargs.pop(name, None)
    return kwargs


def _is_unix(kwargs):
    sock = kwargs.get("sock")
    return "path" in kwargs or (sock is not None and sock.family == socket.AF_UNIX)


def _ssl_ignored_on_unix(kwargs):
    # TCP servers still speak TLS; Unix ones serve plain streams
    return _ssl_ignored(kwargs) if _is_unix(kwargs) else kwargs


def _handshake_timeout_ignored(kwargs):
    if kwargs.get("ssl") is not None:
        kwargs.pop("ssl_handshake_timeout", None)  # the 60 s default applies
    return kwargs


def _handshake_timeout_cut_short(kwargs):
    if kwargs.get("ssl") is not None and kwargs.get("ssl_handshake_timeout"):
        kwargs["ssl_handshake_timeout"] /= 10
    return kwargs


def _handshake_timeout_allowed_without_ssl(kwargs):
    if kwargs.get("ssl") is None:
        kwargs.pop("ssl_handshake_timeout", None)
    return kwargs


def _shutdown_timeout_dropped(kwargs):
    kwargs.pop("ssl_shutdown_timeout", None)
    return kwargs


_patched = []


def _timeout_stops_at_close_notify():
    """A loop factory whose TLS connections stop their shutdown timeout once
    the close_notify exchange is done -- after the peer's EOF too -- though
    the transport may still be flushing to a peer that does not read (as
    before 3.14.10 and 3.15.2)."""

    def factory():
        if not _patched:
            original = sslproto.SSLProtocol._on_shutdown_complete
            _patched.append(original)

            def _on_shutdown_complete(self, shutdown_exc):
                if shutdown_exc is not None:
                    return original(self, shutdown_exc)
                if self._shutdown_timeout_handle is not None:
                    self._shutdown_timeout_handle.cancel()
                    self._shutdown_timeout_handle = None
                self._loop.call_soon(self._transport.close)
                return None

            sslproto.SSLProtocol._on_shutdown_complete = _on_shutdown_complete
        return asyncio.new_event_loop()

    return factory


deviant(
    "ssl_ignored",
    "tls.start_server-echoes-trusting-client",
    "tls.create_server-echoes-trusting-client",
    "tls.untrusting-client-fails-verification",
    "tls.plain-client-dropped",
    "tls.handshake-timeout-drops-silent-client",
    also=(
        "tls.create_unix_server-echoes-trusting-client",
        "tls.create_unix_server-plain-client-dropped",
        "tls.shutdown-timeout-after-client-eof",
        "tls.shutdown-timeout-drops-silent-client",
        "tls.shutdown-timeout-ignored-after-client-eof",
        "tls.shutdown-timeout-type-error",
        "tls.start_unix_server-echoes-trusting-client",
        "tls.start_unix_server-plain-client-dropped",
    ),
)(deviant_loop(adjust_kwargs=_ssl_ignored))
deviant(
    "ssl_ignored_on_unix",
    "tls.start_unix_server-echoes-trusting-client",
    "tls.create_unix_server-echoes-trusting-client",
    "tls.start_unix_server-plain-client-dropped",
    "tls.create_unix_server-plain-client-dropped",
)(deviant_loop(adjust_kwargs=_ssl_ignored_on_unix))
deviant("handshake_timeout_ignored", "tls.handshake-timeout-drops-silent-client")(
    deviant_loop(adjust_kwargs=_handshake_timeout_ignored)
)
deviant("handshake_timeout_cut_short", "tls.handshake-timeout-drops-silent-client")(
    deviant_loop(adjust_kwargs=_handshake_timeout_cut_short)
)
deviant("handshake_timeout_allowed_without_ssl", "tls.handshake-timeout-needs-ssl")(
    deviant_loop(adjust_kwargs=_handshake_timeout_allowed_without_ssl)
)
# 3.11+: the 30 s default applies instead of the timeout asked for
deviant(
    "shutdown_timeout_ignored",
    "tls.shutdown-timeout-drops-silent-client",
    python=">=3.11",
    also=("tls.shutdown-timeout-after-client-eof",),
)(deviant_loop(adjust_kwargs=_shutdown_timeout_dropped))
# up to 3.10: the argument is quietly accepted instead of refused
deviant("shutdown_timeout_accepted", "tls.shutdown-timeout-type-error", python="<=3.10")(
    deviant_loop(adjust_kwargs=_shutdown_timeout_dropped)
)
deviant(
    "shutdown_timeout_stops_at_close_notify",
    "tls.shutdown-timeout-after-client-eof",
    python=">=3.14.10, <3.15 or >=3.15.2",
)(_timeout_stops_at_close_notify())
