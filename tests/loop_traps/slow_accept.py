"""A correct loop that is slow to accept: CPython's loop with about 12 ms of
blocking work per accepted connection (as a loop doing work in its accept
path is).  A load of clients then keeps its process busy for seconds, and
verdicts must not depend on that: with ``run --jobs 2`` a scenario running
beside a busy shard must not be judged on when the shard gets to it."""

import asyncio
import time

#: Seconds of blocking work per accepted connection.
WORK = 0.012


class _SlowAcceptLoop(asyncio.SelectorEventLoop):
    def _accept_connection(self, protocol_factory, sock, *args, **kwargs):
        # blocking work, as a loop's own accept path may do (busy, not sleeping: it holds the CPU)
        until = time.monotonic() + WORK
        while time.monotonic() < until:
            pass
        return super()._accept_connection(protocol_factory, sock, *args, **kwargs)


def slow_accept():
    return _SlowAcceptLoop()
