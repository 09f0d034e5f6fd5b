"""Deviant loops that take the whole process down, or block it for good, in
one place -- as a crashing or hanging event loop implementation would.  The
spec runs each scenario of such a loop in its own process (isolation), so
only the scenarios that reach the broken code fail."""

import os
import threading

from . import Catch, deviant_loop


class _AbortsInStartServing:
    async def start_serving(self):
        os.abort()  # like a Rust panic: SIGABRT, no Python cleanup


class _BlocksInGetLoop:
    def get_loop(self):
        threading.Event().wait()  # blocks the loop thread for good


aborts_in_start_serving = deviant_loop(_AbortsInStartServing)
blocks_in_get_loop = deviant_loop(_BlocksInGetLoop)

#: These deviants take the process down: the spec must run them isolated.
ISOLATE = True

CATCHES = [
    Catch("aborts_in_start_serving", "serving.start-serving-starts", "serving.start-serving-twice"),
    Catch("blocks_in_get_loop", "server.get-loop"),
]
