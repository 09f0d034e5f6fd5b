"""Steps for where a TCP server listens: the host (a string, a sequence,
None, ''), port, family and sock arguments of start_server /
loop.create_server."""

import asyncio
import socket

from behave import given, then, when

from asyncio_server_spec.reference import sockets
from asyncio_server_spec.reference.handlers import stream_handler

import vocabulary  # noqa: F401 -- registers the step vocabulary's types

PING = b"ping\n"

FAMILIES = {"IPv4": socket.AF_INET, "IPv6": socket.AF_INET6}

#: Where a client goes to reach a socket bound to a wildcard address.
LOOPBACK_FOR = {"0.0.0.0": "127.0.0.1", "::": "::1"}


# -- helpers ---------------------------------------------------------------------
def _hosts(text):
    """'127.0.0.1' -> '127.0.0.1'; '127.0.0.1 and ::1' -> ['127.0.0.1', '::1']."""
    parts = text.split(" and ")
    return parts[0] if len(parts) == 1 else parts


def _family_name(family):
    for name, value in FAMILIES.items():
        if family == value:
            return name
    return str(family)


def _bound(server):
    """What the server listens on, as a sorted list of (family, host, port)."""
    return sorted(
        (_family_name(sock.family), sock.getsockname()[0], sock.getsockname()[1]) for sock in server.sockets
    )


@given("a server started with {api:Api} on {hosts} at port {port:Literal}")
async def step_server_on_hosts(context, api, hosts, port):
    """A server made by *api* with host *hosts* (one, or several joined by 'and') and port *port*."""
    world = context.world
    kwargs = dict(host=_hosts(hosts), port=port)
    world.asked_host = kwargs["host"]
    world.tcp_creation = (api, kwargs)
    await world.start(api, **kwargs)


@given("a server started with start_server on every interface, by host {host:Literal}")
async def step_server_everywhere(context, host):
    """start_server with port 0 and a host that means every interface (None or '')."""
    await context.world.start("start_server", host=host, port=0)


@given("a server started with start_server on every interface, but with family {family:Family}")
async def step_server_everywhere_family(context, family):
    """start_server with host None and port 0, restricted to *family*."""
    await context.world.start("start_server", host=None, port=0, family=family)


@given("a server started with start_server with host None and getaddrinfo flags {flags:d}")
async def step_server_with_flags(context, flags):
    """start_server with host None and port 0, passing *flags* on to getaddrinfo()."""
    await context.world.start("start_server", host=None, port=0, flags=flags)


@when("a server is created with start_server without host, port or sock")
async def step_server_without_address(context):
    """Try asyncio.start_server with no host, port or sock; the outcome is kept."""
    world = context.world
    await world.attempt_server(
        asyncio.start_server(stream_handler("close", world.record)), "start_server() without an address"
    )


@then("the server listens exactly on {addresses}")
def step_listens_exactly_on(context, addresses):
    """The server's listening (family, host, port) triples are exactly *addresses*."""
    wanted = sorted(tuple(part.split(" ")) for part in addresses.split(" and "))
    listening = _bound(context.world.server)
    bound = [(family, host) for family, host, _ in listening]
    assert bound == wanted, f"expected exactly {addresses}; the server listens on {listening}"


@then("each listening socket has a port of its own, picked by the system")
async def step_port_of_its_own(context):
    # The system picks a free port for each socket separately, so two picks
    # can coincide by chance (about one in ten thousand).  If they do, the
    # server is made again, at most twice: a server that uses one port for
    # all its sockets coincides every time.
    """With port 0, each listening socket got its own port, not 0."""
    world = context.world
    api, kwargs = world.tcp_creation
    for _ in range(3):
        ports = [port for _, _, port in _bound(world.server)]
        assert len(ports) > 1, f"expected more than one listening socket; there is {_bound(world.server)}"
        assert 0 not in ports, f"expected no listening socket on port 0; they are {_bound(world.server)}"
        if len(set(ports)) == len(ports):
            return
        await world.start(api, **kwargs)
    raise AssertionError(f"expected a port of its own per socket; 3 tries shared one: {_bound(world.server)}")


@then("a client reaching each listening socket is echoed")
async def step_each_socket_echoes(context):
    """A client connecting to each listening address (wildcards via loopback) is echoed."""
    world = context.world
    sockets = list(world.server.sockets)
    assert sockets, "expected at least one listening socket in server.sockets; it is empty"
    for sock in sockets:
        host, port = sock.getsockname()[:2]
        client = await world.connect((LOOPBACK_FOR.get(host, host), port))
        reply = await client.echo(PING)
        assert reply == PING, f"expected the socket at {host}:{port} to echo {PING!r}; it echoed {reply!r}"


# -- sock= -------------------------------------------------------------------------
@given("a TCP socket the caller has bound to 127.0.0.1 but not made listen")
def step_caller_socket(context):
    """An IPv4 TCP socket bound to 127.0.0.1, not listening, kept for the scenario."""
    world = context.world
    sock = sockets.bound_tcp_socket(world, "127.0.0.1")
    world.caller_socket = sock
    world.caller_address = sock.getsockname()


