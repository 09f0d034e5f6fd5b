"""Deviants of TCP server creation: host, port, family, sock, backlog,
reuse_address, reuse_port, keep_alive, TCP_NODELAY and the streams servers' limit.

Most only rewrite the keyword arguments of loop.create_server; a few wrap it
(binding differently, or touching each accepted connection's socket), and the
limit deviants wrap asyncio.start_server / start_unix_server (a deviant run is
a process of its own, so patching the module is fine there).
"""

import asyncio
import errno
import socket

from . import deviant, deviant_loop


def _tcp(adjust):
    """Apply *adjust* to TCP servers only (deviant_loop also sees Unix ones)."""

    def adjust_tcp(kwargs):
        sock = kwargs.get("sock")
        if "path" in kwargs or (sock is not None and sock.family == socket.AF_UNIX):
            return kwargs
        return adjust(kwargs)

    return adjust_tcp


def _tcp_deviant(adjust):
    return deviant_loop(adjust_kwargs=_tcp(adjust))


def _several(host):
    return isinstance(host, (list, tuple)) and len(host) > 1


# -- rewriting the arguments ------------------------------------------------------
def _first_host_only(kwargs):
    if _several(kwargs.get("host")):
        kwargs["host"] = kwargs["host"][0]
    return kwargs


def _one_port_for_all(kwargs):
    # pick one free port up front and ask for it on every address
    if _several(kwargs.get("host")) and not kwargs.get("port"):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            kwargs["port"] = probe.getsockname()[1]
    return kwargs


def _every_interface_is_ipv4(kwargs):
    if kwargs.get("host", None) in (None, "") and kwargs.get("port") is not None:
        kwargs["host"] = "0.0.0.0"
    return kwargs


def _family_dropped(kwargs):
    kwargs.pop("family", None)
    return kwargs


def _ipv6_loopback_on_ipv4(kwargs):
    if kwargs.get("host") == "::1":
        kwargs["host"] = "127.0.0.1"
    return kwargs


def _port_none_refused(kwargs):
    if kwargs.get("host") is not None and "port" in kwargs and kwargs["port"] is None:
        raise TypeError("port must be an integer")
    return kwargs


def _no_address_means_loopback(kwargs):
    if all(kwargs.get(name) is None for name in ("host", "port", "sock")):
        kwargs.update(host="127.0.0.1", port=0)
    return kwargs


def _sock_copied(kwargs):
    # the server works on a duplicate; the caller's socket object stays open
    if kwargs.get("sock") is not None:
        kwargs["sock"] = kwargs["sock"].dup()
    return kwargs


def _sock_ignored(kwargs):
    if kwargs.pop("sock", None) is not None and kwargs.get("host") is None:
        kwargs.update(host="127.0.0.1", port=0)
    return kwargs


def _sock_wins_over_host_port(kwargs):
    if kwargs.get("sock") is not None:
        kwargs.pop("host", None)
        kwargs.pop("port", None)
    return kwargs


def _dropping(name):
    def adjust(kwargs):
        kwargs.pop(name, None)
        return kwargs

    return adjust


def _forcing(name, value):
    def adjust(kwargs):
        kwargs[name] = value
        return kwargs

    return adjust


def _defaulting(name, value):
    def adjust(kwargs):
        kwargs.setdefault(name, value)
        return kwargs

    return adjust


