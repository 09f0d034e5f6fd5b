"""Steps about switching a plain connection to TLS part way through: a
start_server handler with writer.start_tls(), a create_server protocol with
loop.start_tls().  The handlers (reference/handlers/tls.py) note what they saw
in ``world.tls_notes``; the client drives its side of TLS by hand
(:class:`~asyncio_server_spec.reference.tls.ClientTls`, ``world.client_tls``)."""

import asyncio
import ssl

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
from asyncio_server_spec.reference.waiting import promptly

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


@given("a server whose handler switches its connection to TLS when the client asks, "
       "with an SSL handshake timeout of {seconds:g} seconds")
async def step_switching_server_timeout(context, seconds):
    """As above, with writer.start_tls(..., ssl_handshake_timeout=*seconds*)."""
    world = context.world
    world.tls_timeout = seconds
    server_context = tls.contexts()["server"]
    await _start_switching(world, lambda notes: switching_handler(notes, server_context, seconds))


@given("a server started with a reader limit of {limit:d} bytes whose handler switches its "
       "connection to TLS when the client asks, then reads {n:d} bytes")
async def step_switching_reading_server(context, limit, n):
    """A plain start_server server (limit=*limit*) whose handler switches to
    TLS when asked, says so over TLS, then reads *n* bytes, noting whether its
    transport is reading while the reader holds them and once it has read them."""
    world = context.world
    world.tls_bulk = n
    server_context = tls.contexts()["server"]
    await _start_switching(world, lambda notes: switching_reading_handler(notes, server_context, n),
                           limit=limit)


@given("a server made with create_server whose protocol switches its connection to TLS "
       "with loop.start_tls() when the client asks")
async def step_switching_protocol_server(context):
    """A plain loop.create_server server whose protocol answers the client's
    request for TLS, calls loop.start_tls(transport, protocol, context,
    server_side=True) and echoes through the transport it returns."""
    world = context.world
    notes = world.tls_notes = TlsNotes(world.loop, world.record)
    world.adopt(await tls.created_server("create_server", world.loop.create_server(
        switching_protocol(notes, tls.contexts()["server"]), host=kernel.loopback_address(), port=0)))


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
    assert n == world.tls_bulk, f"the step sends {n} bytes, the handler reads {world.tls_bulk}"
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


# -- what the server side saw ----------------------------------------------------------------
async def _switch_outcome(world, timeout=None, not_before=0.0):
    """What the switch ended with (None: it succeeded), once it has ended."""
    what = "the handler's switch to TLS to end"
    switched = asyncio.shield(world.tls_notes.switched)
    if timeout is None:
        return await promptly(switched, what)
    return await promptly(switched, what, timeout, not_before=not_before)


def _failed_with(outcome, expected):
    assert isinstance(outcome, expected), (
        f"expected the switch to TLS to fail with {expected.__name__}; "
        + ("it succeeded" if outcome is None else f"it failed with {type(outcome).__name__}: {outcome}"))


@then("the handler's switch to TLS failed with AttributeError")
async def step_switch_attribute_error(context):
    """writer.start_tls() could not be called: AttributeError."""
    _failed_with(await _switch_outcome(context.world), AttributeError)


@then("the handler's switch to TLS failed with ConnectionAbortedError, "
      "not before {seconds:g} seconds have passed")
async def step_switch_timed_out(context, seconds):
    """writer.start_tls() failed with ConnectionAbortedError (the handshake
    timeout), once the timeout had passed and not before (on the loop's clock)."""
    world = context.world
    assert seconds == world.tls_timeout, f"the step names {seconds} s, the handler has {world.tls_timeout} s"
    outcome = await _switch_outcome(world, seconds + GRACE, not_before=seconds)
    _failed_with(outcome, ConnectionAbortedError)
    took = world.tls_notes.switch_took
    assert took >= seconds - EARLY, f"the switch failed after {took:.3f} s, before the {seconds} s timeout"


async def _reading(world):
    outcome = await promptly(asyncio.shield(world.tls_notes.read_all), "the handler to read everything")
    assert outcome is None, f"expected the handler to read everything; it failed with {outcome!r}"
    return world.tls_notes.reading


async def _while_holding(world, reading):
    said = (await _reading(world))["holding"]
    assert said is reading, (
        f"expected the TLS transport's is_reading() to be {reading} while the reader held more "
        f"than twice its limit; it was {said}")


@then("while the handler's reader held more than twice its limit, its TLS transport said it was reading")
async def step_reading_while_full(context):
    """transport.is_reading() of the writer's (TLS) transport was True while the reader was full."""
    await _while_holding(context.world, True)


@then("while the handler's reader held more than twice its limit, its TLS transport said it was not reading")
async def step_not_reading_while_full(context):
    """transport.is_reading() of the writer's (TLS) transport was False while the reader was full."""
    await _while_holding(context.world, False)


@then("once the handler had read everything, its TLS transport said it was reading")
async def step_reading_when_drained(context):
    """transport.is_reading() of the writer's (TLS) transport was True once the reader was empty."""
    said = (await _reading(context.world))["drained"]
    assert said is True, f"expected is_reading() to be True once everything was read; it was {said}"


@then("loop.start_tls() returned a new transport, which reports an ssl.SSLObject on the server's side")
async def step_new_transport(context):
    """The switch succeeded, the transport start_tls() returned is not the one
    it was given, and its get_extra_info("ssl_object") is the server's SSLObject."""
    world = context.world
    outcome = await _switch_outcome(world)
    assert outcome is None, f"expected loop.start_tls() to succeed; it failed with {outcome!r}"
    notes = world.tls_notes
    assert notes.returned_transport is not None, "loop.start_tls() returned None"
    assert notes.returned_transport is not notes.given_transport, (
        "expected loop.start_tls() to return a new transport; it returned the one it was given")
    ssl_object = notes.facts.get("ssl_object")
    assert isinstance(ssl_object, ssl.SSLObject) and ssl_object.server_side is True, (
        f"expected the new transport to report the server's ssl.SSLObject; it reports {ssl_object!r}")
