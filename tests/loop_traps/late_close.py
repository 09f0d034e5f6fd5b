"""A loop whose server.close() returns before its listening sockets are
closed, as a loop that hands the closing to a later completion (io_uring)
does: a copy of each listening socket stays open until a connection waits
in it, and is closed then.  A client that connects right after close()
returned is accepted by the kernel; by the time the spec looks, nothing
listens there.  The verdict is right (close() must stop listening before it
returns); the message must say that the listener closed only later."""

import asyncio


class _LateCloseLoop(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        server = await super().create_server(*args, **kwargs)
        close = server.close
        loop = self

        def close_late():
            for listening in server.sockets:
                kept = listening.dup()  # a socket.socket, still listening

                def close_kept(kept=kept):
                    if kept.fileno() != -1:
                        loop.remove_reader(kept.fileno())
                        kept.close()

                loop.add_reader(kept.fileno(), close_kept)  # once a connection waits in it
                loop._kept.append(close_kept)
            close()

        server.close = close_late
        return server

    def close(self):
        while self._kept:  # those no connection came to
            self._kept.pop()()
        super().close()


def late_close():
    loop = _LateCloseLoop()
    loop._kept = []
    return loop
