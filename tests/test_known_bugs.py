"""Scenarios that record a bug of CPython's loop (``@cpython_bug``): counted on
CPython's loop and on loops built on it, not counted on any other loop, whose
verdict then says whether it shares the bug."""

import asyncio
import importlib.util
import sys

import pytest

from asyncio_server_spec.features import read_features
from asyncio_server_spec.harness import known_bugs
from asyncio_server_spec.harness.verdicts import (
    AVOIDS_BUG,
    CRASHED,
    DIVERGED,
    FAILING,
    PASSED,
    SHARES_BUG,
)

from .spec_runs import run_spec

SHARED = "serving.start-serving-after-close-known-bug"  # every version, uvloop does what CPython does
AVOIDED = "protocols.close-in-resume-writing-reported-create_server"  # up to 3.14.7; uvloop ends it once


def test_a_verdict_says_which_way_a_loop_went_and_never_fails():
    assert known_bugs.verdict(PASSED, counted=False) == SHARES_BUG
    assert known_bugs.verdict(DIVERGED, counted=False) == AVOIDS_BUG
    assert SHARES_BUG not in FAILING and AVOIDS_BUG not in FAILING
    # a crash is not "behaving otherwise": it counts as usual; so does everything on CPython's loop
    assert known_bugs.verdict(CRASHED, counted=False) is None
    assert known_bugs.verdict(DIVERGED, counted=True) is None


def test_cpython_loops_and_loops_built_on_them_answer_for_its_bugs():
    loop = asyncio.new_event_loop()
    try:
        assert known_bugs.built_on_asyncio(loop)
    finally:
        loop.close()
    assert known_bugs.factory_built_on_asyncio(asyncio.new_event_loop, in_child=True)
    assert known_bugs.factory_built_on_asyncio(asyncio.new_event_loop, in_child=False)


def test_every_bug_scenario_has_a_version_tag_and_a_cpython_line():
    tagged = [s for f in read_features("features") for s in f.scenarios if known_bugs.TAG in s.tags]
    assert len(tagged) >= 10
    for scenario in tagged:
        assert any(t.startswith("use.with_python") for t in scenario.tags) or "known-bug" in scenario.id, (
            scenario.id
        )


@pytest.mark.skipif(importlib.util.find_spec("uvloop") is None, reason="uvloop does not install on PyPy")
def test_another_loop_is_not_held_to_cpython_bugs():
    run = run_spec(["-D", "loop=uvloop", "-D", "expectations=off", "--tags", f"id:{SHARED} or id:{AVOIDED}"])
    assert run.verdicts[SHARED] == SHARES_BUG, run.output
    assert run.outcomes[SHARED] == PASSED
    if sys.version_info[:3] <= (3, 14, 7):
        assert run.verdicts[AVOIDED] == AVOIDS_BUG, run.output
        assert "behaves otherwise than CPython's recorded bug" in run.records[AVOIDED]["message"]
    assert run.returncode == 0, run.output


def test_cpython_loop_is_held_to_its_own_bugs():
    run = run_spec(["--tags", f"id:{SHARED}"])
    assert run.verdicts[SHARED] == "pass", run.output
