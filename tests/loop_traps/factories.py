"""Loop factories that cannot make a loop, or make one the spec cannot judge."""

import asyncio
import threading


def raises():
    raise RuntimeError("no loop today")


def takes_an_argument(required):
    return required


class _OneThreadLoop(asyncio.SelectorEventLoop):
    """A loop that, like a loop of simulated time, takes no callback from another thread."""

    def call_soon_threadsafe(self, callback, *args, context=None):
        if threading.get_ident() == self._thread_id:
            return self.call_soon(callback, *args, context=context)
        raise RuntimeError("only this loop's own thread may schedule callbacks")


def one_thread_only():
    return _OneThreadLoop()
