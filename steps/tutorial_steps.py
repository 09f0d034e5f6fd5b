"""Steps that put the claims of the seed tutorial on asyncio servers to the test
(features/tutorial_claims.feature).  Most of that feature reuses the steps of
the other features; these are the few it needs besides."""

import asyncio
import socket

from behave import given, then, when

from asyncio_server_spec.reference.handlers import stream_handler


@then("the server is an asyncio Server object")
def step_is_server_object(context):
    """The server the API returned is an asyncio.Server."""
    server = context.world.server
    assert isinstance(server, asyncio.AbstractServer), (
        f"expected an asyncio.AbstractServer; the server is {server!r}"
    )
    assert type(server).__name__ == "Server", (
        f"expected the server's class to be named Server; it is a {type(server).__name__}"
    )


@when("asyncio's Server class is called without arguments")
def step_call_server_class(context):
    """asyncio.Server() with no arguments; the outcome is kept."""
    from asyncio.base_events import Server  # asyncio.Server itself only exists from 3.9

    try:
        context.world.outcome = Server()
    except Exception as exc:  # the outcome *is* the observation
        context.world.outcome = exc


@given("a server started with start_server with a port but no host")
async def step_server_port_only(context):
    """start_server given port 0 and no host (every interface); clients use its IPv4 port on loopback."""
    world = context.world
    handler = stream_handler("echo", world.record)
    server = await world.start("start_server", handler, host=None, port=0)
    ipv4 = [s.getsockname()[1] for s in server.sockets if s.family == socket.AF_INET]
    # the address the other steps use is loopback: no traffic leaves this host
    world.adopt(server, ("127.0.0.1", ipv4[0]) if ipv4 else None)


@then("every socket in server.sockets listens on the server's address and none is a client")
def step_sockets_all_listening(context):
    """Every socket in server.sockets is bound to the server's address and has
    no peer (none is a connection)."""
    world = context.world
    sockets = list(world.server.sockets)
    assert sockets, "expected at least one socket in server.sockets; it is empty"
    for sock in sockets:
        assert tuple(sock.getsockname()[:2]) == tuple(world.address[:2]), (
            f"expected every socket in server.sockets bound to {tuple(world.address[:2])}; one is {sock!r}"
        )
        try:
            peer = sock.getpeername()
        except OSError:
            continue  # not connected: a listening socket
        raise AssertionError(
            f"expected no client connection in server.sockets; {sock!r} is connected to {peer!r}"
        )
