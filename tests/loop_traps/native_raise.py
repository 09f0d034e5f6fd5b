"""A loop whose create_server and create_unix_server are native code that
raises at once: the exception has no frame of the loop's own, so its
innermost frame is the spec's call.  What the loop raised is still the
loop's divergence, never a harness error."""

import asyncio


class _NativeRaiseLoop(asyncio.SelectorEventLoop):
    # a builtin: called with a protocol factory and keyword arguments it
    # raises TypeError from C, as a method of a compiled loop would
    create_server = staticmethod(len)
    create_unix_server = staticmethod(len)


def native_raise():
    return _NativeRaiseLoop()
