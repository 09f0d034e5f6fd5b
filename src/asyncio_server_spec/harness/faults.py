"""What a failed step means: the loop diverged, or the spec's own code failed.

- An ``AssertionError`` (a check that did not hold, a wait that ran out) is a
  **divergence**: the loop did something other than what the spec states.
- Any other exception raised *inside the loop or the standard library* (the
  innermost frame of its traceback is not the spec's own code) is a
  divergence too: the loop raised where it should not have.
- An ``AttributeError`` about an object of the loop's own (a class neither
  the spec's, nor the standard library's, nor behave's) is a divergence too:
  the spec used a documented attribute -- ``transport.is_reading()``,
  ``sock.getsockopt()`` -- that the loop's object lacks.
- Any other exception raised *by the spec's own code* (steps, hooks, the
  reference module) is a **harness error**: a bug of ours, never charged to
  the loop, and always failing the run.

Crashes, timeouts and cleanup problems are told apart elsewhere (isolation
and cleanup know when they happen).  The names of every kind of failure are
:mod:`.verdicts`'s statuses.
"""

import linecache
import os
import sys
import traceback

from .verdicts import DIVERGED, HARNESS_ERROR

#: The whole package (reference, harness and tools) is the spec's own code.
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


#: Folders (ending in a separator) and files that hold the spec's own code;
#: environment.py adds its own file and the steps folder.
SPEC_ROOTS = [_PACKAGE + os.sep]


def add_spec_code(path):
    """Count *path* (a folder or a file) as the spec's own code."""
    path = os.path.abspath(path)
    entry = path + os.sep if os.path.isdir(path) else path
    if entry not in SPEC_ROOTS:
        SPEC_ROOTS.append(entry)


def is_spec_code(filename, roots=None):
    path = os.path.abspath(filename)
    return any(path == root or path.startswith(root) for root in roots or SPEC_ROOTS)


def _innermost(exc):
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    return frames[-1] if frames else None


#: The spec's own client: an exception that passed through it (raised on the
#: client thread, by the standard library's asyncio or ssl) is what the
#: client observed of the server, never something the loop raised.
_CLIENT_CODE = tuple(
    os.path.join(_PACKAGE, "reference", name) for name in ("client.py", "load_clients.py", "tls.py")
)


def _through_client(exc):
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    return any(os.path.abspath(frame.filename) in _CLIENT_CODE for frame in frames)


#: Packages whose objects are never the loop's: the spec's own dependencies.
_NOT_THE_LOOPS = ("builtins", "behave", "parse", "jinja2", "tomli")


def _loops_object(exc, roots=None):
    """For an AttributeError about an object of the loop's own (Python 3.10+
    says which object), that object's class; else None."""
    if not isinstance(exc, AttributeError) or not hasattr(exc, "obj"):
        return None
    cls = type(exc.obj)
    module = getattr(cls, "__module__", None) or "builtins"
    top = module.split(".")[0]
    if top in _NOT_THE_LOOPS or top in getattr(sys, "stdlib_module_names", ()):
        return None
    filename = getattr(sys.modules.get(module), "__file__", None)
    if filename and is_spec_code(filename, roots):
        return None
    return cls


def _exception_text(exc):
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def classify(exc, roots=None):
    """``(kind, message)`` for an exception that failed a step."""
    if isinstance(exc, AssertionError):
        message = str(exc)
        if not message:  # a bare ``assert``: say which check it was
            frame = _innermost(exc)
            line = linecache.getline(frame.filename, frame.lineno).strip() if frame else ""
            message = f"the check `{line}` did not hold" if line else "a check did not hold"
        return DIVERGED, message
    frame = _innermost(exc)
    text = _exception_text(exc)
    if type(exc).__module__.split(".")[0] in ("behave", "parse"):
        # behave could not run the step as written (its arguments did not
        # parse): the spec's own wording or code, never the loop
        return HARNESS_ERROR, f"behave could not run the step: {text}"
    cls = _loops_object(exc, roots)
    if cls is not None:
        name = getattr(exc, "name", None)
        return DIVERGED, (
            f"expected the loop's {cls.__module__}.{cls.__qualname__} object to have "
            f"{repr(name) if name else 'the attribute the spec used'}, as the object asyncio documents "
            "in its place has; it has no such attribute"
        )
    if frame is not None and is_spec_code(frame.filename, roots):
        where = f"{os.path.basename(frame.filename)}:{frame.lineno}"
        return HARNESS_ERROR, f"the spec's own code failed at {where} ({frame.line}): {text}"
    if _through_client(exc):
        tls = type(exc).__module__ == "ssl"
        return DIVERGED, (
            f"the client's TLS connection failed: {text}" if tls else f"the client observed {text}"
        )
    return DIVERGED, f"the loop raised {text}"
