"""Loops whose methods are native code that raises at once: the exception
has no frame of the loop's own, so its innermost frame is the spec's call.
What the loop raised is still the loop's divergence, never a harness error.

- :func:`native_raise`: create_server and create_unix_server raise.
- :func:`native_server_methods`: the servers are made, but every method of
  theirs a scenario calls (serve_forever(), start_serving(), wait_closed(),
  close_clients(), abort_clients(), get_loop(), is_serving()) raises.
"""

import asyncio

#: a builtin: called without its one argument, or with keyword arguments,
#: it raises TypeError from C, as a method of a compiled loop would
_NATIVE_RAISE = staticmethod(len)


class _NativeRaiseLoop(asyncio.SelectorEventLoop):
    create_server = _NATIVE_RAISE
    create_unix_server = _NATIVE_RAISE


class _NativeServerMethodsLoop(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        return _natively_raising(await super().create_server(*args, **kwargs))

    async def create_unix_server(self, *args, **kwargs):
        return _natively_raising(await super().create_unix_server(*args, **kwargs))


def _natively_raising(server):
    for name in (
        "serve_forever",
        "start_serving",
        "wait_closed",
        "close_clients",
        "abort_clients",
        "get_loop",
    ):
        setattr(server, name, len)
    server.is_serving = len
    return server


def native_raise():
    return _NativeRaiseLoop()


def native_server_methods():
    return _NativeServerMethodsLoop()
