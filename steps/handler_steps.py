"""Steps for the connection handlers of start_server (client_connected_cb).

The handlers here are written for one observation each.  They keep no strong
reference to their task or their writer, so what the server does once a
handler has ended -- report it, close the connection, or let the garbage
collector do it -- is exactly what asyncio itself does.  Each handler notes:

- ``world.handler_transport``: the connection's transport (a strong reference
  to it does not keep the writer alive), to check the connection from the
  server's side;
- ``world.handler_ended``: a future that resolves once the handler's task has
  ended *and* every done-callback the server added before it has run (ours is
  added from inside the handler, so it runs after the server's own);
- ``world.handler_notes``: what the handler saw.

"Is still open" is observed without waiting on a clock: the server side's
transport must not be closing, and a probe written through it must reach the
client.  A closed transport drops what is written to it.
"""

import asyncio
import weakref

from behave import given

from asyncio_server_spec.reference.handlers import GREETING, IN_A_TASK, NOT_IN_A_TASK, HandlerFailure

import step_types


def _prepare(world):
    """Fresh per-scenario handler bookkeeping on the world."""
    world.handler_notes = {}
    world.handler_transport = None
    world.handler_task_ref = None
    if getattr(world, "handler_ended", None) is None:
        world.handler_ended = world.loop.create_future()
    if not hasattr(world, "loop_reports"):
        world.loop_reports = []


def _note_end(world):
    def done(_task):
        if not world.handler_ended.done():
            world.handler_ended.set_result(None)

    return done


def _watch(world, task):
    """Note the handler's *task* weakly and learn when it ends."""
    if task is None:  # not run as a task: nothing to watch
        return
    world.handler_task_ref = weakref.ref(task)
    task.add_done_callback(_note_end(world))


def coroutine_handler(world, body):
    """An ``async def`` handler that runs *body(reader, writer, notes)* and
    notes the connection on *world* (see the module docstring)."""
    _prepare(world)
    record = world.record
    notes = world.handler_notes

    async def handler(reader, writer):
        world.handler_transport = writer.transport
        record.transports.append(writer.transport)  # for cleanup; keeps the writer collectable
        notes["arguments"] = (type(reader).__name__, type(writer).__name__)
        # no local name for the task: a traceback of this frame must not keep it alive
        _watch(world, asyncio.current_task())
        record.count("accepted")
        await body(reader, writer, notes)

    return handler


async def start_with(world, handler, **kwargs):
    """Start a start_server server on loopback with *handler*; it becomes the server."""
    return await world.start("start_server", handler, **kwargs)


# -- handler bodies --------------------------------------------------------------------
async def _tell_whether_in_task(reader, writer, notes):
    task = asyncio.current_task()
    notes["in_task"] = isinstance(task, asyncio.Task)
    writer.write(IN_A_TASK if notes["in_task"] else NOT_IN_A_TASK)
    await writer.drain()
    writer.close()


async def _fail(reader, writer, notes):
    notes["writer"] = writer  # kept: only the server's own reaction may close the connection
    raise HandlerFailure("the handler failed on purpose")


async def _wait_for_client(reader, writer, notes):
    notes["writer"] = writer  # kept: only the server's own reaction may close the connection
    try:
        await reader.read(1)
    except asyncio.CancelledError:
        notes["cancelled"] = True
        raise


async def _greet_and_return(reader, writer, notes):
    writer.write(GREETING)
    await writer.drain()
    # returns without closing the writer


async def _do_nothing(reader, writer, notes):
    pass


async def _read_everything(reader, writer, notes):
    notes["read"] = await reader.read()  # until the end of the stream
    notes["at_eof"] = reader.at_eof()
    writer.close()


# -- servers with these handlers ----------------------------------------------------------
#: The coroutine handler bodies above, by how the features describe them.
COROUTINE_BODIES = {
    "tells the client whether it runs in a task": _tell_whether_in_task,
    "fails with an exception": _fail,
    "waits for the client to send something": _wait_for_client,
    "greets the client and returns without closing the writer": _greet_and_return,
    "does nothing": _do_nothing,
    "reads everything the client sends": _read_everything,
}
assert set(COROUTINE_BODIES) == set(step_types.COROUTINE_BODIES)


@given("a server whose coroutine handler {body:CoroutineBody}")
async def step_server_coroutine_handler(context, body):
    """A start_server server whose ``async def`` handler does what *body* says."""
    world = context.world
    await start_with(world, coroutine_handler(world, COROUTINE_BODIES[body]))


@given("a server started with a reader limit of {limit:d} bytes "
       "whose coroutine handler {body:CoroutineBody}")
async def step_server_coroutine_handler_limit(context, limit, body):
    """As "a server whose coroutine handler ...", with start_server's limit given."""
    world = context.world
    await start_with(world, coroutine_handler(world, COROUTINE_BODIES[body]), limit=limit)


@given("a server whose handler is a plain function that {raises:PlainRaises}")
async def step_server_plain_function(context, raises):
    """A plain (non-coroutine) handler that writes the greeting and closes the
    writer -- or that fails as soon as it is called.  The failing one keeps
    its writer, as the failing coroutine handler does: only the server's own
    reaction may close the connection."""
    world = context.world
    _prepare(world)
    notes, record = world.handler_notes, world.record

    def greets(reader, writer):
        notes["arguments"] = (type(reader).__name__, type(writer).__name__)
        record.transports.append(writer.transport)  # for cleanup
        record.count("accepted")
        writer.write(GREETING)
        writer.close()

    def fails(reader, writer):
        world.handler_transport = writer.transport
        record.transports.append(writer.transport)  # for cleanup
        notes["writer"] = writer
        record.count("accepted")
        raise HandlerFailure("the plain handler failed on purpose")

    await start_with(world, fails if raises else greets)