deviant(
    "host_sequence_first_only",
    "addresses.host-sequence-start_server",
    "addresses.host-sequence-create_server",
    "addresses.port-0-per-socket",
)(_tcp_deviant(_first_host_only))
deviant("one_port_for_all_addresses", "addresses.port-0-per-socket")(_tcp_deviant(_one_port_for_all))
deviant(
    "every_interface_is_ipv4",
    "addresses.every-interface-none",
    "addresses.every-interface-empty-string",
    also=(
        "addresses.every-interface-fixed-port",
        "addresses.family-af-inet6",
        "addresses.flags-without-passive",
    ),
)(_tcp_deviant(_every_interface_is_ipv4))
deviant("family_ignored", "addresses.family-af-inet", "addresses.family-af-inet6")(
    _tcp_deviant(_family_dropped)
)
deviant("flags_ignored", "addresses.flags-without-passive")(_tcp_deviant(_dropping("flags")))
deviant("ipv6_loopback_on_ipv4", "addresses.ipv6-loopback")(_tcp_deviant(_ipv6_loopback_on_ipv4))
deviant("port_none_refused", "addresses.port-none-picks-free-port", also=("addresses.sock-with-host",))(
    _tcp_deviant(_port_none_refused)
)
deviant("no_address_means_loopback", "addresses.needs-host-port-or-sock")(
    _tcp_deviant(_no_address_means_loopback)
)
deviant(
    "sock_not_owned",
    "addresses.sock-owned-by-server",
    also=("addresses.sock-with-host", "addresses.sock-with-port"),
)(_tcp_deviant(_sock_copied))
deviant(
    "sock_ignored",
    "addresses.sock-start_server-listens",
    "addresses.sock-create_server-listens",
    "addresses.sock-owned-by-server",
    also=("addresses.sock-with-host", "addresses.sock-with-port"),
)(_tcp_deviant(_sock_ignored))
deviant("sock_wins_over_host_port", "addresses.sock-with-host", "addresses.sock-with-port")(
    _tcp_deviant(_sock_wins_over_host_port)
)
deviant("backlog_ignored", "socket-options.backlog-given")(_tcp_deviant(_dropping("backlog")))
deviant("backlog_default_128", "socket-options.backlog-default")(_tcp_deviant(_defaulting("backlog", 128)))
deviant("reuse_address_off", "socket-options.reuse-address-default")(
    _tcp_deviant(_forcing("reuse_address", False))
)
deviant("reuse_address_always", "socket-options.reuse-address-off")(
    _tcp_deviant(_forcing("reuse_address", True))
)
deviant("reuse_port_ignored", "socket-options.reuse-port-shares-port")(_tcp_deviant(_dropping("reuse_port")))
deviant(
    "reuse_port_always",
    "socket-options.reuse-port-needed-by-all",
    "addresses.port-in-use",
    also=("socket-options.reuse-address-off",),
)(_tcp_deviant(_forcing("reuse_port", True)))
# 3.13: the argument is accepted but has no effect
deviant("keep_alive_ignored", "socket-options.keep-alive-on", python=">=3.13")(
    _tcp_deviant(_dropping("keep_alive"))
)
# up to 3.12: the argument is quietly accepted instead of refused
deviant("keep_alive_accepted", "socket-options.keep-alive-unknown", python="<=3.12")(
    _tcp_deviant(_dropping("keep_alive"))
)


# -- wrapping loop.create_server ---------------------------------------------------
def _wrapping_create_server(around):
    """A loop factory whose create_server is ``around(original, factory, kwargs)``."""

    def factory():
        loop = asyncio.new_event_loop()
        original = loop.create_server

        async def create_server(protocol_factory, host=None, port=None, **kwargs):
            kwargs.update(host=host, port=port)
            return await around(original, protocol_factory, kwargs)

        loop.create_server = create_server
        return loop

    return factory


async def _each_host_bound_separately(original, protocol_factory, kwargs):
    # what uvloop does: every entry of the sequence gets a socket, duplicates too
    hosts = kwargs.get("host")
    if not (_several(hosts) and len(set(hosts)) < len(hosts)):
        return await original(protocol_factory, **kwargs)
    made = [await original(protocol_factory, **dict(kwargs, host=host)) for host in hosts]
    first = made[0]
    for other in made[1:]:
        first._sockets.extend(other._sockets)
        other._sockets = []
    return first


async def _address_in_use_moves_on(original, protocol_factory, kwargs):
    try:
        return await original(protocol_factory, **kwargs)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        return await original(protocol_factory, **dict(kwargs, port=0))


