"""Steps that watch what the loop reports: the loop's exception handler and
ResourceWarnings, as the connection handlers of handler_steps end or fail."""

import asyncio
import warnings

from behave import given, then

from asyncio_server_spec.reference.handlers import HandlerFailure

import step_types


# -- the loop's exception handler and warnings ------------------------------------------
@given("the loop's exception handler is captured")
def step_capture_exception_handler(context):
    """Every report to the loop's exception handler is kept in ``world.loop_reports``."""
    world = context.world
    world.loop_reports = []
    # the report is the last argument (rloop passes only the report, not the loop)
    world.loop.set_exception_handler(lambda *args: world.loop_reports.append(args[-1]))


@given("ResourceWarnings are recorded")
def step_record_warnings(context):
    """Every ResourceWarning from now on is kept in ``world.warnings_seen``,
    until the scenario's cleanup restores the warning filters."""
    world = context.world
    catcher = warnings.catch_warnings(record=True)
    world.warnings_seen = catcher.__enter__()
    warnings.simplefilter("always", ResourceWarning)
    world.on_cleanup(lambda: catcher.__exit__(None, None, None))


def _reports(world):
    return ["{}: {!r}".format(r.get("message"), r.get("exception")) for r in world.loop_reports]


def _reported_once(world, matches):
    """Exactly one report to the loop's exception handler *matches*."""
    matching = [report for report in world.loop_reports if matches(report)]
    assert len(matching) == 1, f"reports: {_reports(world)}"


#: What each report the loop's exception handler can have been told looks like.
LOOP_REPORTS = {
    "the task's exception was never retrieved": lambda world, r: (
        r.get("message") == "Task exception was never retrieved"
        and isinstance(r.get("exception"), HandlerFailure)),
    "of an unhandled exception in the handler": lambda world, r: (
        r.get("message") == "Unhandled exception in client_connected_cb"
        and isinstance(r.get("exception"), HandlerFailure)
        and r.get("transport") is world.handler_transport),
    # the report the loop's callback runner makes for any callback that raises:
    # it names the callback (``handle``), not the connection (``transport``)
    "of the handler's exception as an error in a callback": lambda world, r: (
        isinstance(r.get("exception"), HandlerFailure)
        and r.get("handle") is not None
        and "transport" not in r),
    "of a CancelledError raised in a callback": lambda world, r: (
        str(r.get("message", "")).startswith("Exception in callback")
        and isinstance(r.get("exception"), asyncio.CancelledError)),
}
assert set(LOOP_REPORTS) | {"nothing"} == set(step_types.LOOP_REPORTS)


@then("the loop's exception handler was told {report:LoopReport}")
def step_loop_was_told(context, report):
    """Exactly one report to the loop's exception handler is of that kind --
    or, "nothing", it got no report at all."""
    world = context.world
    if report == "nothing":
        assert not world.loop_reports, f"reports: {_reports(world)}"
    else:
        _reported_once(world, lambda r: LOOP_REPORTS[report](world, r))


def _unclosed_writer_warnings(world):
    return [
        w for w in world.warnings_seen
        if issubclass(w.category, ResourceWarning) and "StreamWriter" in str(w.message)
    ]


@then("{one:OneOrNo} ResourceWarning named an unclosed StreamWriter")
def step_resource_warning(context, one):
    """Exactly one ResourceWarning named an unclosed StreamWriter -- or none
    named a StreamWriter."""
    world = context.world
    found = _unclosed_writer_warnings(world)
    if one:
        assert len(found) == 1, f"warnings: {[str(w.message) for w in world.warnings_seen]}"
    else:
        assert not found, f"warnings: {[str(w.message) for w in found]}"
