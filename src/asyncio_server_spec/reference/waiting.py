"""Bounded waiting: nothing in the spec waits without a timeout."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable

#: Seconds any single wait may take before the scenario fails.  Generous for
#: loopback traffic, short enough that a hanging implementation fails fast.
DEFAULT_TIMEOUT = 2.0


class WaitTimeout(AssertionError):
    """A bounded wait ran out of time; the message names what was awaited."""

    def __init__(self, what, timeout):
        super().__init__(f"timed out after {timeout:g} s waiting for {what}")
        self.what = what
        self.timeout = timeout


class Stalled(WaitTimeout):
    """Something the loop under test should have done at once did not happen,
    though the loop kept running on time: ended early, not by the timeout."""

    def __init__(self, what, elapsed, patience, timeout, done=None):
        if done is None:
            text = f"expected {what} at once; it had not come after {elapsed:.2f} s"
        else:
            text = f"expected {what} to go on; it stopped after {done} done ({elapsed:.2f} s in)"
        AssertionError.__init__(
            self,
            f"{text}, while the loop under test kept running on time for {patience:g} s "
            f"(the wait would have given up after {timeout:g} s)",
        )
        self.what = what
        self.timeout = timeout


class WasCancelled(AssertionError):
    """What was awaited ended cancelled.

    Raised instead of :class:`asyncio.CancelledError`, which is a
    BaseException on 3.8+ and would abort a whole behave run rather than fail
    one step.
    """

    def __init__(self, what):
        super().__init__(f"{what} ended cancelled")
        self.what = what


async def settle(iterations: int = 3) -> None:
    """Let callbacks already scheduled run (a transport's connection_lost(),
    a task's first step) by yielding to the loop a few times -- no sleeping."""
    for _ in range(iterations):
        await asyncio.sleep(0)


async def within(awaitable: Awaitable[Any], what: str, timeout: float = DEFAULT_TIMEOUT) -> Any:
    """Await *awaitable*, failing with :class:`WaitTimeout` after *timeout* seconds."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError:
        raise WaitTimeout(what, timeout) from None
    except asyncio.CancelledError:
        raise WasCancelled(what) from None


#: How long the loop under test may keep running on time without doing
#: something it should do at once before a prompt wait gives up (a correct
#: loop does it within milliseconds; a starved one is not running on time).
PATIENCE = 0.3
#: How often a prompt wait looks at the loop, and how late a look may be
#: before the loop (or the whole process) counts as held up.
TICK = 0.02
LATE = 0.05


async def promptly(
    awaitable: Awaitable[Any],
    what: str,
    timeout: float = DEFAULT_TIMEOUT,
    patience: float = PATIENCE,
    progress: Callable[[], Any] | None = None,
    not_before: float = 0.0,
) -> Any:
    """Await something the loop under test should do at once -- echo what a
    client sent, accept a connection the kernel has completed -- and end the
    wait at the first sign that it will not: the loop keeps running on time
    for *patience* seconds and still has not done it.

    Whenever the loop is held up (a look comes more than :data:`LATE` late:
    the machine is loaded, the collector ran), the count starts again, so a
    slow machine gets the full *timeout*, never a false failure.  For a long
    task made of many steps (a load of clients), *progress* returns how far it
    got: the count also starts again whenever that changes.  Something due
    only after a timer of the server's (a TLS timeout) is due at once from
    *not_before* seconds on: the count starts then.
    """
    task = asyncio.ensure_future(awaitable)
    start = time.monotonic()
    quiet_since = start + not_before
    expected = start + TICK
    reached = progress() if progress else None
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=TICK)
            if done:
                try:
                    return task.result()
                except asyncio.CancelledError:
                    raise WasCancelled(what) from None
            now = time.monotonic()
            if progress is not None and progress() != reached:
                reached, quiet_since = progress(), now
            if now - expected > LATE:
                quiet_since = now
            expected = now + TICK
            if now - start >= timeout:
                raise WaitTimeout(what, timeout)
            if now - quiet_since >= patience:
                raise Stalled(what, now - start, patience, timeout, reached)
    finally:
        if not task.done():
            task.cancel()
            # let what was awaited clean up after itself (bounded: the loop
            # under test may never finish cancelling it)
            await asyncio.wait({task}, timeout=TICK * 5)
