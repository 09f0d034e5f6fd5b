"""Steps for TLS servers: certificates from the spec's static test CA,
verifying and non-verifying clients, and the TLS timeouts."""

import asyncio
import ssl
import time

from behave import given, then, when

from asyncio_server_spec.reference import tls
from asyncio_server_spec.reference.handlers import bulk_writer
from asyncio_server_spec.reference.waiting import promptly

import vocabulary  # noqa: F401 -- registers the step vocabulary's types

PING = b"ping over tls\n"
HOST = tls.HOST
#: How much longer than a TLS timeout a step waits for its effect.
GRACE = 1.5
#: A timer may fire up to the loop's clock resolution early; allow a little more.
EARLY = 0.02
MIB = 1024 * 1024


def _start_timeout_clock(world):
    """The moment a TLS timeout can start counting, on the loop under test's
    clock (for what the server side notes) and on the client's."""
    world.tls_clock_start = world.loop.time()
    world.tls_client_clock_start = time.monotonic()


# -- servers ---------------------------------------------------------------------
@given("a TLS server started with {api:Api}")
async def step_tls_server(context, api):
    """A server made by *api* with the test certificate as ssl= (on loopback,
    or at a socket file for the Unix APIs)."""
    await context.world.start(api, ssl=tls.contexts()["server"])


@given("a TLS server started with an SSL handshake timeout of {seconds:g} seconds")
async def step_tls_server_handshake_timeout(context, seconds):
    """A TLS start_server server whose handler echoes, given ssl_handshake_timeout=*seconds*."""
    context.world.tls_timeout = seconds
    await context.world.start("start_server", ssl=tls.contexts()["server"], ssl_handshake_timeout=seconds)


@given(
    "a TLS server that closes each connection at once, with an SSL shutdown timeout of {seconds:g} seconds"
)
async def step_tls_server_shutdown_timeout(context, seconds):
    """A TLS start_server server whose handler closes each connection, given
    ssl_shutdown_timeout=*seconds*."""
    context.world.tls_timeout = seconds
    await context.world.start(
        "start_server", "close", ssl=tls.contexts()["server"], ssl_shutdown_timeout=seconds
    )


@when("start_server is called with an SSL handshake timeout of {seconds:g} seconds but no ssl")
async def step_handshake_timeout_without_ssl(context, seconds):
    """Try start_server with ssl_handshake_timeout and no ssl; the outcome is kept."""
    world = context.world
    await world.attempt(
        world.start("start_server", ssl_handshake_timeout=seconds),
        "start_server() with ssl_handshake_timeout and no ssl",
    )


@when("start_server is called with ssl and an SSL shutdown timeout of {seconds:g} seconds")
async def step_shutdown_timeout_attempt(context, seconds):
    """Try start_server with ssl and ssl_shutdown_timeout; the outcome is kept."""
    world = context.world
    await world.attempt(
        world.start("start_server", ssl=tls.contexts()["server"], ssl_shutdown_timeout=seconds),
        "start_server() with ssl_shutdown_timeout",
    )


# -- clients ---------------------------------------------------------------------
@when("a client that trusts another CA connects over TLS")
async def step_untrusting_client(context):
    """A TLS client verifying against an unrelated CA tries to connect; the outcome is kept."""
    await context.world.attempt(
        context.world.connect(ssl=tls.contexts()["untrusting"], server_hostname=HOST),
        "a TLS connection from a client that trusts another CA",
    )


@when("a client without TLS sends a line of text")
async def step_plain_client_sends(context):
    """A client that speaks no TLS connects to the server's address (a TCP
    port or a socket file) and sends a line of plain text."""
    client = await context.world.connect()
    await client.send(b"hello, in plain text\n")


@when("a plain TCP client connects and sends nothing")
async def step_plain_client_silent(context):
    """A plain TCP client connects and sends nothing; the clock for the timeout starts."""
    world = context.world
    _start_timeout_clock(world)
    await world.connect()


@given(
    "a TLS server whose handler writes {n:d} MiB that the client does not read, "
    "with an SSL shutdown timeout of {seconds:g} seconds"
)
async def step_tls_bulk_writer(context, n, seconds):
    """A TLS server whose handler queues *n* MiB, waits for the client's EOF and
    then for its own side of the connection to end (noted in ``world.server_side_ended``)."""
    world = context.world
    world.tls_timeout = seconds
    world.server_side_ended = ended = world.loop.create_future()
    await world.start(
        "start_server",
        bulk_writer(world.record, n * MIB, ended),
        ssl=tls.contexts()["server"],
        ssl_shutdown_timeout=seconds,
    )


async def _handshake_by_hand(world):
    """A plain TCP client that completes the TLS handshake by hand
    (:func:`~asyncio_server_spec.reference.tls.handshake_by_hand`); returns the
    client, its SSLObject and its incoming and outgoing BIOs."""
    client = await world.connect()  # plain TCP: TLS is driven by hand
    return (client, *await tls.handshake_by_hand(client))


