"""A loop on which no server can be created at all."""

import asyncio


class _NoServerLoop(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        raise TypeError("create_server() is not implemented by this loop")

    async def create_unix_server(self, *args, **kwargs):
        raise TypeError("create_unix_server() is not implemented by this loop")


def no_server():
    return _NoServerLoop()
