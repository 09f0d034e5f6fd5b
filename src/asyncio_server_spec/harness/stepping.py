"""Running every ``async def`` step on the loop under test -- and checking it.

behave runs an ``async def`` step on whatever loop the event-loop *policy*
hands out.  A loop package that replaces ``asyncio.set_event_loop`` or the
policy would then have its scenarios measured on another loop, silently; and
the policy API is deprecated from Python 3.14 on.  So the harness runs each
async step itself, with ``run_until_complete()`` of the scenario's own loop
(the one the loop factory made), and the step first checks that it really is
running on that loop.
"""

import asyncio
import functools


class WrongLoop(AssertionError):
    """A step found itself running on another loop than the loop under test."""


def _on_loop_under_test(coro_func):
    @functools.wraps(coro_func)
    def step(context, *args, **kwargs):
        loop = context.world.loop
        return loop.run_until_complete(_checked(loop, coro_func(context, *args, **kwargs)))

    step.runs_on_loop_under_test = True
    return step


async def _checked(loop, coro):
    running = asyncio.get_running_loop()
    if running is not loop:
        coro.close()
        raise WrongLoop(f"expected the step to run on the loop under test {loop!r}; it ran on {running!r}")
    return await coro


def run_on_loop_under_test(registry):
    """Make every async step of behave's *registry* run on ``context.world.loop``."""
    for matchers in registry.steps.values():
        for matcher in matchers:
            coro_func = getattr(matcher.func, "coro_func", None)  # behave's AsyncStepFunction
            if coro_func is not None:
                matcher.func = _on_loop_under_test(coro_func)
