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
import gc
import re
import warnings
import weakref

from behave import given, register_type, then, when
from parse import with_pattern

from asyncio_server_spec.reference.handlers import HandlerFailure
from asyncio_server_spec.reference.waiting import settle, within

GREETING = b"hello from the handler\n"
PROBE = b"still open?\n"
IN_A_TASK = b"in a task\n"
NOT_IN_A_TASK = b"not in a task\n"


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


# -- the loop's exception handler and warnings ------------------------------------------
@given("the loop's exception handler is captured")
def step_capture_exception_handler(context):
    world = context.world
    world.loop_reports = []
    # the report is the last argument (rloop passes only the report, not the loop)
    world.loop.set_exception_handler(lambda *args: world.loop_reports.append(args[-1]))


@given("ResourceWarnings are recorded")
def step_record_warnings(context):
    """Every ResourceWarning from now on is kept in ``world.warnings_seen``,
    until the scenario's cleanup restores the warning filters."""
    world = context.world
    catcher = warnings.catch_warnings(record=True)
    world.warnings_seen = catcher.__enter__()
    warnings.simplefilter("always", ResourceWarning)
    world.on_cleanup(lambda: catcher.__exit__(None, None, None))


# -- servers with these handlers ----------------------------------------------------------
#: How the features describe each coroutine handler body above.
COROUTINE_BODIES = {
    "tells the client whether it runs in a task": _tell_whether_in_task,
    "fails with an exception": _fail,
    "waits for the client to send something": _wait_for_client,
    "greets the client and returns without closing the writer": _greet_and_return,
    "does nothing": _do_nothing,
    "reads everything the client sends": _read_everything,
}


@with_pattern("|".join(re.escape(phrase) for phrase in COROUTINE_BODIES))
def parse_coroutine_body(text):
    return COROUTINE_BODIES[text]


register_type(CoroutineBody=parse_coroutine_body)


@given("a server whose coroutine handler {body:CoroutineBody}")
async def step_server_coroutine_handler(context, body):
    world = context.world
    await start_with(world, coroutine_handler(world, body))


@given("a server started with a reader limit of {limit:d} bytes "
       "whose coroutine handler {body:CoroutineBody}")
async def step_server_coroutine_handler_limit(context, limit, body):
    """As "a server whose coroutine handler ...", with start_server's limit given."""
    world = context.world
    await start_with(world, coroutine_handler(world, body), limit=limit)


@given("a server whose handler is a plain function that greets the client and closes")
async def step_server_plain_function(context):
    world = context.world
    _prepare(world)
    notes, record = world.handler_notes, world.record

    def handler(reader, writer):
        notes["arguments"] = (type(reader).__name__, type(writer).__name__)
        record.transports.append(writer.transport)  # for cleanup
        record.count("accepted")
        writer.write(GREETING)
        writer.close()

    await start_with(world, handler)


@given("a server whose handler is a plain function that raises an exception")
async def step_server_plain_function_raises(context):
    """A plain (non-coroutine) handler that fails as soon as it is called.

    It keeps its writer, as the failing coroutine handler does: only the
    server's own reaction may close the connection.
    """
    world = context.world
    _prepare(world)
    notes, record = world.handler_notes, world.record

    def handler(reader, writer):
        world.handler_transport = writer.transport
        record.transports.append(writer.transport)  # for cleanup
        notes["writer"] = writer
        record.count("accepted")
        raise HandlerFailure("the plain handler failed on purpose")

    await start_with(world, handler)


# -- acting ---------------------------------------------------------------------------------
async def _handler_end(world):
    await within(asyncio.shield(world.handler_ended), "the handler to end")
    await settle()  # the server's own reaction (closing the socket) runs


@when("the handler has ended")
async def step_handler_ended(context):
    await _handler_end(context.world)


@when("the handler's task is cancelled")
async def step_cancel_handler(context):
    world = context.world
    task = world.handler_task_ref() if world.handler_task_ref else None
    assert task is not None, "the handler's task is gone before it could be cancelled"
    task.cancel()
    del task
    await _handler_end(world)


@when("garbage is collected")
async def step_collect_garbage(context):
    gc.collect()
    await settle()


@when('the client disconnects after sending "{text}"')
async def step_send_and_disconnect(context, text):
    client = context.world.client
    await client.send(text.encode())
    await client.close()


# -- observing -----------------------------------------------------------------------------
@then("the client is told the handler runs in a task")
async def step_told_in_task(context):
    world = context.world
    reply = await world.client.receive_exactly(len(IN_A_TASK))
    assert reply == IN_A_TASK, "the handler answered {!r}".format(reply)
    assert world.handler_notes.get("in_task") is True, world.handler_notes


