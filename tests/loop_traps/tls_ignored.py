"""A loop whose servers ignore ssl= and speak plain TCP: the spec's own TLS
client then fails its handshake.  That is the server's divergence, and the
message must say what the *client* observed -- never "the loop raised
SSLError"."""

import asyncio

_TLS_ARGUMENTS = ("ssl", "ssl_handshake_timeout", "ssl_shutdown_timeout")


class _TlsIgnoredLoop(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        for name in _TLS_ARGUMENTS:
            kwargs.pop(name, None)
        return await super().create_server(*args, **kwargs)


def tls_ignored():
    return _TlsIgnoredLoop()
