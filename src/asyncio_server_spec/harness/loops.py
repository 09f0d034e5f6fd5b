"""Choosing the event loop implementation by name.

A name is ``asyncio`` (the default), ``uvloop``, ``rloop``, a loop of the
registry (``loops.toml``, read by :mod:`.registry`: ``veloxloop``,
``trio-asyncio``, ...), or ``package.module:factory`` naming any callable
that returns a new event loop.
"""

import asyncio
import importlib
import os
import sys

from . import processes, registry

#: Known names -> (module, factory attribute, pip extra that installs it).
KNOWN_LOOPS = {
    "asyncio": ("asyncio", "new_event_loop", None),
    "uvloop": ("uvloop", "new_event_loop", "uvloop"),
    "rloop": ("rloop", "new_event_loop", "rloop"),
}
ACCEPTED = "accepted: {}, a loop of the registry (loops.toml) or package.module:factory".format(
    ", ".join(KNOWN_LOOPS)
)


class LoopSelectionError(Exception):
    """The requested loop cannot be used; the message is one line saying why."""


def loop_factory(name):
    """Return a zero-argument callable creating a new event loop for *name*."""
    install, entry = None, None
    if name not in KNOWN_LOOPS and ":" not in name:
        entry = _registered(name)
    if name in KNOWN_LOOPS:
        module_name, attribute, extra = KNOWN_LOOPS[name]
    elif entry is not None:
        module_name, attribute, extra = entry.module, entry.attribute, None
        install = "install it with: pip install '{}'{}".format(
            entry.requirement, "" if not entry.skip else f" (the registry says: {entry.skip})"
        )
    elif ":" in name:
        module_name, _, attribute = name.partition(":")
        extra = None
        if not module_name or not attribute:
            raise LoopSelectionError(f"loop {name!r} is not of the form package.module:factory; {ACCEPTED}")
    else:
        raise LoopSelectionError(f"unknown loop {name!r}; {ACCEPTED}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        hint = install or (
            "install it with: pip install 'asyncio-server-spec[{}]'{}".format(
                extra, " (rloop needs Python 3.10 or later)" if name == "rloop" else ""
            )
            if extra
            else ACCEPTED
        )
        raise LoopSelectionError(
            f"loop {name!r} needs the module {module_name!r}, which cannot be imported ({exc}); {hint}"
        ) from None
    except BaseException as exc:  # a module that fails at import in any other way
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise LoopSelectionError(
            f"loop {name!r}: importing the module {module_name!r} failed with {_one_line(exc)}; {ACCEPTED}"
        ) from None
    factory = getattr(module, attribute, None)
    if not callable(factory):
        raise LoopSelectionError(
            f"loop {name!r}: {module_name}.{attribute} is not a callable that makes an event loop; {ACCEPTED}"
        )
    return factory


def _registered(name):
    """The registry's entry for *name*, or None; a registry that cannot be
    read stops the run (one line)."""
    try:
        return registry.find(name)
    except registry.RegistryError as exc:
        raise LoopSelectionError(f"loop {name!r}: {exc}") from None


def _one_line(exc):
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def check_factory(name, factory):
    """Call *factory* once, check that it made an event loop, and close it.

    Raises :class:`LoopSelectionError` with one line saying what went wrong.
    """
    try:
        loop = factory()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise LoopSelectionError(
            f"loop {name!r}: calling its factory failed with {_one_line(exc)}; "
            "a factory takes no arguments and returns a new event loop"
        ) from None
    if not isinstance(loop, asyncio.AbstractEventLoop):
        raise LoopSelectionError(
            f"loop {name!r}: its factory returned {type(loop).__module__}.{type(loop).__qualname__}, "
            "not an event loop (an asyncio.AbstractEventLoop)"
        )
    try:
        loop.close()
    except Exception as exc:
        raise LoopSelectionError(f"loop {name!r}: closing a new loop failed with {_one_line(exc)}") from None


def check_factory_in_child(name, factory):
    """:func:`check_factory` in a forked child, so that a loop that crashes
    the process when made cannot take the run with it."""
    _in_child(name, lambda: check_factory(name, factory))


def check_loop_in_child(name):
    """:func:`checked_loop_factory` in a forked child: the loop's module is
    imported and its factory called there only, so this process can still
    fork children of its own that have never seen the loop."""
    _in_child(name, lambda: checked_loop_factory(name))


def _in_child(name, check):
    read_fd, write_fd = os.pipe()

    def report():
        os.close(read_fd)
        try:
            check()
            message = ""
        except LoopSelectionError as exc:
            message = str(exc)
        except BaseException as exc:  # reported, never raised here
            message = f"loop {name!r}: checking its factory failed with {_one_line(exc)}"
        os.write(write_fd, message.encode())
        return 0

    pid = processes.start(report)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        message = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    if message:
        raise LoopSelectionError(message)
    if status != 0:
        raise LoopSelectionError(
            f"loop {name!r}: the process that made a first loop {processes.describe(status)}"
        )


def describe(name):
    """``{"name", "module", "version"}`` of the loop *name*, for a results log."""
    module_name = KNOWN_LOOPS[name][0] if name in KNOWN_LOOPS else name.partition(":")[0]
    top = module_name.split(".")[0]
    version = None
    if top != "asyncio":
        try:
            from importlib import metadata

            version = metadata.version(top)
        except Exception:
            version = getattr(sys.modules.get(top), "__version__", None)
    return {"name": name, "module": module_name, "version": version}


def checked_loop_factory(name):
    """:func:`loop_factory`, after :func:`check_factory` has made one loop with
    it and closed it again (for the CLI; the spec's hooks do the same, in a
    child process when scenarios are isolated)."""
    factory = loop_factory(name)
    check_factory(name, factory)
    return factory
