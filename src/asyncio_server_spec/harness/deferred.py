"""Scenarios that wait on purpose run beside the others, in a shard of
``run --jobs N``.

A few scenarios spend nearly all their time waiting on a timer: a TLS
timeout must not fire before its 0.2 s, a connection must still be open
0.1 s later.  Run in line, each leaves its CPU idle for that long.  In a
shard (``-D claims=DIR``, see parallel.py) such a scenario runs in a child
forked from the shard, exactly as an isolated scenario does
(:mod:`.isolation`), but the shard does not wait for it: it goes on with
the next scenarios, and records the child's verdict once the child has
ended -- between two scenarios, or at the end of its run, within the
scenario's time limit.  The verdict is the one a run in line would give: the
first step that failed, with its kind and message, or how the child died,
or what its cleanup found.

Sequential runs (``behave``, ``run --jobs 1``) run every scenario in line,
with behave's own output.  Should a shard itself die, the verdicts of the
children it had not yet collected are lost with it; the merged verdict then
reports the shard's death, and those scenarios as not run.  A child's time
limit is kept by the child (:func:`.isolation.start_child`): a shard busy
with a long scenario may read a child late, never make it time out.
"""

import re

from .verdicts import CLEANUP, DIVERGED, HARNESS_ERROR

#: A step that waits on purpose: "... not before 0.2 seconds have passed",
#: "... still open 0.1 seconds later".
_WAITS = re.compile(r"\bnot before [0-9.]+ seconds\b|\b[0-9.]+ seconds later\b")


def waits(scenario):
    """True if one of *scenario*'s steps waits on purpose."""
    return any(_WAITS.search(step.name) for step in scenario.all_steps)


def judge(report, steps):
    """``(kind, message, step)`` of a scenario a child ran, from its
    :class:`~.isolation.ChildReport` and the scenario's behave *steps*:
    ``(None, None, None)`` when every step passed and cleanup found nothing."""
    for index, step in enumerate(steps):
        where = f"{step.keyword} {step.name}"
        if index >= len(report.steps):  # the child never reported this step
            kind = DIVERGED if report.setup_failure else report.death_kind
            return kind, report.death(), where
        seen = report.steps[index]
        if seen["status"] != "passed":
            if seen.get("kind") is None:  # not run (undefined): the spec's own fault
                return (
                    HARNESS_ERROR,
                    f"the step was {seen['status']} in the child process that ran the scenario",
                    where,
                )
            return seen["kind"], seen.get("message"), where
    if not report.finished:
        return report.death_kind, report.death(), "(cleanup)"
    if report.problems:
        return CLEANUP, "cleanup: " + "; ".join(report.problems), "(cleanup)"
    return None, None, None
