"""Deviant loops that take the whole process down, or block it for good, in
one place -- as a crashing or hanging event loop implementation would.  The
spec runs each scenario of such a loop in its own process (isolation), so
only the scenarios that reach the broken code fail."""

import os
import threading

from . import deviant


@deviant(
    "aborts_in_start_serving",
    "serving.start-serving-starts",
    "serving.start-serving-twice",
    also=("serving.start-serving-after-close-known-bug", "serving.start-serving-on-serving-server"),
)
class _AbortsInStartServing:
    async def start_serving(self):
        os.abort()  # like a Rust panic: SIGABRT, no Python cleanup


@deviant("blocks_in_get_loop", "server.get-loop")
class _BlocksInGetLoop:
    def get_loop(self):
        threading.Event().wait()  # blocks the loop thread for good


#: These deviants take the process down: the spec must run them isolated.
ISOLATE = True
