"""When the loop under test raises, or hands back something unusable, where
the spec expected a result.

Whatever the loop does wrong is a divergence, never a harness error -- also
when the fault only shows inside the spec's own code (a native method that
raises has no frame of its own; a listening "socket" without a usable file
descriptor makes the spec's check fail).  Calls into the loop under test
that a step relies on are made inside :func:`calling`, which turns any
exception into :class:`LoopRaised`: an AssertionError (so a divergence)
that says what was expected, keeping the loop's own exception.
"""

from __future__ import annotations

import contextlib
from typing import Iterator


class LoopRaised(AssertionError):
    """The loop under test raised where the spec expected a result."""

    def __init__(self, expected: str, exc: BaseException):
        text = str(exc)
        super().__init__(f"{expected}: {type(exc).__name__}" + (f": {text}" if text else ""))
        #: what the loop raised
        self.original = exc


@contextlib.contextmanager
def calling(expected: str) -> Iterator[None]:
    """Run a call into the loop under test; an exception it raises (other than
    a failed check) becomes :class:`LoopRaised` with the words *expected*
    ("no server could be created with create_server()", ...)."""
    try:
        yield
    except AssertionError:
        raise
    except Exception as exc:
        raise LoopRaised(expected, exc) from None


def unwrapped(exc: BaseException) -> BaseException:
    """What the loop raised, for a step that observes the exception itself."""
    return exc.original if isinstance(exc, LoopRaised) else exc
