"""Steps for the socket options of start_server / loop.create_server: backlog,
reuse_address, reuse_port, keep_alive, the options of an accepted connection,
and a second server on the port of the first."""

import errno

from behave import given, then, when

from asyncio_server_spec.reference import kernel, servers, sockets
from asyncio_server_spec.reference.scenario import is_server
from asyncio_server_spec.reference.sockets import EXTRA_SOCKET, usable

import vocabulary  # noqa: F401 -- registers the step vocabulary's types


# -- socket options ----------------------------------------------------------------
@given("a server started with {option:TcpOption}={value:Literal}")
async def step_server_with_option(context, option, value):
    """A start_server server on loopback given one socket option, as name=value."""
    await context.world.start("start_server", **{option: value})


@when("a server is created with {option:TcpOption}={value:Literal}")
async def step_create_with_option(context, option, value):
    """Try start_server with one socket option; the outcome is kept."""
    world = context.world
    await world.attempt_server(
        world.start("start_server", **{option: value}), f"start_server() with {option}={value!r}"
    )


@then("the listening socket lets at most {n:d} connections wait to be accepted")
def step_backlog(context, n):
    """The kernel lets at most *n* connections wait on the one listening socket."""
    sockets = context.world.server.sockets
    assert len(sockets) == 1, f"expected 1 listening socket in server.sockets; it is {sockets!r}"
    backlog = kernel.listen_backlog(usable(sockets[0], "server.sockets[0]"))
    assert backlog == n, f"expected the kernel to let at most {n} connections wait; it lets {backlog}"


def _accepted_option(world, option):
    """*option*'s value on the latest accepted connection's socket."""
    writers = world.record.writers
    assert writers, "expected the server to have accepted a connection; it accepted none"
    sock = usable(writers[-1].get_extra_info("socket"), EXTRA_SOCKET, ("getsockopt",))
    return sock.getsockopt(option.level, option.option)


@then("the accepted connection has {option:SocketOption} on")
def step_accepted_option_on(context, option):
    """The latest accepted connection's socket has *option* set."""
    value = _accepted_option(context.world, option)
    assert value, f"expected {option.name} on for the accepted socket; it is {value}"


@then("the accepted connection has {option:SocketOption} off")
def step_accepted_option_off(context, option):
    """The latest accepted connection's socket does not have *option* set."""
    value = _accepted_option(context.world, option)
    assert not value, f"expected {option.name} off for the accepted socket; it is {value}"


# -- two servers on one port -------------------------------------------------------
@given("a port whose listener was closed while a connection it accepted stays open")
def step_port_held_by_open_connection(context):
    """A port of this process's own loopback address held by an open connection
    of a closed listener of the spec's own (both set SO_REUSEADDR): what an old
    server leaves on its port, without resting on the kernel's TIME_WAIT table."""
    world = context.world
    world.address = sockets.port_held_by_open_connection(world, kernel.loopback_address())


@when("another server is created on the same port")
async def step_another_server_same_port(context):
    """Try a second server on the first one's port; the outcome is kept."""
    await _another_on_same_port(context.world, {})


@when("another server is created on the same port with {option:TcpOption}={value:Literal}")
async def step_another_server_same_port_option(context, option, value):
    """Try a second server on the first one's port, given one socket option; the outcome is kept."""
    await _another_on_same_port(context.world, {option: value})


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
    assert outcome.errno == errno.EADDRINUSE, (
        f"expected errno EADDRINUSE ({errno.EADDRINUSE}); it is {outcome.errno} ({outcome!r})"
    )


def _second_server_on_same_port(world):
    """The second server was created, listens on the first one's port and serves."""
    second = world.outcome
    if not is_server(second):
        taken = kernel.listener_owner((world.address[0], world.first_port)) == "other process"
        raise AssertionError(
            f"expected a second server on port {world.first_port}; it was not created: {second!r}"
            + (" -- another process listens on that port now, so this run cannot tell" if taken else "")
        )
    ports = [sock.getsockname()[1] for sock in second.sockets]
    assert ports == [world.first_port], (
        f"expected the second server on port {world.first_port}; it listens on {ports}"
    )
    assert world.call_server("is_serving", server=second), (
        "expected the second server to be serving; is_serving() says it is not"
    )


@then("the second server listens on the same port")
def step_second_on_same_port(context):
    """The second server was created, listens on the first one's port and serves."""
    _second_server_on_same_port(context.world)


@then("both servers listen on the same port")
def step_both_on_same_port(context):
    """The second server listens on the first one's port and serves, and the first serves too."""
    _second_server_on_same_port(context.world)
    assert context.world.server.is_serving(), (
        "expected the first server to be serving still; is_serving() says it is not"
    )