@when("a server is started with {api:Api} on that socket")
async def step_server_on_socket(context, api):
    """A server made by *api* with sock= the caller's socket."""
    await context.world.start(api, sock=context.world.caller_socket)


async def _server_on_socket_and(world, name, value):
    """Try start_server with sock= and *name*=*value*; the outcome is kept."""
    await world.attempt_server(
        world.start("start_server", sock=world.caller_socket, **{name: value}),
        f"start_server() with sock and {name}={value!r}",
    )


@when("a server is created with start_server on that socket and also host {host}")
async def step_server_on_socket_and_host(context, host):
    """Try start_server with sock= and a host as well; the outcome is kept."""
    await _server_on_socket_and(context.world, "host", host)


@when("a server is created with start_server on that socket and also port {port:d}")
async def step_server_on_socket_and_port(context, port):
    """Try start_server with sock= and a port as well; the outcome is kept."""
    await _server_on_socket_and(context.world, "port", port)


@then("the server listens on the caller's socket")
def step_listens_on_caller_socket(context):
    """The server's one listening socket is the caller's socket, now listening."""
    world = context.world
    names = [sock.getsockname() for sock in world.server.sockets]
    assert names == [world.caller_address], f"expected only {world.caller_address!r}; it listens on {names!r}"
    try:
        accepting = sockets.is_listening(world.caller_socket)
    except OSError as exc:
        raise AssertionError(
            "expected the caller's socket to be the listening socket; its file "
            f"descriptor is no longer usable ({exc.strerror})"
        ) from None
    assert accepting, "expected the caller's socket to be listening; it is not"


@then("the caller's socket is closed")
def step_caller_socket_closed(context):
    """The caller's socket object has been closed (fileno() is -1)."""
    sock = context.world.caller_socket
    assert sock.fileno() == -1, f"expected the caller's socket to be closed; it is still open: {sock!r}"


# -- host None at a fixed port ---------------------------------------------------------
#: How many times a port found free may be taken by another process before the server binds it.
COLLISIONS = 10


@given(
    "a server started with start_server on every interface, by host None, "
    "at a port free on both IPv4 and IPv6"
)
async def step_server_everywhere_fixed_port(context):
    """start_server with host None at a port a bind probe found free on 0.0.0.0
    and ::.  A failure to bind while the port is taken by another process
    (probed again after it) means another port is tried; a failure while
    the port is still free, or held by sockets of this process, is the server's own."""
    world = context.world
    for _ in range(COLLISIONS):
        port = sockets.port_free_on_every_interface()
        try:
            await world.start("start_server", host=None, port=port)
        except OSError as exc:
            own = sockets.own_sockets_on_port(port)
            if own or sockets.is_free_on_every_interface(port):
                held = f"it left sockets of its own on {own}" if own else "the port is free on both"
                raise AssertionError(
                    f"expected start_server(host=None, port={port}) to listen on IPv4 and IPv6; "
                    f"creating the server failed with {exc!r}, and {held}"
                ) from None
            continue  # another process took the port meanwhile
        world.asked_port = port
        return
    raise RuntimeError(f"other processes took the port {COLLISIONS} times in a row")


@then("both listening sockets are on the port asked for")
def step_both_on_port(context):
    """Every listening socket's port is the one the server was asked for."""
    world = context.world
    ports = [port for _, _, port in _bound(world.server)]
    assert ports and all(port == world.asked_port for port in ports), (
        f"expected every listening socket on port {world.asked_port}; they are on {_bound(world.server)}"
    )


def _listening(world, family):
    return [sock for sock in world.server.sockets if sock.family == family]


@then("the IPv6 listening socket has IPV6_V6ONLY set")
def step_v6only(context):
    """getsockopt(IPPROTO_IPV6, IPV6_V6ONLY) on the IPv6 listening socket is non-zero."""
    found = _listening(context.world, socket.AF_INET6)
    assert len(found) == 1, f"expected one IPv6 listening socket; there are {found!r}"
    assert sockets.option_is_set(found[0], socket.IPPROTO_IPV6, socket.IPV6_V6ONLY), (
        "expected IPV6_V6ONLY on the IPv6 listening socket, leaving IPv4 to the other; it is off"
    )


@then("every listening socket has SO_REUSEADDR set")
def step_reuseaddr(context):
    """getsockopt(SOL_SOCKET, SO_REUSEADDR) is non-zero on every listening socket."""
    listening = list(context.world.server.sockets)
    off = [
        sock.getsockname()
        for sock in listening
        if not sockets.option_is_set(sock, socket.SOL_SOCKET, socket.SO_REUSEADDR)
    ]
    assert listening and not off, f"expected SO_REUSEADDR on every listening socket; it is off on {off}"