@then("the handler was given a StreamReader and a StreamWriter, in that order")
def step_arguments(context):
    got = context.world.handler_notes.get("arguments")
    assert got == ("StreamReader", "StreamWriter"), "the handler was given {!r}".format(got)


@then("the client receives the greeting and then the end of the stream")
async def step_greeting_then_eof(context):
    client = context.world.client
    reply = await client.receive_exactly(len(GREETING))
    assert reply == GREETING, "the client received {!r}".format(reply)
    assert await client.sees_eof()


async def _assert_still_open(world):
    transport = world.handler_transport
    assert transport is not None, "no handler saw a connection"
    assert not transport.is_closing(), "the server has closed the connection"
    transport.write(PROBE)  # dropped if the transport were closed
    received = await world.client.receive_exactly(len(PROBE))
    assert received == PROBE, "the client received {!r}".format(received)


@then("the client's connection is still open")
async def step_still_open(context):
    await _assert_still_open(context.world)


@then("the client's connection is still open after the greeting")
async def step_still_open_after_greeting(context):
    client = context.world.client
    reply = await client.receive_exactly(len(GREETING))
    assert reply == GREETING, "the client received {!r}".format(reply)
    await _assert_still_open(context.world)


def _reports(world):
    return ["{}: {!r}".format(r.get("message"), r.get("exception")) for r in world.loop_reports]


def _reported_once(world, matches):
    """Exactly one report to the loop's exception handler *matches*."""
    matching = [report for report in world.loop_reports if matches(report)]
    assert len(matching) == 1, "reports: {}".format(_reports(world))


@then("the loop's exception handler was told the task's exception was never retrieved")
def step_never_retrieved(context):
    _reported_once(context.world, lambda r: (
        r.get("message") == "Task exception was never retrieved"
        and isinstance(r.get("exception"), HandlerFailure)))


@then("the loop's exception handler was told of an unhandled exception in the handler")
def step_unhandled_in_cb(context):
    world = context.world
    _reported_once(world, lambda r: (
        r.get("message") == "Unhandled exception in client_connected_cb"
        and isinstance(r.get("exception"), HandlerFailure)
        and r.get("transport") is world.handler_transport))


@then("the loop's exception handler was told of the handler's exception as an error in a callback")
def step_handler_error_in_callback(context):
    """The report the loop's callback runner makes for any callback that raises:
    it names the callback (``handle``), not the connection (``transport``)."""
    _reported_once(context.world, lambda r: (
        isinstance(r.get("exception"), HandlerFailure)
        and r.get("handle") is not None
        and "transport" not in r))


@then("the loop's exception handler was told of a CancelledError raised in a callback")
def step_cancelled_in_callback(context):
    _reported_once(context.world, lambda r: (
        str(r.get("message", "")).startswith("Exception in callback")
        and isinstance(r.get("exception"), asyncio.CancelledError)))


@then("nothing was reported to the loop's exception handler")
def step_nothing_reported(context):
    world = context.world
    assert not world.loop_reports, "reports: {}".format(_reports(world))


@then("the handler saw the cancellation")
def step_handler_saw_cancel(context):
    assert context.world.handler_notes.get("cancelled") is True, context.world.handler_notes


def _unclosed_writer_warnings(world):
    return [
        w for w in world.warnings_seen
        if issubclass(w.category, ResourceWarning) and "StreamWriter" in str(w.message)
    ]


@then("a ResourceWarning named the unclosed StreamWriter")
def step_resource_warning(context):
    world = context.world
    found = _unclosed_writer_warnings(world)
    assert len(found) == 1, "warnings: {}".format([str(w.message) for w in world.warnings_seen])


@then("no ResourceWarning named a StreamWriter")
def step_no_resource_warning(context):
    world = context.world
    found = _unclosed_writer_warnings(world)
    assert not found, "warnings: {}".format([str(w.message) for w in found])


@then('the handler read "{text}" and then the end of the stream')
def step_handler_read(context, text):
    notes = context.world.handler_notes
    assert notes.get("read") == text.encode(), "the handler read {!r}".format(notes.get("read"))
    assert notes.get("at_eof") is True, "the handler's reader is not at EOF"


@then("the handler's peer address is the client's own address")
def step_peer_is_client(context):
    world = context.world
    assert world.record.peers, "no handler noted its peer"
    peer = world.record.peers[-1]
    own = world.client.sockname
    assert tuple(peer[:2]) == tuple(own[:2]), (
        f"expected the handler's peername to be the client's address {own!r}; it is {peer!r}")
