"""A loop whose serve_forever() on a closed server waits for ever instead
of raising RuntimeError: the spec's prompt wait gives up on it, and the
message says so in words (no internal class of the spec's)."""

import asyncio


class _HangsLoop(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        server = await super().create_server(*args, **kwargs)
        serve_forever = server.serve_forever
        loop = self

        async def hangs_once_closed():
            if not server.sockets:
                await loop.create_future()
            await serve_forever()

        server.serve_forever = hangs_once_closed
        return server


def serve_forever_hangs():
    return _HangsLoop()
