"""A loop that makes a process-wide resource on first use -- a pipe and a
worker thread, as real loops make an eventfd or a resolver thread -- and keeps
it for the life of the process.  It is not a scenario's leak; the first
scenario must not be blamed for it.  Its servers also leak one file
descriptor per close() -- that is a scenario's leak, found by cleanup."""

import asyncio
import os
import threading

_PROCESS_WIDE = []


def _first_use():
    if not _PROCESS_WIDE:
        _PROCESS_WIDE.append(os.pipe())
        stop = threading.Event()
        worker = threading.Thread(target=stop.wait, daemon=True, name="leaky worker")
        worker.start()
        _PROCESS_WIDE.append((worker, stop))


class _LeakyLoop(asyncio.SelectorEventLoop):
    leak_on_close = False

    async def create_server(self, *args, **kwargs):
        _first_use()
        server = await super().create_server(*args, **kwargs)
        if self.leak_on_close:
            close = server.close

            def close_and_leak():
                os.dup(0)  # one fd that nothing will close
                close()

            server.close = close_and_leak
        return server


def process_wide_on_first_use():
    return _LeakyLoop()


def leaks_on_close():
    loop = _LeakyLoop()
    loop.leak_on_close = True
    return loop
