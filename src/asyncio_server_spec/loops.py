"""Choosing the event loop implementation by name.

A name is ``asyncio`` (the default), ``uvloop``, ``rloop``, or
``package.module:factory`` naming any callable that returns a new event loop.
"""

import asyncio
import importlib

#: Known names -> (module, factory attribute, pip extra that installs it).
KNOWN_LOOPS = {
    "asyncio": ("asyncio", "new_event_loop", None),
    "uvloop": ("uvloop", "new_event_loop", "uvloop"),
    "rloop": ("rloop", "new_event_loop", "rloop"),
}
ACCEPTED = "accepted: {} or package.module:factory".format(", ".join(KNOWN_LOOPS))


class LoopSelectionError(Exception):
    """The requested loop cannot be used; the message is one line saying why."""


def loop_factory(name):
    """Return a zero-argument callable creating a new event loop for *name*."""
    if name in KNOWN_LOOPS:
        module_name, attribute, extra = KNOWN_LOOPS[name]
    elif ":" in name:
        module_name, _, attribute = name.partition(":")
        extra = None
        if not module_name or not attribute:
            raise LoopSelectionError(
                "loop {!r} is not of the form package.module:factory; {}".format(name, ACCEPTED)
            )
    else:
        raise LoopSelectionError("unknown loop {!r}; {}".format(name, ACCEPTED))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        hint = (
            "install it with: pip install 'asyncio-server-spec[{}]'{}".format(
                extra, " (rloop needs Python 3.10 or later)" if name == "rloop" else "")
            if extra
            else ACCEPTED
        )
        raise LoopSelectionError(
            "loop {!r} needs the module {!r}, which cannot be imported ({}); {}".format(
                name, module_name, exc, hint
            )
        ) from None
    factory = getattr(module, attribute, None)
    if not callable(factory):
        raise LoopSelectionError(
            "loop {!r}: {}.{} is not a callable that makes an event loop; {}".format(
                name, module_name, attribute, ACCEPTED
            )
        )
    return factory


def checked_loop_factory(name):
    """:func:`loop_factory`, after making one loop with it and closing it again.

    The factory must return an :class:`asyncio.AbstractEventLoop` (asyncio's
    set_event_loop() accepts nothing else); a factory that returns something
    else, or raises, is refused with one line, like an unknown name.
    """
    factory = loop_factory(name)
    try:
        loop = factory()
    except Exception as exc:  # noqa: BLE001 -- whatever a third-party factory raises
        first_line = (str(exc).splitlines() or [""])[0]
        raise LoopSelectionError(
            f"loop {name!r}: calling its factory raised {type(exc).__name__}: {first_line}; "
            f"{ACCEPTED}") from None
    if not isinstance(loop, asyncio.AbstractEventLoop):
        kind = f"{type(loop).__module__}.{type(loop).__qualname__}"
        raise LoopSelectionError(
            f"loop {name!r}: its factory returned a {kind}, not an asyncio event loop; {ACCEPTED}")
    loop.close()
    return factory
