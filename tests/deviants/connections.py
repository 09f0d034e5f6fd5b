"""Deviants of what a server does to all its connections at once, and of
what a connection tells about itself (features/client_connections.feature,
serve_forever.feature, addresses.feature, connection_info.feature).
"""

import asyncio
import asyncio.base_events as base_events
import socket
import types

from . import deviant

#: Where a cancelled serve_forever() closes its clients (serve-forever.cancel-closes-clients).
CANCEL_CLOSES_CLIENTS = ("3.13.15..3.13", "3.14.7..3.14", "3.15..")


# -- close_clients() and abort_clients() on one client only --------------------------------------
@deviant("close_clients_ends_one", "clients.close_clients-ends-every-client", python=">=3.13")
@deviant("close_clients_ends_one", "serve-forever.cancel-closes-clients", python_ranges=CANCEL_CLOSES_CLIENTS)
class _CloseClientsEndsOne:
    """close_clients() (which a cancelled serve_forever() calls) closes one client, not all."""

    def close_clients(self):
        for transport in list(self._clients)[:1]:
            transport.close()


@deviant("abort_clients_ends_one", "clients.abort_clients-ends-every-client", python=">=3.13")
class _AbortClientsEndsOne:
    def abort_clients(self):
        for transport in list(self._clients)[:1]:
            transport.abort()


# -- host None at a fixed port: no IPV6_V6ONLY --------------------------------------------------
def _v6only_never_set():
    """create_server sets another IPv6 option where it would set IPV6_V6ONLY,
    so its IPv6 socket on :: also claims IPv4 (Linux's default)."""
    patched = types.ModuleType("socket")
    patched.__dict__.update(vars(socket))
    patched.IPV6_V6ONLY = socket.IPV6_RECVPKTINFO  # harmless where it is set
    base_events.socket = patched
    return asyncio.new_event_loop()


deviant("ipv6_socket_claims_ipv4", "addresses.every-interface-fixed-port")(_v6only_never_set)


# -- get_extra_info() of a server connection ---------------------------------------------------------
class _Transport:
    """The real transport, but for the extra info *name*, answered by *answer(transport)*."""

    def __init__(self, inner, name, answer):
        self._inner, self._name, self._answer = inner, name, answer

    def __getattr__(self, attribute):
        return getattr(self._inner, attribute)

    def get_extra_info(self, name, default=None):
        if name == self._name:
            return self._answer(self._inner)
        return self._inner.get_extra_info(name, default)


def _listening_socket_of(server, transport):
    """The server's listening socket of the connection's family."""
    family = transport.get_extra_info("socket").family
    for sock in server.sockets:
        if sock.family == family:
            return sock
    return server.sockets[0]


def _answering(name, answer):
    """A loop whose create_server / create_unix_server hand each protocol-path
    protocol a transport that answers get_extra_info(*name*) with
    ``answer(server, transport)``."""

    def factory():
        loop = asyncio.new_event_loop()
        for method in ("create_server", "create_unix_server"):
            original = getattr(loop, method)

            async def create(protocol_factory, *args, _original=original, **kwargs):
                servers = []

                def make():
                    protocol = protocol_factory()
                    if not isinstance(protocol, asyncio.StreamReaderProtocol):
                        made = protocol.connection_made
                        protocol.connection_made = lambda transport: made(
                            _Transport(transport, name, lambda inner: answer(servers[0], inner))
                        )
                    return protocol

                server = await _original(make, *args, **kwargs)
                servers.append(server)
                return server

            setattr(loop, method, create)
        return loop

    return factory


deviant("sockname_is_listening_address", "connection-info.sockname-every-interface")(
    _answering("sockname", lambda server, transport: _listening_socket_of(server, transport).getsockname())
)
deviant(
    "sockname_is_peername",
    "connection-info.sockname-is-local-address",
    "connection-info.sockname-unix",
    "connection-info.sockname-every-interface",
)(_answering("sockname", lambda server, transport: transport.get_extra_info("peername")))
deviant("socket_is_listening_socket", "connection-info.socket-is-the-connection")(
    _answering("socket", _listening_socket_of)
)
