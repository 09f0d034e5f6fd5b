"""Steps for the TCP-specific arguments of start_server / loop.create_server:
host (string, sequence, None, ''), port, family, sock, backlog, reuse_address,
reuse_port, keep_alive, and start_server's reader limit."""

import ast
import asyncio
import errno
import socket

from behave import given, then, when

from asyncio_server_spec.reference import kernel, servers, sockets
from asyncio_server_spec.reference.scenario import is_server

import step_types  # noqa: F401 -- registers the step vocabulary's types

PING = b"ping\n"

FAMILIES = {"IPv4": socket.AF_INET, "IPv6": socket.AF_INET6}

#: Where a client goes to reach a socket bound to a wildcard address.
LOOPBACK_FOR = {"0.0.0.0": "127.0.0.1", "::": "::1"}


# -- helpers ---------------------------------------------------------------------
def _value(text):
    """A step's literal argument: 0, None, True, False, 3 ..."""
    return ast.literal_eval(text)


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
        (_family_name(sock.family), sock.getsockname()[0], sock.getsockname()[1])
        for sock in server.sockets
    )


@given("a server started with {api:Api} on {hosts} at port {port}")
async def step_server_on_hosts(context, api, hosts, port):
    """A server made by *api* with host *hosts* (one, or several joined by 'and') and port *port*."""
    world = context.world
    kwargs = dict(host=_hosts(hosts), port=_value(port))
    world.asked_host = kwargs["host"]
    world.tcp_creation = (api, kwargs)
    await world.start(api, **kwargs)


@given("a server started with start_server {asked:EveryInterface}")
async def step_server_everywhere(context, asked):
    """start_server with port 0 on every interface: by host None or '', or
    host None restricted to a family, or host None with getaddrinfo flags."""
    kwargs = dict(asked)
    if "family" in kwargs:
        kwargs["family"] = getattr(socket, kwargs["family"])
    await context.world.start("start_server", port=0, **kwargs)


@when("a server is created with start_server without host, port or sock")
async def step_server_without_address(context):
    """Try asyncio.start_server with no host, port or sock; the outcome is kept."""
    world = context.world

    async def noop(reader, writer):
        writer.close()

    await world.attempt_server(asyncio.start_server(noop), "start_server() without an address")


@then("the server listens exactly on {addresses}")
def step_listens_exactly_on(context, addresses):
    """The server's listening (family, host, port) triples are exactly *addresses*."""
    wanted = sorted(tuple(part.split(" ")) for part in addresses.split(" and "))
    bound = [(family, host) for family, host, _ in _bound(context.world.server)]
    assert bound == wanted, f"the server listens on {_bound(context.world.server)}"


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
        assert len(ports) > 1, f"only one listening socket: {_bound(world.server)}"
        assert 0 not in ports, f"a socket is still on port 0: {_bound(world.server)}"
        if len(set(ports)) == len(ports):
            return
        await world.start(api, **kwargs)
    raise AssertionError(f"the listening sockets share a port: {_bound(world.server)}")


@then("a client reaching each listening socket is echoed")
async def step_each_socket_echoes(context):
    """A client connecting to each listening address (wildcards via loopback) is echoed."""
    world = context.world
    sockets = list(world.server.sockets)
    assert sockets, "the server has no listening socket"
    for sock in sockets:
        host, port = sock.getsockname()[:2]
        client = await world.connect((LOOPBACK_FOR.get(host, host), port))
        reply = await client.echo(PING)
        assert reply == PING, f"{host}:{port} echoed {reply!r}"


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


@when("a server is created with start_server on that socket and also {what}")
async def step_server_on_socket_and(context, what):
    """Try start_server with sock= and one more address argument; the outcome is kept."""
    world = context.world
    name, _, value = what.partition(" ")
    extra = {name: value if name == "host" else _value(value)}
    await world.attempt_server(world.start("start_server", sock=world.caller_socket, **extra),
        f"start_server() with sock and {what}",
    )


@then("the server listens on the caller's socket")
def step_listens_on_caller_socket(context):
    """The server's one listening socket is the caller's socket, now listening."""
    world = context.world
    names = [sock.getsockname() for sock in world.server.sockets]
    assert names == [world.caller_address], f"the server listens on {names!r}, not {world.caller_address!r}"
    try:
        accepting = sockets.is_listening(world.caller_socket)
    except OSError as exc:
        raise AssertionError("expected the caller's socket to be the listening socket; its file "
                             f"descriptor is no longer usable ({exc.strerror})") from None
    assert accepting, "expected the caller's socket to be listening; it is not"


@then("the caller's socket is closed")
def step_caller_socket_closed(context):
    """The caller's socket object has been closed (fileno() is -1)."""
    sock = context.world.caller_socket
    assert sock.fileno() == -1, f"the caller's socket is still open: {sock!r}"


# -- two servers on one port -------------------------------------------------------
@given("a server that has ended a client connection and then been closed")
async def step_server_left_time_wait(context):
    # The server closes the connection first, so its end of it stays in the
    # kernel (FIN_WAIT/TIME_WAIT) for a minute, bound to the server's port.
    """A server closed after it ended a connection first (its side lingers in TIME_WAIT)."""
    world = context.world
    await world.start("start_server", "close")
    client = await world.connect()
    assert await client.sees_eof()
    await client.close()
    world.server.close()


@when("another server is created on the same port{option:OptionGiven}")
async def step_another_server_same_port(context, option):
    """Try a second server on the first one's port (with one socket option
    given as name=value, if any); the outcome is kept."""
    await _another_on_same_port(context.world, {option[0]: _value(option[1])} if option else {})


async def _another_on_same_port(world, options):
    # world.start() would make the new server *the* server; the first one stays it
    host, port = world.address[:2]
    world.first_port = port
    await world.attempt_server(
        servers.create("start_server", "echo", world.record, host=host, port=port, **options),
        f"a second server on port {port}",
    )


@then("the error is EADDRINUSE (address already in use)")
def step_error_addr_in_use(context):
    """The kept outcome is an OSError with errno EADDRINUSE."""
    outcome = context.world.outcome
    assert isinstance(outcome, OSError), f"expected an OSError, got {outcome!r}"
    assert outcome.errno == errno.EADDRINUSE, f"errno is {outcome.errno} ({outcome!r})"


@then("{both:SamePort} on the same port")
def step_same_port(context, both):
    """The second server was created, listens on the first one's port and
    serves; "both servers": and the first server still serves too."""
    world = context.world
    second = world.outcome
    if not is_server(second):
        taken = kernel.listener_owner((world.address[0], world.first_port)) == "other process"
        raise AssertionError(
            f"expected a second server on port {world.first_port}; it was not created: {second!r}"
            + (" -- another process listens on that port now, so this run cannot tell"
               if taken else ""))
    ports = [sock.getsockname()[1] for sock in second.sockets]
    assert ports == [world.first_port], (
        f"expected the second server on port {world.first_port}; it listens on {ports}")
    assert second.is_serving(), "the second server is not serving"
    if both:
        assert world.server.is_serving(), "the first server is not serving"


