"""A loop whose server side is asyncio's own but whose *client* side is broken,
each in a way seen in real loops: a connection to a port nobody listens on
never fails (it hangs), and there is no Unix client at all.  The spec's
client must not use it, so every server scenario passes."""

import asyncio


class BrokenClientLoop(asyncio.SelectorEventLoop):
    async def create_connection(self, *args, **kwargs):
        await self.create_future()  # never connects, never refuses

    async def create_unix_connection(self, *args, **kwargs):
        raise NotImplementedError("this loop has no Unix client")

    async def sock_connect(self, sock, address):
        return None  # "connects" to anything, closed ports included


def broken_client():
    return BrokenClientLoop()