def _on_each_connection(change):
    """create_server whose accepted connections first get ``change(socket)``."""

    async def around(original, protocol_factory, kwargs):
        def changing_factory():
            protocol = protocol_factory()
            made = protocol.connection_made

            def connection_made(transport):
                change(transport.get_extra_info("socket"))
                return made(transport)

            protocol.connection_made = connection_made
            return protocol

        return await original(changing_factory, **kwargs)

    return around


deviant("duplicate_hosts_bound_twice", "addresses.duplicate-hosts-merged")(
    _wrapping_create_server(_each_host_bound_separately)
)
deviant(
    "address_in_use_moves_to_free_port",
    "addresses.port-in-use",
    "socket-options.reuse-address-off",
    "socket-options.reuse-port-needed-by-all",
)(_wrapping_create_server(_address_in_use_moves_on))
deviant("keep_alive_always_on", "socket-options.keep-alive-off-by-default")(
    _wrapping_create_server(
        _on_each_connection(lambda sock: sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1))
    )
)
deviant("nodelay_off", "socket-options.tcp-nodelay")(
    _wrapping_create_server(
        _on_each_connection(lambda sock: sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0))
    )
)


# -- wrapping asyncio.start_server / start_unix_server (their limit argument) -------
_patched = set()


def _start_with(adjust, api="start_server"):
    """A loop factory; asyncio.*api*'s keyword arguments pass *adjust* first."""

    def factory():
        if (adjust, api) not in _patched:
            _patched.add((adjust, api))
            original = getattr(asyncio, api)

            async def start(client_connected_cb, *args, **kwargs):
                return await original(client_connected_cb, *args, **adjust(kwargs))

            setattr(asyncio, api, start)
        return asyncio.new_event_loop()

    return factory


def _start_server_with(adjust):
    return _start_with(adjust, "start_server")


class _ReadBoundedByLimit(asyncio.StreamReader):
    """A reader that applies its limit to read() as well: read(n) returns at
    most limit bytes, read() stops after limit bytes instead of at EOF."""

    async def read(self, n=-1):
        if n >= 0:
            return await super().read(min(n, self._limit))
        chunks, size = [], 0
        while size < self._limit:
            block = await super().read(self._limit - size)
            if not block:
                break
            chunks.append(block)
            size += len(block)
        return b"".join(chunks)


_ReadBoundedByLimit.__name__ = "StreamReader"  # handlers may check what they were given


def _servers_read_bounded_by_limit():
    """A loop factory; start_server and start_unix_server give their
    connections a :class:`_ReadBoundedByLimit` reader."""

    def protocol_factory(client_connected_cb, limit):
        loop = asyncio.get_running_loop()
        return lambda: asyncio.StreamReaderProtocol(
            _ReadBoundedByLimit(limit=limit, loop=loop), client_connected_cb, loop=loop
        )

    async def start_server(client_connected_cb, host=None, port=None, *, limit=2**16, **kwargs):
        factory = protocol_factory(client_connected_cb, limit)
        return await asyncio.get_running_loop().create_server(factory, host, port, **kwargs)

    async def start_unix_server(client_connected_cb, path=None, *, limit=2**16, **kwargs):
        factory = protocol_factory(client_connected_cb, limit)
        return await asyncio.get_running_loop().create_unix_server(factory, path, **kwargs)

    def factory():
        asyncio.start_server = start_server
        asyncio.start_unix_server = start_unix_server
        return asyncio.new_event_loop()

    return factory


deviant("limit_ignored", "creating.limit-readline", "creating.limit-readuntil")(
    _start_server_with(_dropping("limit"))
)
deviant("limit_default_1_mib", "creating.limit-default-too-long")(
    _start_server_with(_defaulting("limit", 2**20))
)
deviant(
    "unix_limit_ignored",
    "creating.start_unix_server-limit-readline",
    "creating.start_unix_server-limit-readuntil",
)(_start_with(_dropping("limit"), "start_unix_server"))
deviant("read_bounded_by_limit", "creating.limit-not-for-read-n", "creating.limit-not-for-read-to-eof")(
    _servers_read_bounded_by_limit()
)
