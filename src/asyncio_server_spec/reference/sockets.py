"""Sockets a scenario makes itself, outside the loop under test: a caller's
socket handed to a server with ``sock=``, and a server connection's send
buffer shrunk so that a bulk write stays queued in the transport.

Each socket is registered with the scenario's world (:meth:`World.keep`), so
cleanup closes it whatever the scenario did.
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING

from .loop_errors import calling

if TYPE_CHECKING:
    from .scenario import World

#: A small kernel send buffer keeps most of a bulk write queued in the server's transport.
SMALL_SNDBUF = 65536


def bound_tcp_socket(world: World, host: str = "127.0.0.1") -> socket.socket:
    """An IPv4 TCP socket bound to *host* on an ephemeral port, not listening."""
    sock = world.keep(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    sock.bind((host, 0))
    return sock


def bound_unix_socket(world: World, path: str) -> socket.socket:
    """A Unix stream socket bound at *path*, not listening."""
    sock = world.keep(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))
    sock.bind(path)
    return sock


def is_listening(sock: socket.socket) -> bool:
    """True if *sock* is a listening socket (SO_ACCEPTCONN); OSError if it is unusable."""
    return bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))


def shrink_send_buffer(writer: asyncio.StreamWriter, size: int = SMALL_SNDBUF) -> None:
    """Give the socket under a StreamWriter a small kernel send buffer."""
    writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, size)


def usable(sock: object, what: str) -> socket.socket:
    """*sock*, a socket the loop under test handed out (*what*: "server.sockets[0]",
    the connection's "socket" extra info), checked before the spec's own code
    uses it: one with a file descriptor.  Anything else is the loop's
    divergence, said in words, never a failure of the spec's code."""
    with calling(f"expected {what} to be a socket with a file descriptor; fileno() raised"):
        fd = sock.fileno()
    assert isinstance(fd, int) and fd >= 0, (
        f"expected {what} to be a socket with a file descriptor; it is a {type(sock).__name__} "
        f"whose fileno() gave " + ("a negative number" if isinstance(fd, int) else f"a {type(fd).__name__}"))
    return sock
