"""Bounded waiting: nothing in the spec waits without a timeout."""

import asyncio

#: Seconds any single wait may take before the scenario fails.  Generous for
#: loopback traffic, short enough that a hanging implementation fails fast.
DEFAULT_TIMEOUT = 2.0


class WaitTimeout(AssertionError):
    """A bounded wait ran out of time; the message names what was awaited."""

    def __init__(self, what, timeout):
        super().__init__("timed out after {:g} s waiting for {}".format(timeout, what))
        self.what = what
        self.timeout = timeout


class WasCancelled(AssertionError):
    """What was awaited ended cancelled.

    Raised instead of :class:`asyncio.CancelledError`, which is a
    BaseException on 3.8+ and would abort a whole behave run rather than fail
    one step.
    """

    def __init__(self, what):
        super().__init__("{} ended cancelled".format(what))
        self.what = what


async def settle(iterations=3):
    """Let callbacks already scheduled run (a transport's connection_lost(),
    a task's first step) by yielding to the loop a few times -- no sleeping."""
    for _ in range(iterations):
        await asyncio.sleep(0)


async def within(awaitable, what, timeout=DEFAULT_TIMEOUT):
    """Await *awaitable*, failing with :class:`WaitTimeout` after *timeout* seconds."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError:
        raise WaitTimeout(what, timeout) from None
    except asyncio.CancelledError:
        raise WasCancelled(what) from None
