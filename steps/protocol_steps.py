"""Steps for the protocol path of loop.create_server / create_unix_server:
a server whose protocol notes every callback it gets
(reference/handlers/protocols.py), what the client does to it, and what
the protocols noted.

``world.protocols`` is the server's :class:`ProtocolLog`; "the protocol" is
the one made last, "the first client's protocol" the one made first (the
clients connect one after the other, so the server accepts them in order).
"""

import re

from behave import given, then, when

from asyncio_server_spec.reference.handlers.protocols import AFTER_EOF, STATE_CALLBACKS, ProtocolLog
from asyncio_server_spec.reference.servers import start_protocol_server
from asyncio_server_spec.reference.waiting import settle

import vocabulary  # noqa: F401 -- registers the step vocabulary's types


# -- helpers ---------------------------------------------------------------------------------
def latest_protocol(world):
    """The protocol the factory made last."""
    return world.protocols.latest()


async def wait_until_lost(world, protocol):
    await world.protocols.wait_for(lambda: protocol.lost, "the protocol's connection_lost()")


# -- the server ------------------------------------------------------------------------------
@given("a server made with {api:ProtocolApi} whose protocol {protocol:Protocol}")
async def step_protocol_server(context, api, protocol):
    """A server made by *api* with a factory of one of the noting protocols
    the vocabulary names (PROTOCOLS); its log is ``world.protocols``."""
    world = context.world
    world.protocols = ProtocolLog(world.record)
    await start_protocol_server(world, api, protocol(world.protocols))


# -- acting ----------------------------------------------------------------------------------
@when("the client resets the connection")
async def step_client_resets(context):
    """The latest client closes with SO_LINGER set to 0: the server gets a reset."""
    await context.world.client.reset()


@when("the protocol has received the end of the stream")
async def step_protocol_got_eof(context):
    """Wait (bounded) until the latest protocol's eof_received() was called."""
    world = context.world
    protocol = latest_protocol(world)
    await world.protocols.wait_for(
        lambda: protocol.count("eof_received") > 0, "the protocol's eof_received()"
    )


@when("the protocol has lost its connection")
async def step_protocol_lost(context):
    """Wait (bounded) until the latest protocol's connection_lost() was called."""
    world = context.world
    await wait_until_lost(world, latest_protocol(world))


@when("the protocol writes a reply and closes its transport")
def step_protocol_writes_and_closes(context):
    """The latest protocol writes its reply (AFTER_EOF) and closes its transport."""
    latest_protocol(context.world).write_and_close(AFTER_EOF)


@when("the protocol closes its transport")
def step_protocol_closes(context):
    """The latest protocol closes its transport."""
    latest_protocol(context.world).transport.close()


# -- observing -------------------------------------------------------------------------------
@then("the protocol factory was called {n:d} times, once per connection")
def step_factory_calls(context, n):
    """The factory was called *n* times and every protocol it made got a connection."""
    log = context.world.protocols
    assert log.factory_calls == n, (
        f"expected the protocol factory to be called {n} times, once per connection; "
        f"it was called {log.factory_calls} times"
    )


@then("each connection was made on a protocol instance of its own")
def step_instance_per_connection(context):
    """Every protocol got connection_made() exactly once, each with a transport of its own."""
    log = context.world.protocols
    made = [protocol.arguments("connection_made") for protocol in log.made]
    assert all(len(calls) == 1 for calls in made), (
        "expected connection_made() once on each protocol instance; the instances got "
        f"{[len(calls) for calls in made]} calls"
    )
    transports = {id(calls[0]) for calls in made}
    assert len(transports) == len(made), (
        f"expected a transport of its own for each connection; {len(made)} connections got "
        f"{len(transports)} transport(s)"
    )
    instances = {id(protocol) for protocol in log.made}
    assert len(instances) == len(log.made), (
        f"expected a protocol instance of its own for each connection; {len(log.made)} connections "
        f"were made on {len(instances)} instance(s)"
    )


@then("each client is echoed by a protocol of its own")
async def step_each_echoed_by_own(context):
    """Each client sends a line of its own and gets it back; each protocol
    received exactly one client's line."""
    world = context.world
    lines = [f"client {i}\n".encode() for i in range(len(world.clients))]
    for client, line in zip(world.clients, lines):
        reply = await client.echo(line)
        assert reply == line, f"expected the echo {line!r}, got {reply!r}"
    received = sorted(protocol.received for protocol in world.protocols.made)
    assert received == sorted(lines), (
        f"expected each protocol to receive one client's line {sorted(lines)!r}; they received {received!r}"
    )


@then(
    "the protocol's callbacks came in the order connection_made, data_received, eof_received, connection_lost"
)
def step_callback_order(context):
    """The latest protocol's callbacks follow the state machine: connection_made(),
    data_received() one or more times, eof_received(), connection_lost()."""
    protocol = latest_protocol(context.world)
    names = " ".join(name for name in protocol.names() if name in STATE_CALLBACKS)
    pattern = r"connection_made( data_received)+ eof_received connection_lost"
    assert re.fullmatch(pattern, names), (
        f"expected the callbacks in the order {pattern!r}; they were {names!r}"
    )


@then('the protocol received "{text}"')
def step_protocol_received(context, text):
    """What data_received() gave the latest protocol, joined, is *text*."""
    received = latest_protocol(context.world).received
    assert received == text.encode(), f"expected the protocol to receive {text!r}; it got {received!r}"


async def _lost_once(world):
    """The latest protocol's one connection_lost() argument, after the loop
    has run what was already scheduled (a second call would be there by then)."""
    protocol = latest_protocol(world)
    await wait_until_lost(world, protocol)
    await settle()
    calls = protocol.arguments("connection_lost")
    assert len(calls) == 1, f"expected connection_lost() once; it was called {len(calls)} times: {calls!r}"
    return calls[0]


@then("the protocol's connection_lost() was called once, with None")
async def step_lost_once_none(context):
    """connection_lost() was called exactly once on the latest protocol, with None."""
    exc = await _lost_once(context.world)
    assert exc is None, f"expected connection_lost(None) for a clean close; it got {exc!r}"


@then("the protocol's connection_lost() was called once, with a ConnectionResetError")
async def step_lost_once_reset(context):
    """connection_lost() was called exactly once on the latest protocol, with a ConnectionResetError."""
    exc = await _lost_once(context.world)
    assert isinstance(exc, ConnectionResetError), (
        f"expected connection_lost() with the ConnectionResetError of the reset; it got {exc!r}"
    )


@then("the client receives the reply and then the end of the stream")
async def step_client_receives_reply_then_eof(context):
    """The latest client reads exactly the protocol's reply (AFTER_EOF), then the end of the connection."""
    await context.world.client.receive_then_end(AFTER_EOF)
