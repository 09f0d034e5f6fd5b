"""Steps about switching a plain connection to TLS part way through: a
start_server handler with writer.start_tls(), a create_server protocol with
loop.start_tls().  The handlers (reference/handlers/tls.py) note what they saw
in ``world.tls_notes``; the client drives its side of TLS by hand
(:class:`~asyncio_server_spec.reference.tls.ClientTls`, ``world.client_tls``)."""

from behave import given, then, when

from asyncio_server_spec.reference import kernel, tls
from asyncio_server_spec.reference.handlers import (
    GO_AHEAD,
    OVER_TLS,
    STARTTLS,
    TlsNotes,
    switching_handler,
    switching_protocol,
    switching_reading_handler,
)

PING = b"ping over the switched connection\n"
#: A timer may fire up to the loop's clock resolution early; allow a little more.
EARLY = 0.02
#: How much longer than a TLS timeout a step waits for its effect.
GRACE = 1.5


# -- servers ---------------------------------------------------------------------------------
async def _start_switching(world, handler_for, **kwargs):
    """A plain start_server server whose handler is ``handler_for(notes)``."""
    notes = world.tls_notes = TlsNotes(world.loop, world.record)
    await world.start("start_server", handler_for(notes), **kwargs)


@given("a server whose handler switches its connection to TLS when the client asks")
async def step_switching_server(context):
    """A plain start_server server whose handler answers the client's request
    for TLS and calls writer.start_tls() with the test certificate, then echoes."""
    server_context = tls.contexts()["server"]
    await _start_switching(context.world, lambda notes: switching_handler(notes, server_context))


@given(
    "a server whose handler switches its connection to TLS when the client asks, "
    "with an SSL handshake timeout of {seconds:g} seconds"
)
async def step_switching_server_timeout(context, seconds):
    """As above, with writer.start_tls(..., ssl_handshake_timeout=*seconds*)."""
    world = context.world
    world.tls_timeout = seconds
    server_context = tls.contexts()["server"]
    await _start_switching(world, lambda notes: switching_handler(notes, server_context, seconds))


@given(
    "a server started with a reader limit of {limit:d} bytes whose handler switches its "
    "connection to TLS when the client asks, then reads {n:d} bytes"
)
async def step_switching_reading_server(context, limit, n):
    """A plain start_server server (limit=*limit*) whose handler switches to
    TLS when asked, says so over TLS, then reads *n* bytes, noting whether its
    transport is reading while the reader holds them and once it has read them."""
    world = context.world
    world.tls_bulk = n
    server_context = tls.contexts()["server"]
    await _start_switching(
        world, lambda notes: switching_reading_handler(notes, server_context, n), limit=limit
    )


@given(
    "a server made with create_server whose protocol switches its connection to TLS "
    "with loop.start_tls() when the client asks"
)
async def step_switching_protocol_server(context):
    """A plain loop.create_server server whose protocol answers the client's
    request for TLS, calls loop.start_tls(transport, protocol, context,
    server_side=True) and echoes through the transport it returns."""
    world = context.world
    notes = world.tls_notes = TlsNotes(world.loop, world.record)
    world.adopt(
        await tls.created_server(
            "create_server",
            lambda: world.loop.create_server(
                switching_protocol(notes, tls.contexts()["server"]), host=kernel.loopback_address(), port=0
            ),
        )
    )


# -- the client ------------------------------------------------------------------------------
async def _ask_for_tls(world):
    """A plain client connects and asks for TLS; the server must say go ahead."""
    client = await world.connect()
    await client.send(STARTTLS)
    answer = await client.readline("the server's answer to the request for TLS")
    assert answer == GO_AHEAD, f"expected the server to answer {GO_AHEAD!r}; it answered {answer!r}"
    return client


@when("a client asks for TLS and is told to go ahead")
async def step_client_asks(context):
    """A plain client sends the request for TLS and reads the server's go-ahead."""
    await _ask_for_tls(context.world)


async def _finish_handshake(world):
    """The client completes its handshake; a failure names what the handler's switch ended with."""
    try:
        await world.client_tls.finish_handshake()
    except AssertionError as exc:
        switched = world.tls_notes.switched
        if not (switched.done() and switched.result() is not None):
            raise
        failure = switched.result()
        raise AssertionError(f"{exc}; the handler's switch to TLS had failed with {failure!r}") from None


async def _switch_client(world):
    client = await _ask_for_tls(world)
    world.client_tls = tls.ClientTls(client)
    await world.client_tls.start()
    await _finish_handshake(world)


@when("a client asks for TLS, is told to go ahead and completes the TLS handshake")
async def step_client_switches(context):
    """As above, then the client completes a TLS handshake on the same connection."""
    await _switch_client(context.world)


@when("a client sends the start of its TLS handshake right behind its request for TLS")
async def step_client_sends_early(context):
    """The client sends the request for TLS and its ClientHello in one write,
    then reads the server's go-ahead."""
    world = context.world
    client = await world.connect()
    world.client_tls = tls.ClientTls(client)
    await world.client_tls.start(before=STARTTLS)
    answer = await client.readline("the server's answer to the request for TLS")
    assert answer == GO_AHEAD, f"expected the server to answer {GO_AHEAD!r}; it answered {answer!r}"


@when("a client switches to TLS and then sends {n:d} bytes at once")
async def step_client_switches_and_sends(context, n):
    """The client switches to TLS, waits for the handler to say it reads over
    TLS, then sends *n* bytes in one TLS record and one write."""
    world = context.world
    assert n == world.tls_bulk, (
        f"precondition: expected the step to send the {world.tls_bulk} bytes the handler reads; it sends {n}"
    )
    await _switch_client(world)
    told = await world.client_tls.receive_exactly(len(OVER_TLS))
    assert told == OVER_TLS, f"expected the handler to say {OVER_TLS!r}; it said {told!r}"
    await world.client_tls.send(b"x" * n)


@then("the client is echoed over the TLS it switched to")
async def step_echoed_over_switched_tls(context):
    """The client's line, sent over TLS, comes back over TLS."""
    reply = await context.world.client_tls.echo(PING)
    assert reply == PING, f"expected the echo {PING!r}, got {reply!r}"


@then("the client completes the TLS handshake and is echoed over the TLS it switched to")
async def step_completes_and_echoed(context):
    """The server answers the client's early handshake; the client's line comes back over TLS."""
    world = context.world
    await _finish_handshake(world)
    reply = await world.client_tls.echo(PING)
    assert reply == PING, f"expected the echo {PING!r}, got {reply!r}"


@then("the client's TLS handshake got no answer before the connection ended")
async def step_handshake_unanswered(context):
    """The client reads the end of the connection, and not a byte of a TLS answer before it."""
    read, end = await context.world.client.read_to_end("the server to end the connection", prompt=True)
    assert read == 0, f"expected no answer to the client's handshake; it read {read} bytes before the {end}"
