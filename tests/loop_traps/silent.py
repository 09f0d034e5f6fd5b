"""A loop whose servers accept every connection but never run a handler:
the protocol the server makes for a connection is never told about it.  The
spec must fail such a loop -- and quickly, not by waiting out a timeout in
each scenario one after another (see the benchmark)."""

import asyncio


class _Deaf(asyncio.Protocol):
    pass


class _SilentLoop(asyncio.SelectorEventLoop):
    async def create_server(self, protocol_factory, *args, **kwargs):
        return await super().create_server(_Deaf, *args, **kwargs)

    async def create_unix_server(self, protocol_factory, *args, **kwargs):
        return await super().create_unix_server(_Deaf, *args, **kwargs)


def handlers_never_run():
    return _SilentLoop()
