"""behave hooks: a fresh event loop per scenario, active tags, guaranteed cleanup.

Choose the loop with ``behave -D loop=NAME`` (asyncio, uvloop, rloop or
package.module:factory); asyncio is the default.
"""

import os
import sys

from asyncio_server_spec import active_tags
from asyncio_server_spec.loops import LoopSelectionError, loop_factory
from asyncio_server_spec.results import ResultLog, scenario_id
from asyncio_server_spec.scenario import Scenario


def before_all(context):
    name = context.config.userdata.get("loop", "asyncio")
    try:
        context.new_loop = loop_factory(name)
    except LoopSelectionError as exc:
        print("asyncio-server-spec: {}".format(exc), file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(2)  # before any scenario, and without behave's "ABORTED" summary
    context.loop_name = name
    context.active_tags = active_tags.matcher(name)
    results = context.config.userdata.get("results")
    context.result_log = ResultLog(results) if results else None


def before_feature(context, feature):
    if context.active_tags.should_skip_with_tags(feature.tags):
        feature.skip(reason=context.active_tags.exclude_reason)


def before_scenario(context, scenario):
    if context.active_tags.should_skip_with_tags(scenario.effective_tags):
        scenario.skip(reason=context.active_tags.exclude_reason)
        return
    if context.result_log:
        context.result_log.started(scenario_id(scenario.tags), scenario.name)
    context.world = Scenario(context.new_loop)


def after_scenario(context, scenario):
    world = getattr(context, "world", None)
    if world is None:
        return
    problems = world.close()
    if context.result_log:
        status = "failed" if problems else scenario.status.name
        context.result_log.ended(scenario_id(scenario.tags), status, _error(scenario, problems))
    if problems:
        raise AssertionError("cleanup: " + "; ".join(problems))


def _error(scenario, problems):
    for step in scenario.steps:
        if step.error_message:
            return step.error_message.strip().splitlines()[-1]
    return "; ".join(problems) or None
