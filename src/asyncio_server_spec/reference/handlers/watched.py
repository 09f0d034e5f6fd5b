"""Watched handlers, written for one observation each.

They keep no strong reference to their task or their writer, so what the
server does once a handler has ended -- report it, close the connection, or
let the garbage collector do it -- is exactly what the loop itself does.
"""

import asyncio
import weakref
from typing import Awaitable, Callable, Dict, Optional

from ..record import ServerRecord
from .base import HandlerFailure, StreamHandler

#: What the watched handlers send.
GREETING = b"hello from the handler\n"
PROBE = b"still open?\n"
IN_A_TASK = b"in a task\n"
NOT_IN_A_TASK = b"not in a task\n"


class Watch:
    """What the watched handler of one scenario saw, and when it ended.

    - :attr:`transport`: the connection's transport, to check the connection
      from the server's side (a strong reference to it does not keep the
      writer alive);
    - :attr:`ended`: a future that resolves once the handler's task has ended
      *and* every done-callback the server added before it has run (ours is
      added from inside the handler, so it runs after the server's own);
    - :attr:`task`: the handler's task, or None once it is gone (weakly held);
    - :attr:`notes`: what the handler saw.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, record: ServerRecord):
        self.record = record
        self.notes: Dict[str, object] = {}
        self.transport: Optional[asyncio.BaseTransport] = None
        self.ended: asyncio.Future = loop.create_future()
        self._task_ref = None

    @property
    def task(self) -> Optional[asyncio.Task]:
        return self._task_ref() if self._task_ref is not None else None

    def saw_connection(self, reader, writer) -> None:
        """Note the connection: its transport, the types of the handler's arguments."""
        self.transport = writer.transport
        self.record.transports.append(writer.transport)  # for cleanup; keeps the writer collectable
        self.notes["arguments"] = (type(reader).__name__, type(writer).__name__)
        self.record.count("accepted")

    def watch_current_task(self) -> None:
        """Note the running task weakly and learn when it ends."""
        task = asyncio.current_task()
        if task is None:  # not run as a task: nothing to watch
            return
        self._task_ref = weakref.ref(task)
        ended = self.ended

        def done(_task):
            if not ended.done():
                ended.set_result(None)

        task.add_done_callback(done)
        # no local name for the task may outlive this call: a traceback of the
        # handler's frame must not keep it alive


Body = Callable[[asyncio.StreamReader, asyncio.StreamWriter, Dict[str, object]], Awaitable[None]]


def watched_handler(watch: Watch, body: Body) -> StreamHandler:
    """An ``async def`` handler that notes the connection on *watch* and runs
    ``body(reader, writer, notes)``."""

    async def handler(reader, writer):
        watch.saw_connection(reader, writer)
        watch.watch_current_task()
        await body(reader, writer, watch.notes)

    return handler


async def tell_whether_in_task(reader, writer, notes):
    """Tell the client whether the handler runs in an asyncio Task, and close."""
    task = asyncio.current_task()
    notes["in_task"] = isinstance(task, asyncio.Task)
    notes["current_task"] = (
        "None" if task is None else f"an instance of {type(task).__module__}.{type(task).__qualname__}"
    )
    writer.write(IN_A_TASK if notes["in_task"] else NOT_IN_A_TASK)
    await writer.drain()
    writer.close()


async def fail(reader, writer, notes):
    """Raise :class:`HandlerFailure` at once, keeping the writer alive: only
    the server's own reaction may then close the connection."""
    notes["writer"] = writer
    raise HandlerFailure("the handler failed on purpose")


async def wait_for_client(reader, writer, notes):
    """Wait for the client to send something, noting a cancellation; the
    writer is kept, so only the server's own reaction may close the connection."""
    notes["writer"] = writer
    try:
        await reader.read(1)
    except asyncio.CancelledError:
        notes["cancelled"] = True
        raise


async def greet_and_return(reader, writer, notes):
    """Send the greeting and return without closing the writer."""
    writer.write(GREETING)
    await writer.drain()


async def do_nothing(reader, writer, notes):
    """Return at once (the seed tutorial's handler)."""


async def read_everything(reader, writer, notes):
    """Read to the end of the stream, note what was read and whether the reader is at EOF, and close."""
    notes["read"] = await reader.read()
    notes["at_eof"] = reader.at_eof()
    writer.close()


def greeting_plain_handler(watch: Watch) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], None]:
    """A plain (non-coroutine) handler that writes the greeting and closes the writer."""

    def handler(reader, writer):
        watch.saw_connection(reader, writer)
        writer.write(GREETING)
        writer.close()

    return handler


def failing_plain_handler(watch: Watch) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], None]:
    """A plain handler that fails as soon as it is called, keeping its writer
    (as the failing coroutine handler does)."""

    def handler(reader, writer):
        watch.saw_connection(reader, writer)
        watch.notes["writer"] = writer
        raise HandlerFailure("the plain handler failed on purpose")

    return handler
