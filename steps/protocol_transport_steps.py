"""Steps for a BufferedProtocol's own buffer, connect_accepted_socket(), and
the transport fixes gh-155888 (writelines() with an empty last chunk) and
gh-156512 (a transport closed by resume_writing())."""

import re

from behave import given, then, when

from asyncio_server_spec.reference import kernel, sockets
from asyncio_server_spec.reference.handlers import protocols
from asyncio_server_spec.reference.loop_errors import calling
from asyncio_server_spec.reference.waiting import settle, within


# -- a BufferedProtocol -----------------------------------------------------------------------
@when("the client sends {n:d} numbered bytes and ends its side of the stream")
async def step_client_sends_numbered(context, n):
    """The latest client sends *n* bytes of the numbered stream (byte i is
    i % 251), then half-closes."""
    world = context.world
    world.sent = protocols.numbered(0, n)
    await world.client.send(world.sent)
    await world.client.write_eof()


@then("the protocol read every byte from its own buffer, in order")
def step_buffer_in_order(context):
    """What the BufferedProtocol read back from its own buffer, as each
    buffer_updated() said, is exactly what the client sent."""
    world = context.world
    got = world.protocols.latest().received
    assert got == world.sent, (
        f"expected the {len(world.sent)} bytes the client sent, in order, in the protocol's own "
        f"buffer; it read {len(got)} bytes that differ from them"
    )


@then(
    "the protocol's callbacks came in the order connection_made, then get_buffer each followed by "
    "at most one buffer_updated, then eof_received, then connection_lost"
)
def step_buffered_order(context):
    """The BufferedProtocol's callbacks follow its state machine: connection_made(),
    get_buffer() each followed by at most one buffer_updated(), eof_received(), connection_lost()."""
    protocol = context.world.protocols.latest()
    names = " ".join(name for name in protocol.names() if name in protocols.STATE_CALLBACKS)
    pattern = r"connection_made( get_buffer( buffer_updated)?)* eof_received connection_lost"
    assert re.fullmatch(pattern, names), (
        f"expected the callbacks in the order {pattern!r}; they were {names!r}"
    )


@then("each buffer_updated() counted no more bytes than the buffer get_buffer() handed out")
def step_updates_fit(context):
    """Every buffer_updated()'s nbytes is more than 0 and fits the buffer the
    get_buffer() before it handed out."""
    protocol = context.world.protocols.latest()
    too_many = [(nbytes, size) for nbytes, size in protocol.updates if not 0 < nbytes <= size]
    assert protocol.updates, "expected buffer_updated() calls; there were none"
    assert not too_many, f"expected 0 < nbytes <= the buffer's size; got (nbytes, size) {too_many}"


# -- connect_accepted_socket() ------------------------------------------------------------------
@given("a plain TCP socket listening on loopback")
def step_plain_listener(context):
    """A listening socket of the scenario's own (not the loop's), on this process's loopback address."""
    world = context.world
    world.listener = sockets.listening_tcp_socket(world, kernel.loopback_address())


@when("a client connects to the plain listening socket")
async def step_client_to_plain_listener(context):
    """A client connects to the scenario's own listening socket, which then accepts it."""
    world = context.world
    await world.connect(world.listener.getsockname())
    accepted = sockets.accept_one(world.listener)
    assert accepted is not None, (
        "precondition: expected the plain listening socket to accept the client; it accepted none"
    )
    world.accepted = world.keep(accepted)


@when(
    "the connection it accepted is handed to connect_accepted_socket() "
    "with a protocol that echoes what it receives"
)
async def step_connect_accepted(context):
    """loop.connect_accepted_socket(factory, sock) with the echoing noting
    protocol; its result is kept in ``world.outcome``."""
    world = context.world
    world.protocols = protocols.ProtocolLog(world.record)
    factory = protocols.echoing(world.protocols)
    with calling("expected connect_accepted_socket() to return a transport and a protocol; it raised"):
        world.outcome = await within(
            world.loop.connect_accepted_socket(factory, world.accepted), "connect_accepted_socket() to return"
        )


@then("connect_accepted_socket() returned the transport and the protocol the factory made")
async def step_accepted_returned(context):
    """The result is a (transport, protocol) pair: the protocol the factory
    made, and the transport its connection_made() got."""
    world = context.world
    outcome = world.outcome
    assert isinstance(outcome, tuple) and len(outcome) == 2, (
        f"expected a (transport, protocol) pair; connect_accepted_socket() returned {outcome!r}"
    )
    transport, protocol = outcome
    made = world.protocols.latest()
    assert protocol is made, f"expected the protocol the factory made, {made!r}; got {protocol!r}"
    await world.protocols.wait_for(lambda: made.transport is not None, "connection_made()")
    assert transport is made.transport, (
        f"expected the transport connection_made() got, {made.transport!r}; got {transport!r}"
    )


# -- gh-155888 and gh-156512 ----------------------------------------------------------------------
@then(
    "once a new client has been answered, the first transport is closing "
    "but its protocol has not lost the connection"
)
async def step_first_transport_hangs(context):
    """A new client's line is answered (the loop has served its sockets
    since); the first protocol's transport says it is closing, and its
    connection_lost() has not been called."""
    world = context.world
    first = world.protocols.first()
    client = await world.connect()
    line = b"ping\n"
    reply = await client.echo(line)
    assert reply == line, f"expected the new client to be answered {line!r}; it got {reply!r}"
    assert first.transport.is_closing(), "expected the first transport to be closing; it is not"
    assert not first.lost, (
        f"expected the first transport never to finish closing; connection_lost() was called: {first.calls!r}"
    )


@then("the loop's exception handler was told of an AttributeError from ending the connection a second time")
async def step_told_second_end(context):
    """Exactly one report: an AttributeError raised by the callback that
    ended the connection (``_call_connection_lost``) a second time."""
    world = context.world
    await settle()  # (the second attempt was scheduled with the first)
    world.reported_once(
        lambda r: (
            isinstance(r.get("exception"), AttributeError)
            and "_call_connection_lost" in str(r.get("message", ""))
        ),
        "of an AttributeError from ending the connection again",
    )
