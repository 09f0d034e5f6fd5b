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
