"""A loop that crashes or hangs the process fails only the scenarios that hit it."""

import os
import signal
import time
from pathlib import Path

import pytest

from asyncio_server_spec.harness import isolation

from .spec_runs import run_spec

ROOT = Path(__file__).resolve().parents[1]


def _run(loop, *args):
    return run_spec(
        ["-D", "loop=tests.deviants.crashing:" + loop, "features/serving.feature"] + list(args),
        cwd=str(ROOT),
        timeout=120,
    )


def test_a_crash_fails_its_scenario_and_the_run_goes_on():
    run = _run("aborts_in_start_serving")
    assert run.returncode != 0
    assert "serving.start-serving-starts" in run.failed
    assert "serving.serves-by-default" in run.passed  # ran after nothing crashed it
    assert "it was killed by SIGABRT" in run.output
    assert len(run.passed) >= 5, run.output


def test_a_hang_fails_its_scenario_within_the_time_limit():
    run = run_spec(
        [
            "-D",
            "loop=tests.deviants.crashing:blocks_in_get_loop",
            "-D",
            "time_limit=1.5",
            "features/server_object.feature",
            "features/serving.feature",
        ],
        cwd=str(ROOT),
        timeout=120,
    )
    assert run.returncode != 0
    assert run.failed == {"server.get-loop"}, run.output
    assert "expected the scenario to finish within 1.5 s; it did not" in run.output
    assert len(run.passed) >= 10  # the scenarios after it ran


def test_the_real_loop_passes_isolated_too():
    run = run_spec(["-D", "isolate=on", "features/serving.feature"], cwd=str(ROOT), timeout=120)
    assert run.returncode == 0, run.output
    assert run.passed and not run.failed


def test_a_child_report_describes_how_the_child_ended():
    killed = isolation.ChildReport([], signal.SIGABRT, False, "panicked at x")
    assert killed.death() == (
        "the process running the scenario crashed: it was killed by SIGABRT; its last words: panicked at x"
    )
    exited = isolation.ChildReport([], 3 << 8, False, "")
    assert exited.death() == (
        "the process running the scenario crashed: it exited with status 3 before finishing it"
    )
    hung = isolation.ChildReport([], signal.SIGKILL, True, "", time_limit=2)
    assert hung.death() == (
        "expected the scenario to finish within 2 s; it did not, and its process was killed"
    )
    assert (killed.death_kind, hung.death_kind) == ("crashed", "timed-out")
    odd = isolation.ChildReport([], 77, False, "")
    assert "signal 77" in odd.death()


def test_replay_plays_back_each_step():
    report = isolation.ChildReport(
        [
            {"event": "step", "status": "passed", "kind": None, "message": None, "duration": 0.5},
            {"event": "step", "status": "failed", "kind": "diverged", "message": "no echo", "duration": 0.25},
        ],
        signal.SIGSEGV,
        False,
        "",
    )
    replay = isolation.Replay(report)
    assert replay.next_step() is None
    with pytest.raises(AssertionError, match=r"^no echo$"):
        replay.next_step()
    with pytest.raises(AssertionError, match="killed by SIGSEGV"):
        replay.next_step()  # the step it died in
    assert replay.outcome(1) == ("diverged", "no echo", 0.25)
    assert replay.outcome(2)[0] == "crashed"


def test_last_words_keep_a_panic_location_behind_a_long_backtrace():
    stderr = (
        "thread 'main' panicked at src/server.rs:1173:22:\nboom\n"
        + "".join(f"  {n}: frame {n}\n" for n in range(60))
    ).encode()
    words = isolation.last_words(stderr)
    assert words.startswith("thread 'main' panicked at src/server.rs:1173:22:")
    assert "frame 59" in words and "frame 10:" not in words


def test_child_channel_and_collect_round_trip():
    channel, report = isolation.fork(time_limit=10)
    if channel is not None:  # the child
        channel.step("passed", None, None, 0.1)
        channel.end(["a problem"])
        os._exit(0)
    assert report.finished and report.problems == ["a problem"]
    assert [s["status"] for s in report.steps] == ["passed"]


def test_a_child_started_runs_while_the_parent_goes_on_and_is_collected_later():
    read, write = os.pipe()  # the child waits for the parent's word before it reports
    channel, child = isolation.start_child(time_limit=10)
    if channel is not None:  # the child
        os.read(read, 1)
        channel.step("failed", "diverged", "expected x, observed y", 0.2)
        channel.end([])
        os._exit(0)
    assert child.ended() is False  # the parent was not held up: the child is still waiting
    os.write(write, b"!")
    report = child.collect()
    os.close(read)
    os.close(write)
    assert report.finished and not report.hung
    assert report.steps[0]["message"] == "expected x, observed y"
    assert 0 < report.wall_time < 10
    assert 0 < report.child_seconds <= report.wall_time  # its own time, told at its end


def test_a_child_started_that_outlives_its_time_is_killed_when_collected():
    channel, child = isolation.start_child(time_limit=0.2)
    if channel is not None:  # the child hangs, until a signal ends it
        signal.pause()
        os._exit(0)
    started = time.monotonic()
    report = child.collect()
    assert report.hung and not report.finished
    assert time.monotonic() - started < 2
    assert "within 0.2 s" in report.death()


def test_wrapped_steps_run_for_real_until_a_replay_is_set():
    calls = []

    class Matcher:
        def __init__(self):
            self.func = lambda context, n: calls.append(n)

    class Registry:
        steps = {"given": [Matcher()], "then": [Matcher()]}

    isolation.wrap_step_registry(Registry)
    isolation.wrap_step_registry(Registry)  # twice is harmless: no double wrapping
    func = Registry.steps["given"][0].func
    assert func.replays and not hasattr(func.__wrapped__, "replays")

    class Current:
        replay = None

    class Context:
        class run:
            current = Current

    func(Context, 1)
    Current.replay = isolation.Replay(
        isolation.ChildReport(
            [{"event": "step", "status": "passed", "kind": None, "message": None}], 0, False, ""
        )
    )
    func(Context, 2)
    assert calls == [1]  # the replayed call did not run the step


def test_exit_if_child_does_nothing_in_the_parent():
    assert isolation._IN_CHILD is False
    isolation.exit_if_child()
    assert isolation._IN_CHILD is False  # and this process is still here to say so


def test_last_words_say_a_repeated_line_once_with_its_count():
    stderr = b"starting\n" + b"error(zio): Failed to get io_uring SQE for cancel\n" * 12 + b"bye\n"
    words = isolation.last_words(stderr)
    assert words == "starting | error(zio): Failed to get io_uring SQE for cancel (x12) | bye"
