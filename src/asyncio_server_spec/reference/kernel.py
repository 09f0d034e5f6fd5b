"""What the (Linux) kernel knows about sockets, read directly: who owns a
listening socket, a listening socket's accept-queue limit, and the
connections left in TIME_WAIT.

These let the spec observe facts the socket API does not expose, without
trusting the loop under test to report them.
"""

from __future__ import annotations

import os
import socket
import struct
import sys

#: /proc/net/tcp states: a listening socket, a connection in TIME_WAIT
_LISTEN = "0A"
_TIME_WAIT = "06"


def _own_socket_inodes():
    """Inodes of every socket this process has open."""
    inodes = set()
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return inodes
    for name in names:
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def _decode(hex_address, family):
    host, port = hex_address.split(":")
    raw = bytes.fromhex(host)
    if family == socket.AF_INET:
        packed = raw[::-1]
    else:  # four 32-bit words, each in host (little-endian) order
        packed = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(family, packed), int(port, 16)


def _tcp_table():
    """``[(state, (local host, port), (remote host, port), inode)]`` of every
    TCP socket in this network namespace, as /proc/net/tcp and tcp6 list
    them; None when the kernel's tables cannot be read (no /proc)."""
    rows, read = [], False
    for path, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        try:
            with open(path, encoding="ascii") as table:
                next(table)
                read = True
                for line in table:
                    fields = line.split()
                    rows.append(
                        (fields[3], _decode(fields[1], family), _decode(fields[2], family), int(fields[9]))
                    )
        except OSError:
            continue
    return rows if read else None


def _listeners(port):
    """(host, inode) of every listening TCP socket on *port* in this network
    namespace; None when the kernel's tables cannot be read (no /proc)."""
    table = _tcp_table()
    if table is None:
        return None
    return [(local[0], inode) for state, local, _, inode in table if state == _LISTEN and local[1] == port]


def time_wait_count() -> int:
    """How many TCP connections the kernel keeps in TIME_WAIT in this network
    namespace, every process's together (``tw`` of /proc/net/sockstat: what
    ``ss -s`` shows as timewait).  The kernel keeps at most
    ``net.ipv4.tcp_max_tw_buckets`` of them; beyond that it keeps none.
    -1 where there is no /proc."""
    try:
        with open("/proc/net/sockstat", encoding="ascii") as stat:
            for line in stat:
                fields = line.split()
                if fields and fields[0] == "TCP:" and "tw" in fields:
                    return int(fields[fields.index("tw") + 1])
    except OSError:
        pass
    return -1


def time_wait_connections(host: str) -> list:
    """``(local address, remote address)`` of the connections in TIME_WAIT
    that have *host* at either end (every server of a run listens on the
    run's own :func:`loopback_address`, so these are the run's own)."""
    return [
        (local, remote)
        for state, local, remote, _ in _tcp_table() or ()
        if state == _TIME_WAIT and host in (local[0], remote[0])
    ]


_WILDCARDS = ("0.0.0.0", "::")


def listener_owner(address: tuple) -> str:
    """Who listens at TCP *address* ``(host, port)``: ``"this process"``,
    ``"other process"``, ``"nobody"`` (the kernel lists no listening socket
    there) or ``"unknown"`` (no /proc)."""
    host, port = address[0], address[1]
    listeners = _listeners(port)
    if listeners is None:
        return "unknown"
    matching = [
        inode
        for bound, inode in listeners
        if bound == host or bound in _WILDCARDS or bound == "::ffff:" + host
    ]
    if not matching:
        return "nobody"
    own = _own_socket_inodes()
    return "this process" if any(inode in own for inode in matching) else "other process"


def listen_backlog(sock: socket.socket) -> int:
    """How many connections the kernel lets wait in a listening TCP socket's
    accept queue (the value given to listen()), read with Linux sock_diag --
    the Send-Q that ``ss -l`` shows for a listening socket."""
    if not hasattr(socket, "AF_NETLINK"):
        raise AssertionError(
            "precondition: expected Linux sock_diag (netlink) to read the listen backlog; "
            "this system has none"
        )
    inode = os.fstat(sock.fileno()).st_ino
    tcp_listen_state = 1 << 10
    request = struct.pack("=BBBBI", sock.family, socket.IPPROTO_TCP, 0, 0, tcp_listen_state)
    request += bytes(48)  # inet_diag_sockid: any socket of that family
    sock_diag_by_family, request_dump, done, error = 20, 0x301, 3, 2
    header = struct.pack("=IHHII", 16 + len(request), sock_diag_by_family, request_dump, 1, 0)
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 4) as netlink:  # NETLINK_SOCK_DIAG
        netlink.settimeout(2.0)
        netlink.sendall(header + request)
        while True:
            data = netlink.recv(1 << 16)
            offset = 0
            while offset < len(data):
                length, kind = struct.unpack_from("=IH", data, offset)
                if kind == done:
                    raise AssertionError(
                        f"expected the kernel to list the listening socket {sock!r}; sock_diag does not"
                    )
                if kind == error:
                    raise AssertionError(
                        "precondition: expected sock_diag to answer the request for listening sockets; "
                        "it refused it"
                    )
                # inet_diag_msg: 4 bytes, sockid (48), expires, rqueue, wqueue, uid, inode
                _, wqueue, _, found = struct.unpack_from("=IIII", data, offset + 16 + 56)
                if found == inode:
                    return wqueue
                offset += (length + 3) & ~3


_LOOPBACK = {}


def loopback_address() -> str:
    """A loopback address of this process's own, where servers listen unless a
    scenario names another: on Linux every 127.x.y.z reaches this machine, so
    each process (each run, each isolated scenario) takes its own, and a port
    that another process's server takes on 127.0.0.1 (or on its own address)
    after a scenario's server closed is never the one a check connects to.
    Elsewhere, 127.0.0.1."""
    pid = os.getpid()
    if pid not in _LOOPBACK:
        if sys.platform.startswith("linux"):
            _LOOPBACK[pid] = f"127.{1 + pid % 250}.{(pid // 250) % 256}.{1 + (pid // 64000) % 250}"
        else:
            _LOOPBACK[pid] = "127.0.0.1"
    return _LOOPBACK[pid]