@when("a client completes the TLS handshake but never answers the server's TLS close")
async def step_client_ignores_tls_close(context):
    """A client completes the handshake by hand and then never answers the server's close_notify."""
    world = context.world
    client, tls_object, incoming, outgoing = await _handshake_by_hand(world)
    # the server's shutdown timer cannot start before it has our last
    # handshake message, which is sent only now
    _start_timeout_clock(world)
    await tls.flush(client, outgoing)
    world.tls_client = tls_object
    world.tls_incoming = incoming


@when("a client completes the TLS handshake, then half-closes its side and reads nothing")
async def step_client_half_closes(context):
    """The client sends its end of the stream (TCP, not a TLS close) once the
    handler is running, and never reads what the server sends."""
    world = context.world
    client, _tls, _incoming, outgoing = await _handshake_by_hand(world)
    await tls.flush(client, outgoing)
    await world.record.wait_accepted(1)  # the handler has queued its data
    _start_timeout_clock(world)
    await client.write_eof()


# -- observations -----------------------------------------------------------------
@then("a client that trusts the test CA is echoed over TLS")
async def step_trusting_client_echoed(context):
    """A client verifying the server against the test CA completes the
    handshake and gets its line back, decrypted."""
    try:
        client = await context.world.connect(ssl=tls.contexts()["trusting"], server_hostname=HOST)
    except ssl.SSLError as exc:
        raise AssertionError(
            f"expected the server to complete a TLS handshake; the handshake failed: {exc}"
        ) from None
    assert client.is_tls, "expected a TLS connection; the client's connection is not TLS"
    reply = await client.echo(PING)
    assert reply == PING, f"expected the echo {PING!r}, got {reply!r}"


@then("the plain text never reached the handler")
def step_plain_text_not_received(context):
    """The handler received no bytes at all."""
    received = context.world.record.received
    assert received == b"", f"expected no bytes to reach the handler; it received {received!r}"


@then("the client receives the server's TLS close")
async def step_client_receives_tls_close(context):
    """The hand-driven client reads the server's TLS close_notify."""
    world = context.world
    while True:
        data = await world.client.read(65536, "the server's TLS close_notify")
        assert data, "expected the server's TLS close_notify; the connection ended without one"
        world.tls_incoming.write(data)
        try:
            if world.tls_client.read() == b"":  # what SSLObject.read() gives on close_notify
                return
        except ssl.SSLWantReadError:
            continue


def _not_early(world, seconds, elapsed):
    assert elapsed >= seconds - EARLY, (
        f"expected the connection to end at the {seconds} s timeout, not before; "
        f"it ended after {elapsed:.3f} s"
    )


def _same_timeout(world, seconds):
    assert seconds == world.tls_timeout, (
        f"precondition: expected the step to name the server's {world.tls_timeout} s timeout; "
        f"it names {seconds} s"
    )


@then("the server ends the connection, not before {seconds:g} seconds have passed")
async def step_server_ends_connection_after(context, seconds):
    """The client sees the end of the connection, due at once when the TLS
    timeout has passed, and not before; timed where the client read the end,
    not where this step got to hear of it."""
    world = context.world
    _same_timeout(world, seconds)
    # if the end does not come, the wait fails saying what it waited for
    await world.client.sees_eof(timeout=seconds + GRACE, not_before=seconds)
    _not_early(world, seconds, world.client.ended_at - world.tls_client_clock_start)


@then("the server ends its side of the connection, not before {seconds:g} seconds have passed")
async def step_server_ends_its_side_after(context, seconds):
    """The server's side of the connection ends, due at once when the TLS
    timeout has passed, and not before (timed on the loop under test)."""
    world = context.world
    _same_timeout(world, seconds)
    ended_at = await promptly(
        asyncio.shield(world.server_side_ended),
        "the server to end its side of the connection",
        seconds + GRACE,
        not_before=seconds,
    )
    _not_early(world, seconds, ended_at - world.tls_clock_start)


@then("the server's side of the connection is still open {seconds:g} seconds later")
async def step_server_side_still_open(context, seconds):
    """Bounded wait for an end that must not come (five times the timeout or more)."""
    world = context.world
    assert seconds >= 5 * world.tls_timeout, (
        f"precondition: expected a wait of at least five times the {world.tls_timeout} s timeout; "
        f"the step waits {seconds} s"
    )
    done, _ = await asyncio.wait({world.server_side_ended}, timeout=seconds)
    elapsed = world.server_side_ended.result() - world.tls_clock_start if done else None
    assert not done, (
        f"expected the server's side open for {seconds} s; the server ended the connection "
        f"after {elapsed:.3f} s"
    )
