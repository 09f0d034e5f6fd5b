"""A loop whose servers list sockets whose fileno() is not an int -- an object
the spec's own checking code does not expect.  Where the spec's code then
raises, that is a harness error (a bug of the spec's), never the loop's
divergence."""

import asyncio


class _OddFd:
    def __init__(self, fd):
        self.fd = fd

    def __repr__(self):
        return f"OddFd({self.fd})"


class _OddSocket:
    def __init__(self, sock):
        self._sock = sock

    def fileno(self):
        return _OddFd(self._sock.fileno())

    def __getattr__(self, name):
        return getattr(self._sock, name)


class _OddSocketsLoop(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        server = await super().create_server(*args, **kwargs)
        cls = type(server)

        class OddServer(cls):
            @property
            def sockets(self):
                return tuple(_OddSocket(s) for s in cls.sockets.fget(self))

        server.__class__ = OddServer
        return server


def odd_sockets():
    return _OddSocketsLoop()
