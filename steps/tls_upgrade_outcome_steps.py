"""Steps about what the server side saw when a connection switched to TLS
(tls_upgrade.feature; the servers and clients are in tls_upgrade_steps.py)."""

import asyncio
import ssl

from behave import then

from asyncio_server_spec.reference.waiting import promptly

PING = b"ping over the switched connection\n"
#: A timer may fire up to the loop's clock resolution early; allow a little more.
EARLY = 0.02
#: How much longer than a TLS timeout a step waits for its effect.
GRACE = 1.5


# -- what the server side saw ----------------------------------------------------------------
async def _switch_outcome(world, timeout=None, not_before=0.0):
    """What the switch ended with (None: it succeeded), once it has ended."""
    what = "the handler's switch to TLS to end"
    switched = asyncio.shield(world.tls_notes.switched)
    if timeout is None:
        return await promptly(switched, what)
    return await promptly(switched, what, timeout, not_before=not_before)


def _failed_with(outcome, expected):
    assert isinstance(outcome, expected), f"expected the switch to TLS to fail with {expected.__name__}; " + (
        "it succeeded" if outcome is None else f"it failed with {type(outcome).__name__}: {outcome}"
    )


@then("the handler's switch to TLS failed with AttributeError")
async def step_switch_attribute_error(context):
    """writer.start_tls() could not be called: AttributeError."""
    _failed_with(await _switch_outcome(context.world), AttributeError)


@then(
    "the handler's switch to TLS failed with ConnectionAbortedError, "
    "not before {seconds:g} seconds have passed"
)
async def step_switch_timed_out(context, seconds):
    """writer.start_tls() failed with ConnectionAbortedError (the handshake
    timeout), once the timeout had passed and not before (on the loop's clock)."""
    world = context.world
    assert seconds == world.tls_timeout, (
        f"precondition: expected the step to name the handler's {world.tls_timeout} s timeout; "
        f"it names {seconds} s"
    )
    outcome = await _switch_outcome(world, seconds + GRACE, not_before=seconds)
    _failed_with(outcome, ConnectionAbortedError)
    took = world.tls_notes.switch_took
    assert took >= seconds - EARLY, (
        f"expected the switch to fail at the {seconds} s timeout, not before; it failed after {took:.3f} s"
    )


async def _reading(world):
    outcome = await promptly(asyncio.shield(world.tls_notes.read_all), "the handler to read everything")
    assert outcome is None, f"expected the handler to read everything; it failed with {outcome!r}"
    return world.tls_notes.reading


async def _while_holding(world, reading):
    said = (await _reading(world))["holding"]
    assert said is reading, (
        f"expected the TLS transport's is_reading() to be {reading} while the reader held more "
        f"than twice its limit; it was {said}"
    )


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
    assert notes.returned_transport is not None, (
        "expected loop.start_tls() to return a transport; it returned None"
    )
    assert notes.returned_transport is not notes.given_transport, (
        "expected loop.start_tls() to return a new transport; it returned the one it was given"
    )
    ssl_object = notes.facts.get("ssl_object")
    assert isinstance(ssl_object, ssl.SSLObject) and ssl_object.server_side is True, (
        f"expected the new transport to report the server's ssl.SSLObject; it reports {ssl_object!r}"
    )
