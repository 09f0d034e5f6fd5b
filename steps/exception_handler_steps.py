"""Steps that watch what the loop reports: the loop's exception handler and
ResourceWarnings, as the watched handlers of handler_steps.py end or fail."""

import asyncio
import warnings

from behave import given, then

from asyncio_server_spec.reference.handlers import HandlerFailure


# -- the loop's exception handler -------------------------------------------------------
# Every scenario's World keeps what the loop reports to its exception handler;
# a report no step expects fails the scenario once its steps are done.
@then("the loop's exception handler was told nothing")
def step_told_nothing(context):
    """The loop's exception handler got no report at all."""
    world = context.world
    assert not world.loop_reports, (
        f"expected no report to the loop's exception handler; reports: {world.described_reports()}"
    )


@then("the loop's exception handler was told the task's exception was never retrieved")
def step_told_never_retrieved(context):
    """Exactly one report says a task's exception (the handler's failure) was never retrieved."""
    context.world.reported_once(
        lambda r: (
            r.get("message") == "Task exception was never retrieved"
            and isinstance(r.get("exception"), HandlerFailure)
        ),
        "that a task's exception was never retrieved",
    )


@then("the loop's exception handler was told of an unhandled exception in the handler")
def step_told_unhandled(context):
    """Exactly one report names the handler's failure as unhandled in
    client_connected_cb, for a connection the handler was given."""
    world = context.world
    world.reported_once(
        lambda r: (
            r.get("message") == "Unhandled exception in client_connected_cb"
            and isinstance(r.get("exception"), HandlerFailure)
            and any(r.get("transport") is t for t in world.record.transports)
        ),
        "of an unhandled exception in the handler",
    )


@then("the loop's exception handler was told of the handler's exception as an error in a callback")
def step_told_callback_error(context):
    """Exactly one report is the loop's report for any callback that raises:
    it names the callback (``handle``), not the connection (``transport``)."""
    context.world.reported_once(
        lambda r: (
            isinstance(r.get("exception"), HandlerFailure)
            and r.get("handle") is not None
            and "transport" not in r
        ),
        "of the handler's exception as an error in a callback",
    )


@then("the loop's exception handler was told of a CancelledError raised in a callback")
def step_told_cancelled_in_callback(context):
    """Exactly one report is a callback that raised CancelledError."""
    context.world.reported_once(
        lambda r: (
            str(r.get("message", "")).startswith("Exception in callback")
            and isinstance(r.get("exception"), asyncio.CancelledError)
        ),
        "of a CancelledError raised in a callback",
    )


# -- ResourceWarnings ---------------------------------------------------------------------
@given("ResourceWarnings are recorded")
def step_record_warnings(context):
    """Every ResourceWarning from now on is kept in ``world.warnings_seen``,
    until the scenario's cleanup restores the warning filters."""
    world = context.world
    catcher = warnings.catch_warnings(record=True)
    world.warnings_seen = catcher.__enter__()
    warnings.simplefilter("always", ResourceWarning)
    world.on_cleanup(lambda: catcher.__exit__(None, None, None))


def _unclosed_writer_warnings(world):
    return [
        w
        for w in world.warnings_seen
        if issubclass(w.category, ResourceWarning) and "StreamWriter" in str(w.message)
    ]


@then("a ResourceWarning named an unclosed StreamWriter")
def step_one_resource_warning(context):
    """Exactly one ResourceWarning named an unclosed StreamWriter."""
    world = context.world
    found = _unclosed_writer_warnings(world)
    assert len(found) == 1, (
        "expected one ResourceWarning naming an unclosed StreamWriter; the warnings were "
        f"{[str(w.message) for w in world.warnings_seen]}"
    )


@then("no ResourceWarning named an unclosed StreamWriter")
def step_no_resource_warning(context):
    """No ResourceWarning named a StreamWriter."""
    found = _unclosed_writer_warnings(context.world)
    assert not found, (
        "expected no ResourceWarning naming an unclosed StreamWriter; there were "
        f"{[str(w.message) for w in found]}"
    )
