"""behave hooks: wiring only.  What they do -- the loop under test, a fresh
event loop per scenario, active tags, expected failures, crash isolation,
cleanup, the verdict and the results log -- is
src/asyncio_server_spec/harness/conformance.py; its options are checked in
src/asyncio_server_spec/harness/options.py:

    behave -D loop=NAME -D expectations=off|FILE -D isolate=on|off
           -D time_limit=SECONDS -D results=PATH -D label=TEXT
           -D load_clients=N -D claims=DIR (set by run --jobs for its shards)
"""

import os
import sys

from asyncio_server_spec.harness import isolation
from asyncio_server_spec.harness.conformance import ConformanceRun, Refused

HERE = os.path.dirname(os.path.abspath(__file__))


def _stop(message):
    """Refuse to run: one line, exit 2, before any scenario (and no behave summary)."""
    print(f"asyncio-server-spec: {message}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(2)


def before_all(context):
    context.run = ConformanceRun(HERE)
    try:
        context.run.setup(context.config.userdata, context._runner.step_registry, context.config)
    except Refused as exc:
        _stop(str(exc))


def before_feature(context, feature):
    if context.run.excluded(feature.tags):
        for scenario in feature.walk_scenarios():
            if context.run.claim(scenario):
                context.run.not_applicable(scenario)
        feature.skip(reason="not applicable here")


def before_scenario(context, scenario):
    context.world = context.channel = None
    if not context.run.claim(scenario):
        scenario.skip(reason="run by another process of run --jobs")
        return
    if context.run.excluded(scenario.effective_tags):
        context.run.not_applicable(scenario)
        scenario.skip(reason="not applicable here")
        return
    isolation.exit_if_child()  # a child that outlived its scenario must go
    context.world, context.channel = context.run.begin(scenario)


def after_step(context, step):
    context.run.step_done(step, context.world, context.channel)


def after_scenario(context, scenario):
    if context.run.current is not None:
        context.run.end(scenario, context.world, context.channel)


def after_all(context):
    isolation.exit_if_child()
    if hasattr(context, "run") and hasattr(context.run, "expectations"):
        print(context.run.finish(), file=sys.__stdout__, flush=True)  # not captured
