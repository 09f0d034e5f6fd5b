"""A loop that lets the exception of a callback it runs -- a plain
(non-coroutine) handler's, say -- escape from run_until_complete() instead of
reporting it to its exception handler, as some compiled loops do.  The
spec's handlers that fail on purpose then raise out of a step: that is the
loop's divergence, never a harness error."""

import asyncio


class _EscapesLoop(asyncio.SelectorEventLoop):
    def call_exception_handler(self, context):
        exc = context.get("exception")
        if isinstance(exc, Exception) and "handle" in context:  # a callback's, not a task's
            raise exc
        super().call_exception_handler(context)


def escapes():
    return _EscapesLoop()
