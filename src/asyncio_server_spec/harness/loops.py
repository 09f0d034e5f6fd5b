"""Choosing the event loop implementation by name.

A name is ``asyncio`` (the default), ``uvloop``, ``rloop``, a loop of the
registry (``loops.toml``, read by :mod:`.registry`: ``veloxloop``,
``trio-asyncio``, ...), or ``package.module:factory`` naming any callable
that returns a new event loop.
"""

import asyncio
import importlib
import json
import os
import sys
import threading

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
    """Call *factory* once, check that it made an event loop, and close it;
    return the module of the loop's class (for :func:`describe`).

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
        _check_woken_from_another_thread(name, loop)
    finally:
        try:
            loop.close()
        except Exception as exc:
            raise LoopSelectionError(
                f"loop {name!r}: closing a new loop failed with {_one_line(exc)}"
            ) from None
    return type(loop).__module__


#: Seconds a new loop may take to run a callback another thread gave it.
WAKE_LIMIT = 5.0


def _check_woken_from_another_thread(name, loop):
    """Check that *loop* runs a callback that another thread hands it with
    ``call_soon_threadsafe()``.  The spec's clients run on a thread of their
    own and hand every result to the loop under test that way: a loop that
    refuses it (a loop of simulated time and sockets does) could pass or fail
    a scenario by how fast the client was, so it is refused here, in one line."""
    if asyncio._get_running_loop() is not None:  # (``serve`` checks its loop from inside another)
        return
    refused = []

    def give(woken):
        try:
            loop.call_soon_threadsafe(_set_result, woken)
        except BaseException as exc:  # reported below
            refused.append(exc)

    async def wait():
        woken = loop.create_future()
        thread = threading.Thread(target=give, args=(woken,), name="asyncio-server-spec loop check")
        thread.start()
        try:
            # (in short waits on the future, so that a refusal the thread saw ends it at once)
            deadline = loop.time() + WAKE_LIMIT
            while not refused:
                try:
                    return await asyncio.wait_for(asyncio.shield(woken), 0.05)
                except asyncio.TimeoutError:
                    if loop.time() >= deadline:
                        raise
            raise refused[0]
        finally:
            thread.join(WAKE_LIMIT)

    try:
        loop.run_until_complete(wait())
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        cause = refused[0] if refused else exc
        what = (
            f"did not run it within {WAKE_LIMIT:g} s"
            if isinstance(cause, asyncio.TimeoutError)
            else f"failed with {_one_line(cause)}"
        )
        raise LoopSelectionError(
            f"loop {name!r}: a callback handed to it from another thread with call_soon_threadsafe() {what}; "
            "the spec's clients run on a thread of their own and hand it every result that way, "
            "so no scenario could be judged"
        ) from None


def _set_result(future):
    if not future.done():
        future.set_result(None)


def check_factory_in_child(name, factory):
    """:func:`check_factory` in a forked child, so that a loop that crashes
    the process when made cannot take the run with it; return what it returns."""
    return _in_child(name, lambda: check_factory(name, factory))


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
            answer = {"returned": check()}
        except LoopSelectionError as exc:
            answer = {"message": str(exc)}
        except BaseException as exc:  # reported, never raised here
            answer = {"message": f"loop {name!r}: checking its factory failed with {_one_line(exc)}"}
        data = json.dumps(answer if isinstance(answer.get("returned"), (str, type(None))) else {}).encode()
        while data:
            data = data[os.write(write_fd, data) :]
        return 0

    pid = processes.start(report)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        said = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    try:
        answer = json.loads(said) if said else {}
    except ValueError:
        answer = {}
    if answer.get("message"):
        raise LoopSelectionError(answer["message"])
    if status != 0:
        raise LoopSelectionError(
            f"loop {name!r}: the process that made a first loop {processes.describe(status)}"
        )
    return answer.get("returned")


def describe(name, loop_module=None):
    """``{"name", "module", "version", "package"}`` of the loop *name*, for a
    results log: the distribution (PyPI package) that provides it and its
    version -- the factory's own, or, when the factory sits in a module of no
    distribution (a wrapper of the user's), the one the loop's class comes
    from (*loop_module*, its ``__module__``, as :func:`check_factory` gives
    it).  None for both for asyncio, and where nothing says.  The module of a
    registry name (``trio-asyncio``) is its factory's (``trio_asyncio._sync``)."""
    if name in KNOWN_LOOPS:
        module_name = KNOWN_LOOPS[name][0]
    elif ":" in name:
        module_name = name.partition(":")[0]
    else:
        try:
            entry = registry.find(name)
        except registry.RegistryError:
            entry = None
        module_name = entry.module if entry is not None else name
    package, version = None, None
    for candidate in (module_name, loop_module):
        if candidate and version is None:
            package, version = _distribution(candidate)
    return {"name": name, "module": module_name, "version": version, "package": package}


def _distribution(module_name):
    """``(distribution, version)`` that provides the top-level package of
    *module_name*, or ``(None, None)`` (the standard library, a local module)."""
    top = module_name.split(".")[0]
    if top in ("asyncio", "builtins") or top in getattr(sys, "stdlib_module_names", ()):
        return None, None
    try:
        from importlib import metadata
    except ImportError:  # (Python < 3.8 has no importlib.metadata)
        metadata = None
    names = [top]
    if metadata is not None and hasattr(metadata, "packages_distributions"):  # 3.10+
        try:
            names = metadata.packages_distributions().get(top, []) + names
        except Exception:
            pass
    for dist in names:
        try:
            return dist, metadata.version(dist)
        except Exception:
            continue
    version = getattr(sys.modules.get(top), "__version__", None)
    return (top, str(version)) if version is not None else (None, None)


def checked_loop_factory(name):
    """:func:`loop_factory`, after :func:`check_factory` has made one loop with
    it and closed it again (for the CLI; the spec's hooks do the same, in a
    child process when scenarios are isolated)."""
    factory = loop_factory(name)
    check_factory(name, factory)
    return factory
