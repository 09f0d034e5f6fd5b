"""behave hooks: the loop under test, a fresh event loop per scenario, active
tags, expected failures per loop, crash isolation and guaranteed cleanup.

    behave -D loop=NAME            asyncio (default), uvloop, rloop or package.module:factory
    behave -D expectations=off     the raw verdict: every divergence fails
    behave -D expectations=FILE    another expectations file (default: expectations/NAME.toml)
    behave -D isolate=on|off       one forked process per scenario (default: on unless asyncio)
    behave -D time_limit=SECONDS   how long an isolated scenario may run (default 10)
"""

import glob
import os
import sys

from behave.model_core import Status
from behave.parser import parse_file

from asyncio_server_spec import active_tags, isolation
from asyncio_server_spec.expectations import ExpectationError, for_loop
from asyncio_server_spec.loops import LoopSelectionError, loop_factory
from asyncio_server_spec.results import ResultLog, scenario_id
from asyncio_server_spec.scenario import Scenario
from asyncio_server_spec.verdicts import (
    EXPECTED_FAILURE, UNEXPECTED_FAILURE, UNEXPECTED_PASS, Verdicts)

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTATIONS_DIR = os.path.join(HERE, "expectations")
FEATURES_DIR = os.path.join(HERE, "features")


def _stop(message):
    """Refuse to run: one line, exit 2, before any scenario (and no behave summary)."""
    print("asyncio-server-spec: {}".format(message), file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(2)


def _isolation(setting, loop_name):
    if setting in (None, ""):
        return loop_name != "asyncio"
    if setting not in ("on", "off"):
        raise ValueError("isolate={!r} is not accepted; use isolate=on or isolate=off".format(setting))
    return setting == "on"


def _seconds(text):
    if text is None:
        return isolation.SCENARIO_TIME_LIMIT
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise ValueError("time_limit={!r} is not accepted; give a positive number of seconds".format(text))
    return seconds


def _check_ids(expectations):
    """Every id an expectations file lists must exist in the spec -- all of it,
    not just the part this run selected."""
    if not expectations.entries:
        return
    paths = glob.glob(os.path.join(FEATURES_DIR, "*.feature"))
    known = {scenario_id(s.tags) for path in paths for s in parse_file(path).walk_scenarios()}
    unknown = sorted(expectations.ids() - known)
    if unknown:
        raise ExpectationError("{} lists scenario id(s) the spec does not have: {}".format(
            expectations.source, ", ".join(unknown)))


def before_all(context):
    userdata = context.config.userdata
    name = userdata.get("loop", "asyncio")
    try:
        context.new_loop = loop_factory(name)
        expectations = for_loop(name, userdata.get("expectations"), EXPECTATIONS_DIR)
        _check_ids(expectations)
        context.isolate = _isolation(userdata.get("isolate"), name)
        context.time_limit = _seconds(userdata.get("time_limit"))
    except (LoopSelectionError, ExpectationError, ValueError) as exc:
        _stop(str(exc))
    context.loop_name = name
    context.expectations = expectations
    context.expected = expectations.applying()
    context.active_tags = active_tags.matcher(name)
    context.verdicts = Verdicts()
    results = userdata.get("results")
    context.result_log = ResultLog(results) if results else None
    if context.isolate:
        isolation.wrap_step_registry(context._runner.step_registry)


def before_feature(context, feature):
    if context.active_tags.should_skip_with_tags(feature.tags):
        feature.skip(reason=context.active_tags.exclude_reason)


def before_scenario(context, scenario):
    if context.active_tags.should_skip_with_tags(scenario.effective_tags):
        scenario.skip(reason=context.active_tags.exclude_reason)
        return
    isolation.exit_if_child()  # a child that outlived its scenario must go
    context.sid = scenario_id(scenario.tags)
    context.failure = None
    if context.result_log:
        context.result_log.started(context.sid, scenario.name)
    if context.isolate:
        context.channel, report = isolation.fork(context.time_limit)
        if report is not None:  # the parent: replay what the child did
            context.replay = isolation.Replay(report)
            context.child_report = report
            return
    # An isolated scenario's process ends with it, so nothing it holds can
    # outlive it; in one process, a scenario must leave no fd or thread behind.
    context.world = Scenario(context.new_loop, check_leaks=not context.isolate)


def _describe(exc):
    if exc is None:
        return None
    if isinstance(exc, AssertionError):
        return str(exc) or "assertion failed"
    return "{}: {}".format(type(exc).__name__, exc)


def after_step(context, step):
    channel = getattr(context, "channel", None)
    if channel is not None:  # the child reports the raw outcome
        channel.step(step.status.name, _describe(step.exception))
        return
    if not step.status.has_failed():
        return
    context.failure = _describe(step.exception) or step.status.name
    expected = context.expected.get(context.sid)
    if expected is not None:
        step.status = Status.skipped
        context.scenario.skip(reason="expected failure: " + expected.describe())


def after_scenario(context, scenario):
    if not hasattr(context, "sid"):
        return  # excluded by an active tag
    channel = getattr(context, "channel", None)
    if channel is not None:  # the child: clean up, report, and vanish -- whatever happens
        try:
            world = getattr(context, "world", None)
            channel.end(world.close() if world is not None else ["the scenario never started"])
        except BaseException as exc:
            channel.end(["cleanup raised {}".format(_describe(exc))])
        finally:
            os._exit(0)
    problems = _cleanup_problems(context)
    failure = context.failure or ("cleanup: " + "; ".join(problems) if problems else None)
    expected = context.expected.get(context.sid)
    if expected is not None and failure:
        status = "expected-failure"
        context.verdicts.add(EXPECTED_FAILURE, context.sid, "{} -- observed: {}".format(
            expected.describe(), failure))
    elif expected is not None:
        status = "unexpected-pass"
        detail = "listed in {} as failing ({}), but it passed: remove the entry".format(
            context.expectations.source, expected.reason)
        context.verdicts.add(UNEXPECTED_PASS, context.sid, detail)
    elif failure:
        status = "failed"
        context.verdicts.add(UNEXPECTED_FAILURE, context.sid, failure)
    else:
        status = "passed"
    if context.result_log:
        context.result_log.ended(context.sid, status, failure)
    if status == "unexpected-pass":
        raise AssertionError("unexpected pass: " + context.verdicts.rows[-1][2])
    if status == "failed" and not context.failure:
        raise AssertionError(failure)  # a failure found only by cleanup


def _cleanup_problems(context):
    world = getattr(context, "world", None)
    if world is not None:
        return world.close()
    report = context.child_report
    if report.finished:
        return report.problems
    if len(report.steps) == len(context.scenario.steps):
        return [report.death()]  # died after its last step, while cleaning up
    return []  # the death already failed the step it happened in


def after_all(context):
    isolation.exit_if_child()
    verdicts = getattr(context, "verdicts", None)
    if verdicts is None:
        return
    if verdicts.rows or context.loop_name != "asyncio":
        source = context.expectations.source or "none"
        heading = "loop={}, Python {}, expectations: {}".format(
            context.loop_name, sys.version.split()[0], source)
        print(verdicts.summary(heading), file=sys.__stdout__, flush=True)  # not captured
