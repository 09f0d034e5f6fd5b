"""Scenarios that wait on purpose run beside the others in a shard of
``run --jobs``: which scenarios, and the verdict their child's report gives."""

from types import SimpleNamespace

from asyncio_server_spec.harness import deferred
from asyncio_server_spec.harness.isolation import ChildReport
from asyncio_server_spec.harness.verdicts import CLEANUP, CRASHED, DIVERGED, HARNESS_ERROR, TIMED_OUT


def _scenario(*names):
    return SimpleNamespace(all_steps=[SimpleNamespace(keyword="Then", name=n) for n in names])


STEPS = _scenario(
    "a TLS server",
    "a silent client connects",
    "the server ends the connection, not before 0.1 seconds have passed",
).all_steps


def _report(steps, end=True, problems=(), exit_status=0, hung=False, setup=None):
    events = [{"event": "step", **step} for step in steps]
    if setup is not None:
        events.append({"event": "setup-failed", "message": setup})
    if end:
        events.append({"event": "end", "problems": list(problems)})
    return ChildReport(events, exit_status, hung, "its last words", time_limit=10)


PASSED = {"status": "passed", "kind": None, "message": None}


def test_only_scenarios_with_a_step_that_waits_on_purpose_run_beside():
    assert deferred.waits(
        _scenario("x", "the server ends the connection, not before 0.1 seconds have passed")
    )
    assert deferred.waits(_scenario("the server's side of the connection is still open 0.1 seconds later"))
    assert not deferred.waits(
        _scenario(
            "a TLS server started with an SSL handshake timeout of 0.1 seconds", "it failed with ValueError"
        )
    )


def test_a_child_whose_steps_all_passed_gives_a_pass():
    assert deferred.judge(_report([PASSED] * 3), STEPS) == (None, None, None)


def test_the_first_failed_step_gives_its_kind_message_and_name():
    failed = {"status": "failed", "kind": DIVERGED, "message": "ended after 0.01 s"}
    assert deferred.judge(_report([PASSED, PASSED, failed]), STEPS) == (
        DIVERGED,
        "ended after 0.01 s",
        "Then the server ends the connection, not before 0.1 seconds have passed",
    )


def test_a_child_that_died_in_a_step_blames_that_step():
    kind, message, step = deferred.judge(_report([PASSED], end=False, exit_status=6), STEPS)
    assert kind == CRASHED and step == "Then a silent client connects"
    assert "crashed" in message and "its last words" in message
    kind, message, _ = deferred.judge(_report([PASSED], end=False, hung=True), STEPS)
    assert kind == TIMED_OUT and "within 10 s" in message


def test_a_loop_that_cannot_be_made_in_the_child_is_the_loops_divergence():
    kind, message, step = deferred.judge(
        _report([], end=False, setup="the scenario's event loop could not be made: boom"), STEPS
    )
    assert (kind, step) == (DIVERGED, "Then a TLS server") and message.endswith("boom")


def test_cleanup_deaths_and_problems_come_after_every_step_passed():
    kind, _, step = deferred.judge(_report([PASSED] * 3, end=False, exit_status=9), STEPS)
    assert (kind, step) == (CRASHED, "(cleanup)")
    assert deferred.judge(_report([PASSED] * 3, problems=["1 fd left open"]), STEPS) == (
        CLEANUP,
        "cleanup: 1 fd left open",
        "(cleanup)",
    )


def test_a_step_the_child_could_not_run_is_the_specs_own_fault():
    undefined = {"status": "undefined", "kind": None, "message": None}
    kind, message, _ = deferred.judge(_report([PASSED, undefined]), STEPS)
    assert kind == HARNESS_ERROR and "undefined" in message
