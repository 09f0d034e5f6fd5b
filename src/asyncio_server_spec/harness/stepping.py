"""Running every ``async def`` step on the loop under test -- and checking it.

behave runs an ``async def`` step on whatever loop the event-loop *policy*
hands out.  A loop package that replaces ``asyncio.set_event_loop`` or the
policy would then have its scenarios measured on another loop, silently; and
the policy API is deprecated from Python 3.14 on.  So the harness runs each
async step itself, with ``run_until_complete()`` of the scenario's own loop
(the one the loop factory made), and the step first checks that it really is
running on that loop.

What ``run_until_complete()`` raises that the step itself did not raise is
the loop's doing: an exception of a callback it ran (a handler's, which the
loop should have reported to its exception handler) or of its own machinery.
It fails the step as a divergence (:class:`Escaped`) that says so, whoever's
code the exception came from.
"""

import asyncio
import functools

from ..reference.handlers.base import HandlerFailure


class WrongLoop(AssertionError):
    """A step found itself running on another loop than the loop under test."""


class Escaped(AssertionError):
    """``run_until_complete()`` raised an exception that the step did not raise."""

    def __init__(self, exc):
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if isinstance(exc, HandlerFailure):
            message = (
                f"expected the loop to report the handler's exception ({exc}) to its exception "
                "handler and go on; it let the exception escape from run_until_complete() instead"
            )
        else:
            message = (
                f"run_until_complete() of the loop under test raised {text}, which the step did not "
                "raise: the loop let an exception of a callback or of its own escape"
            )
        super().__init__(message)
        self.original = exc


def _on_loop_under_test(coro_func):
    @functools.wraps(coro_func)
    def step(context, *args, **kwargs):
        loop = context.world.loop
        raised = []  # what the step's own coroutine raised
        try:
            return loop.run_until_complete(_checked(loop, coro_func(context, *args, **kwargs), raised))
        except Exception as exc:
            if any(_same(exc, mine) for mine in raised):
                raise
            raise Escaped(exc).with_traceback(exc.__traceback__) from None

    step.runs_on_loop_under_test = True
    return step


def _same(exc, mine):
    # (a loop may hand back an equal copy of what the step raised)
    return exc is mine or (type(exc) is type(mine) and exc.args == mine.args)


async def _checked(loop, coro, raised):
    try:
        running = asyncio.get_running_loop()
        if running is not loop:
            coro.close()
            raise WrongLoop(
                f"expected the step to run on the loop under test {loop!r}; it ran on {running!r}"
            )
        return await coro
    except Exception as exc:
        raised.append(exc)
        raise


def run_on_loop_under_test(registry):
    """Make every async step of behave's *registry* run on ``context.world.loop``."""
    for matchers in registry.steps.values():
        for matcher in matchers:
            coro_func = getattr(matcher.func, "coro_func", None)  # behave's AsyncStepFunction
            if coro_func is not None:
                matcher.func = _on_loop_under_test(coro_func)
