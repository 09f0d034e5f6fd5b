"""Loops whose servers are asyncio's own but whose *task machinery* differs,
as in loops that bring their own: tasks of a Task class that is no
asyncio.Task, and a create_task() that gives every task one shared context
instead of a copy of the caller's.  Where a scenario meets that, its
message must say it is about the loop's tasks, not its server."""

import asyncio
import contextvars


def own_task_class():
    loop = asyncio.SelectorEventLoop()
    # the pure-Python Task: a working task, but no instance of asyncio.Task (the C one)
    loop.set_task_factory(lambda loop, coro, **kwargs: asyncio.tasks._PyTask(coro, loop=loop, **kwargs))
    return loop


class _SharedContextLoop(asyncio.SelectorEventLoop):
    def create_task(self, coro, *, name=None, context=None):
        if self._shared is None:
            self._shared = contextvars.copy_context()
        return super().create_task(coro, name=name, context=self._shared)


def shared_context():
    loop = _SharedContextLoop()
    loop._shared = None
    return loop
