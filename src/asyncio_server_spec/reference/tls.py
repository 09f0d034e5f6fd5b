"""TLS contexts for the spec's servers and clients, from the static test
certificates in ``certs/`` (made by ``certs/make-certs.sh`` with the openssl
command): a test CA, a server certificate it signed for 127.0.0.1, ::1 and
localhost, and an unrelated CA that a client can trust instead.

Static files need no third-party package, so TLS scenarios run on every
interpreter (PyPy included)."""

from __future__ import annotations

import functools
import os
import ssl
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .client import Client

CERTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "certs")
#: The host name the server certificate is issued for (and clients connect to).
HOST = "127.0.0.1"


def _cert(name: str) -> str:
    return os.path.join(CERTS, name)


@functools.lru_cache(maxsize=None)
def contexts() -> dict[str, ssl.SSLContext]:
    """``{"server", "trusting", "untrusting"}`` SSL contexts, made once per process."""
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(_cert("server.pem"))
    trusting = ssl.create_default_context(cafile=_cert("ca.pem"))
    untrusting = ssl.create_default_context(cafile=_cert("stranger-ca.pem"))
    return {"server": server, "trusting": trusting, "untrusting": untrusting}


async def handshake_by_hand(client: Client) -> tuple[ssl.SSLObject, ssl.MemoryBIO, ssl.MemoryBIO]:
    """Complete a TLS handshake over *client*'s plain TCP connection through
    memory BIOs, as a client trusting the test CA; returns its SSLObject and
    its incoming and outgoing BIOs (the last handshake message is still in
    *outgoing*: :func:`flush` sends it)."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls_object = contexts()["trusting"].wrap_bio(incoming, outgoing, server_hostname=HOST)
    while True:
        try:
            tls_object.do_handshake()
            break
        except ssl.SSLWantReadError:
            await flush(client, outgoing)
            data = await client.read(65536, "TLS handshake data from the server")
            assert data, "the server ended the connection during the TLS handshake"
            incoming.write(data)
    return tls_object, incoming, outgoing


async def flush(client: Client, outgoing: ssl.MemoryBIO) -> None:
    """Send what the SSLObject has written to *outgoing*, if anything."""
    pending = outgoing.read()
    if pending:
        await client.send(pending)
