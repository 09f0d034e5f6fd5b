"""A loop that dies of SIGSEGV when asked for a TLS server (its plain
servers work, so it gets past a run's warm-up).  With ``-D isolate=off
--jobs 2`` it takes each shard down with it: the run must say which
scenarios did not run, and call itself incomplete."""

import asyncio
import os
import signal


class _SegfaultLoop(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        if kwargs.get("ssl") is not None:
            os.write(2, b"segfault_shard: dereferenced a dangling listener\n")
            os.kill(os.getpid(), signal.SIGSEGV)
        return await super().create_server(*args, **kwargs)


def segfault_shard():
    return _SegfaultLoop()
