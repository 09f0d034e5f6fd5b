"""TLS contexts for the spec's servers and clients, from the static test
certificates in ``certs/`` (made by ``certs/make-certs.sh`` with the openssl
command): a test CA, a server certificate it signed for 127.0.0.1, ::1 and
localhost, an unrelated CA that a client can trust instead, and a client CA
with a client certificate it signed (for servers that require client
certificates).

:class:`ClientTls` drives TLS by hand over a client's plain connection, for
a connection that switches to TLS part way through.

Static files need no third-party package, so TLS scenarios run on every
interpreter (PyPy included)."""

from __future__ import annotations

import functools
import os
import ssl
from typing import TYPE_CHECKING, Awaitable, Callable

from .loop_errors import calling
from .waiting import within

if TYPE_CHECKING:
    import asyncio

    from .client import Client

CERTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "certs")
#: The host name the server certificate is issued for (and clients connect to).
HOST = "127.0.0.1"


def _cert(name: str) -> str:
    return os.path.join(CERTS, name)


@functools.lru_cache(maxsize=None)
def contexts() -> dict[str, ssl.SSLContext]:
    """SSL contexts, made once per process: ``"server"`` (the server
    certificate; asks for no client certificate), ``"server requiring client
    certs"`` (the same, but it requires a client certificate the client CA
    signed), ``"trusting"`` (a client trusting the test CA), ``"untrusting"``
    (a client trusting only the stranger CA) and ``"client with cert"`` (a
    trusting client that presents the client certificate)."""
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(_cert("server.pem"))
    requiring = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=_cert("client-ca.pem"))
    requiring.load_cert_chain(_cert("server.pem"))
    requiring.verify_mode = ssl.CERT_REQUIRED
    trusting = ssl.create_default_context(cafile=_cert("ca.pem"))
    untrusting = ssl.create_default_context(cafile=_cert("stranger-ca.pem"))
    with_cert = ssl.create_default_context(cafile=_cert("ca.pem"))
    with_cert.load_cert_chain(_cert("client.pem"))
    return {
        "server": server,
        "server requiring client certs": requiring,
        "trusting": trusting,
        "untrusting": untrusting,
        "client with cert": with_cert,
    }


#: The subject of the client certificate, as ``getpeercert()`` gives it.
CLIENT_SUBJECT = (
    (("organizationName", "asyncio-server-spec"),),
    (("commonName", "asyncio-server-spec client"),),
)


async def created_server(
    api: str, create: Callable[[], Awaitable[asyncio.AbstractServer]]
) -> asyncio.AbstractServer:
    """Call *create* (it makes a server with *api* outside :meth:`World.start`:
    a TLS protocol of the spec's own) and await what it returns, bounded in
    time; what the loop raises, calling or awaiting, is a divergence worded
    as World.start words it."""
    with calling(f"no server could be created with {api}()"):
        return await within(create(), "the server to be created")


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
            pass
        except ssl.SSLError as exc:  # the server sent what no TLS handshake goes on with
            raise AssertionError(
                f"expected the server to complete the TLS handshake; the client's TLS handshake failed: {exc}"
            ) from None
        await flush(client, outgoing)
        data = await client.read(65536, "TLS handshake data from the server")
        assert data, "expected the server to complete the TLS handshake; it ended the connection during it"
        incoming.write(data)
    return tls_object, incoming, outgoing


async def flush(client: Client, outgoing: ssl.MemoryBIO) -> None:
    """Send what the SSLObject has written to *outgoing*, if anything."""
    pending = outgoing.read()
    if pending:
        await client.send(pending)


class ClientTls:
    """TLS driven by hand (memory BIOs) over a client's plain connection, as
    a client trusting the test CA, from wherever the stream has got to: the
    client of a server that switches to TLS part way through.

    Everything it does runs on the client thread
    (:meth:`~asyncio_server_spec.reference.client.Client.on_streams`), and
    every wait is bounded.  What the client reads through its own reader
    before (a plain-text answer, with :meth:`Client.readline`) is not seen
    here; what follows it is.
    """

    def __init__(self, client: Client):
        self.client = client
        self._incoming, self._outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self._tls = contexts()["trusting"].wrap_bio(self._incoming, self._outgoing, server_hostname=HOST)

    def _handshake_step(self) -> bool:
        """One step of the handshake; True once it is complete."""
        try:
            self._tls.do_handshake()
        except ssl.SSLWantReadError:
            return False
        except ssl.SSLError as exc:
            raise AssertionError(f"expected the server to complete the TLS handshake; it failed: {exc}")
        return True

    async def start(self, before: bytes = b"") -> None:
        """Send *before* (plain bytes) and the first message of the TLS
        handshake (the ClientHello), in one write."""

        async def send(reader, writer):
            self._handshake_step()
            await self._flush(writer, before)

        await self.client.on_streams(send, "sending the start of the TLS handshake")

    async def finish_handshake(self) -> None:
        """Read the server's part of the handshake and answer it, until the
        handshake is complete (a server that ends the connection first fails it)."""

        async def finish(reader, writer):
            while not self._handshake_step():
                await self._flush(writer)
                data = await _read_some(reader, "the server's part of the TLS handshake")
                if not data:
                    raise AssertionError(
                        "expected the server to complete the TLS handshake; it ended the connection during it"
                    )
                self._incoming.write(data)
            await self._flush(writer)

        await self.client.on_streams(finish, "the server's part of the TLS handshake")

    async def send(self, data: bytes) -> None:
        """Send *data* over TLS: one TLS record up to 16 KiB, in one write."""

        async def send(reader, writer):
            self._tls.write(data)
            await self._flush(writer)

        await self.client.on_streams(send, f"sending {len(data)} bytes over TLS")

    async def receive_exactly(self, n: int) -> bytes:
        """Read *n* bytes over TLS."""

        async def receive(reader, writer):
            got = b""
            while len(got) < n:
                try:
                    chunk = self._tls.read(n - len(got))
                except ssl.SSLWantReadError:
                    pass
                except ssl.SSLError as exc:
                    raise AssertionError(
                        f"expected {n} bytes over TLS; after {len(got)} the TLS connection failed: {exc}"
                    )
                else:
                    if not chunk:  # the server's TLS close
                        raise AssertionError(
                            f"expected {n} bytes over TLS; the server closed TLS after {len(got)}: {got!r}"
                        )
                    got += chunk
                    continue
                data = await _read_some(reader, f"{n} bytes over TLS")
                if not data:
                    raise AssertionError(
                        f"expected {n} bytes over TLS; the connection ended after {len(got)}: {got!r}"
                    )
                self._incoming.write(data)
            return got

        return await self.client.on_streams(receive, f"{n} bytes from the server over TLS")

    async def echo(self, data: bytes) -> bytes:
        """Send *data* over TLS and return as many bytes as come back."""
        await self.send(data)
        return await self.receive_exactly(len(data))

    async def _flush(self, writer: asyncio.StreamWriter, before: bytes = b"") -> None:
        """Send *before* and what TLS has to send, if anything, in one write."""
        pending = before + self._outgoing.read()
        if pending:
            writer.write(pending)
            try:
                await writer.drain()
            except (ConnectionError, OSError) as exc:
                raise AssertionError(
                    f"expected to send {len(pending)} bytes; the connection failed: {exc!r}"
                ) from None


async def _read_some(reader: asyncio.StreamReader, what: str) -> bytes:
    """One read from the client's plain stream; a connection reset is the server's doing."""
    try:
        return await reader.read(65536)
    except (ConnectionError, OSError) as exc:
        raise AssertionError(f"expected {what}; the connection failed: {exc!r}") from None
