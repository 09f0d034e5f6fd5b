"""Sockets a scenario makes itself, outside the loop under test: a caller's
socket handed to a server with ``sock=``, and a server connection's send
buffer shrunk so that a bulk write stays queued in the transport.

Each socket is registered with the scenario's world (:meth:`World.keep`), so
cleanup closes it whatever the scenario did.
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING, Any

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


#: What the spec calls a connection's socket in its messages.
EXTRA_SOCKET = 'the connection\'s "socket" extra info'


def shrink_send_buffer(writer: Any, size: int = SMALL_SNDBUF) -> None:
    """Give the socket under a StreamWriter (or a transport) a small kernel send buffer."""
    sock = usable(writer.get_extra_info("socket"), EXTRA_SOCKET, ("setsockopt",))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, size)


def usable(sock: object, what: str, needs: tuple = ()) -> socket.socket:
    """*sock*, a socket the loop under test handed out (*what*: "server.sockets[0]",
    the connection's "socket" extra info), checked before the spec's own code
    uses it: one with a file descriptor, and the socket methods *needs*
    ("getsockopt", ...).  Anything else is the loop's divergence, said in
    words, never a failure of the spec's code."""
    expected = f"expected {what} to be a socket with a file descriptor"
    assert sock is not None, f"{expected}; it is None"
    missing = [name for name in ("fileno", *needs) if not callable(getattr(sock, name, None))]
    assert not missing, (
        f"expected {what} to be a socket; it is a {type(sock).__module__}.{type(sock).__qualname__} without "
        + ", ".join(f"{name}()" for name in missing)
    )
    with calling(f"{expected}; fileno() raised"):
        fd = sock.fileno()
    assert isinstance(fd, int) and fd >= 0, (
        f"{expected}; it is a {type(sock).__name__} "
        f"whose fileno() gave " + ("a negative number" if isinstance(fd, int) else f"a {type(fd).__name__}")
    )
    return sock


# -- listening, accepting and probing sockets of a scenario's own ---------------------------
def set_linger_zero(sock: socket.socket) -> None:
    """SO_LINGER on, with a timeout of 0: closing *sock* then resets the
    connection (the peer gets an RST) instead of ending it with a FIN."""
    import struct

    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def unread_bytes(transport: asyncio.BaseTransport) -> int:
    """How many bytes wait, unread, in the kernel's receive queue of the
    connection under *transport* (FIONREAD): the loop has not read them."""
    import fcntl
    import struct
    import termios

    fileno = usable(transport.get_extra_info("socket"), EXTRA_SOCKET).fileno()
    answer = fcntl.ioctl(fileno, termios.FIONREAD, struct.pack("i", 0))
    return struct.unpack("i", answer)[0]


def listening_tcp_socket(world: World, host: str) -> socket.socket:
    """A plain IPv4 TCP socket listening on *host*, an ephemeral port (not the loop's)."""
    sock = bound_tcp_socket(world, host)
    sock.listen(5)
    return sock


def accept_one(listener: socket.socket, timeout: float = 2.0) -> socket.socket:
    """Accept one connection on *listener* (a client has connected, so the
    kernel has it ready), as a non-blocking socket; None if none came in time."""
    listener.settimeout(timeout)
    try:
        conn, _ = listener.accept()
    except socket.timeout:
        return None
    conn.setblocking(False)
    return conn


def port_held_by_open_connection(world: World, host: str) -> tuple:
    """``(host, port)``, a port on *host* that only an open connection holds:
    a listener of the spec's own, with SO_REUSEADDR set (as asyncio sets it on
    its listening sockets), accepts one connection from a client of its own
    and is closed; both ends of the connection stay open until cleanup, which
    resets them (no TIME_WAIT is left behind).

    Linux lets a new socket bind that port only if both it and the connection
    set SO_REUSEADDR -- the rule for every socket on a port that is not
    listening, a connection in TIME_WAIT too.  Unlike TIME_WAIT, which the
    kernel keeps in one table for the whole machine (and keeps none of when it
    is full), this connection is the scenario's own for as long as it runs."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, 0))
        listener.listen(1)
        address = listener.getsockname()
        for end in (socket.create_connection(address, timeout=2.0), accept_one(listener)):
            if end is None:
                raise RuntimeError(f"the spec's own listener on {address} accepted no connection")
            set_linger_zero(world.keep(end))
    finally:
        listener.close()
    try:  # without SO_REUSEADDR the port must be taken, or the scenario shows nothing
        _binds(socket.AF_INET, host, address[1]).close()
    except OSError:
        return address
    raise RuntimeError(f"port {address[1]} was free again once its listener closed: no connection holds it")


def addresses_of_fd(fileno: int) -> tuple:
    """``(local address, peer address)`` of the connected socket *fileno*,
    read through a duplicate of the descriptor (the original stays as it is)."""
    import os

    dup = socket.socket(fileno=os.dup(fileno))
    try:
        return dup.getsockname(), dup.getpeername()
    finally:
        dup.close()


def option_is_set(sock: socket.socket, level: int, option: int) -> bool:
    """getsockopt(*level*, *option*) is non-zero."""
    return bool(sock.getsockopt(level, option))


def _binds(family: int, host: str, port: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def is_free_on_every_interface(port: int) -> bool:
    """True if *port* can be bound on 0.0.0.0 and on :: (IPv6 only) right now."""
    try:
        first = _binds(socket.AF_INET, "0.0.0.0", port)
    except OSError:
        return False
    try:
        _binds(socket.AF_INET6, "::", port).close()
        return True
    except OSError:
        return False
    finally:
        first.close()


def port_free_on_every_interface(tries: int = 50) -> int:
    """A port that is free on both 0.0.0.0 and :: (bind-probed): the system
    picks one on 0.0.0.0, and it is kept if :: has it free too.  Free only at
    the moment of the probe: a caller that then finds it taken picks again."""
    for _ in range(tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("0.0.0.0", 0))
            port = probe.getsockname()[1]
        if is_free_on_every_interface(port):
            return port
    raise RuntimeError(f"no port free on both 0.0.0.0 and :: in {tries} tries")


def own_sockets_on_port(port: int) -> list:
    """The addresses of this process's own TCP sockets bound to *port* (read
    through a duplicate of each socket descriptor in /proc/self/fd)."""
    import os

    found = []
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return found
    for name in names:
        try:
            if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                continue
            dup = socket.socket(fileno=os.dup(int(name)))
        except OSError:
            continue
        try:
            if dup.family in (socket.AF_INET, socket.AF_INET6) and dup.type == socket.SOCK_STREAM:
                address = dup.getsockname()
                if address[1] == port:
                    found.append(address)
        except OSError:
            pass
        finally:
            dup.close()
    return found
