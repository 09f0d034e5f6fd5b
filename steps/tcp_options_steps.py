"""Steps for the socket options of start_server / loop.create_server: backlog,
reuse_address, reuse_port, keep_alive, and the options of an accepted connection."""

import ast
import socket

from behave import given, then, when

from asyncio_server_spec.reference import kernel

import step_types  # noqa: F401 -- registers the step vocabulary's types

#: Options of an accepted connection's socket a step may read, by name.
SOCKET_OPTIONS = {
    "SO_KEEPALIVE": (socket.SOL_SOCKET, socket.SO_KEEPALIVE),
    "TCP_NODELAY": (socket.IPPROTO_TCP, socket.TCP_NODELAY),
}


def _value(text):
    """A step's literal argument: 0, None, True, False, 3 ..."""
    return ast.literal_eval(text)


# -- socket options ----------------------------------------------------------------
@given("a server started with {option:TcpOption}={value}")
async def step_server_with_option(context, option, value):
    """A start_server server on loopback given one socket option, as name=value."""
    await context.world.start("start_server", **{option: _value(value)})


@when("a server is created with {option:TcpOption}={value}")
async def step_create_with_option(context, option, value):
    """Try start_server with one socket option; the outcome is kept."""
    world = context.world
    await world.attempt_server(world.start("start_server", **{option: _value(value)}),
        f"start_server() with {option}={value}",
    )


@then("the listening socket lets at most {n:d} connections wait to be accepted")
def step_backlog(context, n):
    """The kernel lets at most *n* connections wait on the one listening socket."""
    sockets = context.world.server.sockets
    assert len(sockets) == 1, f"server.sockets is {sockets!r}"
    backlog = kernel.listen_backlog(sockets[0])
    assert backlog == n, f"the kernel lets {backlog} connections wait, not {n}"


@then("the accepted connection has {option:SocketOption} {state}")
def step_accepted_option(context, option, state):
    """The latest accepted connection's socket has *option* on or off."""
    assert state in ("on", "off"), state
    writers = context.world.record.writers
    assert writers, "no connection was accepted"
    level, name = SOCKET_OPTIONS[option]
    value = writers[-1].get_extra_info("socket").getsockopt(level, name)
    assert bool(value) == (state == "on"), f"{option} is {value} on the accepted socket"
