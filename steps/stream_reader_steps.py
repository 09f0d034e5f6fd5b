"""Steps that steer a handler one call at a time (reference/handlers/steered.py)
and observe what each call of its StreamReader or StreamWriter gave: the
scenarios of stream_reader.feature and stream_writer.feature.

"Still waiting" is observed without a clock: the loop under test first takes
in whatever the client has sent -- it runs a few times, then echoes a probe
client on another connection of the same server, then runs a few times more
-- and the call must still not have returned.  Whatever was going to end the
call without more from the client has ended it by then.
"""

from __future__ import annotations

import asyncio

from behave import given, then, when

from asyncio_server_spec.reference.handlers.steered import (
    at_once,
    last_outcome,
    loop_has_taken_in,
    start_steered,
)

import vocabulary  # noqa: F401 -- registers the step vocabulary's types


# -- the steered server ---------------------------------------------------------------------
@given("a server started with {api:Api} whose handler is steered by the scenario")
async def step_steered_server(context, api):
    """A start_server or start_unix_server server whose handler makes the calls
    the steps hand it, in order, on its own reader and writer; later
    connections are echoed (probe clients)."""
    await start_steered(context.world, api)


@given(
    "a server started with {api:Api} and a reader limit of {limit:d} bytes "
    "whose handler is steered by the scenario"
)
async def step_steered_server_limit(context, api, limit):
    """As the steered server, with the API's ``limit`` given."""
    await start_steered(context.world, api, limit=limit)


# -- the client -------------------------------------------------------------------------------
@when("the server has echoed another client")
async def step_probe_round_trip(context):
    """A probe client connects to the same server, is echoed and leaves: the
    loop under test has taken in what the steered client sent before."""
    await loop_has_taken_in(context.world)


# -- the handler's calls -----------------------------------------------------------------------
@when("the handler calls {call:StreamCall}")
def step_handler_calls(context, call):
    """Hand the steered handler *call* (a reader or writer method with literal
    arguments), to make after the calls before it; it becomes *the handler's call*."""
    steered = context.world.steered
    assert steered.connected, "expected the steered handler to have a connection; it has none"
    steered.call(call.text, call.operation)


@when("the handler calls {first:StreamCall} and at once {second:StreamCall}")
def step_handler_calls_two(context, first, second):
    """Hand the steered handler *first* and *second* as one call: *second* is
    made right after *first*, before the loop runs anything else (unless
    *first* has to wait); it becomes *the handler's call*, with *second*'s outcome."""
    steered = context.world.steered
    assert steered.connected, "expected the steered handler to have a connection; it has none"
    steered.call(f"{first.text} and at once {second.text}", at_once(first.operation, second.operation))


def _describe(outcome):
    if outcome.error is not None:
        return f"raised {outcome.error!r}"
    return f"returned {outcome.value!r}"


@then("the handler's call returns {value:Literal}")
async def step_call_returns(context, value):
    """The handler's last call returned *value*, of the same type (bytes, not a
    bytearray; True, not 1)."""
    call, outcome = await last_outcome(context.world.steered)
    assert outcome.error is None and type(outcome.value) is type(value) and outcome.value == value, (
        f"expected {call.text} to return {value!r}; it {_describe(outcome)}"
    )


async def _failed(world, error):
    call, outcome = await last_outcome(world.steered)
    assert isinstance(outcome.error, error), (
        f"expected {call.text} to fail with {error.__name__}; it {_describe(outcome)}"
    )
    return call, outcome.error


@then("the handler's call fails with {error:StreamError}")
async def step_call_fails(context, error):
    """The handler's last call raised *error* (that class or a subclass)."""
    await _failed(context.world, error)


@then(
    "the handler's call fails with IncompleteReadError "
    "whose partial is {partial:Bytes} and whose expected is {expected:Literal}"
)
async def step_call_incomplete(context, partial, expected):
    """The handler's last call raised IncompleteReadError with these ``partial``
    and ``expected`` attributes."""
    call, error = await _failed(context.world, asyncio.IncompleteReadError)
    got = (error.partial, error.expected)
    assert got == (partial, expected) and isinstance(error.partial, bytes), (
        f"expected {call.text}'s IncompleteReadError to carry partial={partial!r} and "
        f"expected={expected!r}; it carries partial={got[0]!r} and expected={got[1]!r}"
    )


@then("the handler's call fails with LimitOverrunError whose consumed is {consumed:d}")
async def step_call_limit_overrun(context, consumed):
    """The handler's last call raised LimitOverrunError with this ``consumed``."""
    call, error = await _failed(context.world, asyncio.LimitOverrunError)
    assert error.consumed == consumed, (
        f"expected {call.text}'s LimitOverrunError to carry consumed={consumed}; "
        f"it carries {error.consumed!r}"
    )


@then("the handler's call is still waiting")
async def step_call_waiting(context):
    """Once the loop under test has taken in what the client sent (see the
    module docstring), the handler's last call has still not returned."""
    world = context.world
    await loop_has_taken_in(world)
    assert world.steered.calls, "expected a call handed to the handler; none was"
    call = world.steered.calls[-1]
    assert not call.done.done(), (
        f"expected {call.text} to be still waiting; it {_describe(call.done.result())}"
    )
