"""Scenarios that record a bug of CPython's own loop, and how they count.

Some scenarios state what CPython's loop does on the releases before a fix:
a transport that never finishes closing (gh-155888), a connection ended twice
(gh-156512), ``start_serving()`` failing with TypeError on a closed server.
They carry the tag ``@cpython_bug`` beside their version tags, and their
fixed variant states the documented behaviour.

- On CPython's loop -- or any loop built on it (a subclass of
  ``asyncio.BaseEventLoop``, whose servers and transports are CPython's) --
  they count like any scenario: a fix in a new release shows up as a failure.
- On any other loop they are *not counted*: a loop need not copy CPython's
  bugs.  The scenario still runs, and its verdict says which way the loop
  went: ``shares-cpython-bug`` (it did what the bug does: every step held) or
  ``avoids-cpython-bug`` (a step saw it behave otherwise).  Neither fails the
  run.  A crash, a timeout, a cleanup problem or a harness error counts as
  usual: those are not "behaving otherwise".
"""

import asyncio

from . import processes
from .verdicts import AVOIDS_BUG, DIVERGED, PASSED, SHARES_BUG

#: The tag of a scenario that records a bug of CPython's loop.
TAG = "cpython_bug"


def records_bug(tags):
    """True if a scenario with these (effective) *tags* records a CPython bug."""
    return TAG in tags


def built_on_asyncio(loop):
    """True if *loop* is CPython's own loop or built on it."""
    return isinstance(loop, asyncio.BaseEventLoop)


def factory_built_on_asyncio(factory, in_child):
    """:func:`built_on_asyncio` for a loop *factory* makes (the factory has
    been checked already).  *in_child*: make that loop in a forked child, as
    an isolated run makes every loop, so this process never holds one."""

    def check():
        loop = factory()
        try:
            return 0 if built_on_asyncio(loop) else 1
        finally:
            loop.close()

    if not in_child:
        return check() == 0
    import os

    _, status = os.waitpid(processes.start(check), 0)
    return processes.returncode(status) == 0


def verdict(status, counted):
    """The verdict of a bug-recording scenario that ended with *status* on a
    loop whose CPython bugs are not *counted*; None: count it as usual."""
    if counted:
        return None
    if status == PASSED:
        return SHARES_BUG
    if status == DIVERGED:
        return AVOIDS_BUG
    return None
