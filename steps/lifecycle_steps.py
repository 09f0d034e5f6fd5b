"""Steps for the server object's lifecycle: get_loop, close timing, wait_closed
before close, serve_forever endings, async with exit, close_clients/abort_clients.

"Has (not) finished while a client is served" is observed with an echo round
trip: it runs the event loop through many iterations, so anything that was
going to finish without waiting for the client has finished by then.
"""

import asyncio

from behave import given, register_type, then, when
from parse import with_pattern

from asyncio_server_spec.reference import sockets
from asyncio_server_spec.reference.client import blocking_probe
from asyncio_server_spec.reference.waiting import settle, within

#: Seconds to give something that must finish promptly (or hang, if broken).
PROMPT = 1.0
#: What the bulk-writing handler sends: far more than the kernel buffers hold
#: once the server's send buffer is shrunk, so part stays in the transport.
BULK_MIB = 4
PING = b"ping\n"
CLIENT_METHODS = ("close_clients", "abort_clients")


@with_pattern("|".join(CLIENT_METHODS))
def parse_client_method(text):
    return text


register_type(ClientMethod=parse_client_method)


async def _finished(task, what, timeout=PROMPT):
    """Wait (bounded) until *task* is done, whatever its outcome."""
    await within(asyncio.wait({task}), what, timeout)


async def _round_trip(client):
    reply = await client.echo(PING)
    assert reply == PING, "expected the echo {!r}, got {!r}".format(PING, reply)


# -- get_loop ---------------------------------------------------------------------
@then("get_loop() returns the loop the server runs on")
async def step_get_loop(context):
    running = asyncio.get_running_loop()
    got = context.world.server.get_loop()
    assert got is running, "get_loop() returned {!r}, the server runs on {!r}".format(got, running)


# -- close() takes effect before it returns ------------------------------------------
@when("the server is closed and a client tries to connect before anything else runs")
def step_close_then_connect_at_once(context):
    world = context.world
    world.server.close()
    # a blocking connect: the event loop gets no chance to run in between
    world.early_connect = blocking_probe(world.address, PROMPT)


@then("that client was refused")
def step_early_client_refused(context):
    outcome = context.world.early_connect
    assert outcome == "refused", f"expected the connection right after close() to be refused; {outcome}"


# -- wait_closed() before close() ---------------------------------------------------
@then("wait_closed() has not returned while the server goes on serving")
async def step_wait_closed_pending_serving(context):
    world = context.world
    probe = await world.connect()
    await _round_trip(probe)
    await probe.close()
    assert not world.wait_closed_task.done(), "wait_closed() returned before close() was called"


# -- serve_forever() ---------------------------------------------------------------
@when("serve_forever() is awaited")
async def step_serve_forever_awaited(context):
    await context.world.attempt(
        context.world.server.serve_forever(), "serve_forever() to give up", PROMPT
    )


@when("the serve_forever() task is cancelled without waiting for it")
async def step_cancel_serve_forever_nowait(context):
    context.world.serve_forever_task.cancel()
    await settle()


@then("the serve_forever() task finishes cancelled")
async def step_serve_forever_finishes_cancelled(context):
    task = context.world.serve_forever_task
    await _finished(task, "the serve_forever() task to finish")
    assert task.cancelled(), "the serve_forever() task ended as {!r}".format(task)


@then("the serve_forever() task has finished by the time the client is echoed")
async def step_serve_forever_done_after_round_trip(context):
    world = context.world
    await _round_trip(world.client)
    assert world.serve_forever_task.done(), "serve_forever() is still running"


@then("the serve_forever() task has not finished while the client is served")
async def step_serve_forever_pending(context):
    world = context.world
    await _round_trip(world.client)
    assert not world.serve_forever_task.done(), (
        "serve_forever() finished while a client was connected: {!r}".format(
            world.serve_forever_task
        )
    )


# -- start_serving() after close() ------------------------------------------------------
@when("start_serving() is awaited on the closed server")
async def step_start_serving_closed(context):
    await context.world.attempt(
        context.world.server.start_serving(), "start_serving() to return", PROMPT
    )


@then("is_serving() nevertheless reports True")
def step_is_serving_wrongly(context):
    assert context.world.server.is_serving() is True, "is_serving() is not True"


# -- async with --------------------------------------------------------------------
@when("an async with block on the server ends while the client is connected")
async def step_leave_block_with_client(context):
    world = context.world
    server = world.server

    async def use():
        async with server:
            pass

    world.leave_task = world.track_task(use())
    await settle()


@then("leaving the block has finished by the time the client is echoed")
async def step_leave_done_after_round_trip(context):
    world = context.world
    await _round_trip(world.client)
    assert world.leave_task.done(), "leaving async with is still waiting"
    world.leave_task.result()  # re-raise whatever went wrong in it


@then("leaving the block has not finished while the client is served")
async def step_leave_pending(context):
    world = context.world
    await _round_trip(world.client)
    assert not world.leave_task.done(), "leaving async with finished while a client was connected"


@then("leaving the block finishes")
async def step_leave_finishes(context):
    task = context.world.leave_task
    await _finished(task, "leaving async with to finish")
    task.result()


class BlockFailure(Exception):
    """Raised on purpose inside an async with block."""


@when("the server is used in an async with block whose body raises BlockFailure")
async def step_async_with_raises(context):
    """The block's body raises; what comes out of the statement is kept as the outcome."""
    server = context.world.server

    async def use():
        async with server:
            raise BlockFailure("raised inside the async with block on purpose")

    await context.world.attempt(use(), "the async with block to end")


@then("the server was not serving inside the block")
def step_not_serving_inside(context):
    assert context.world.serving_inside_block is False, "is_serving() was True inside the block"


# -- close_clients() / abort_clients() --------------------------------------------------
@given("a server whose handler writes {n:d} MiB that the client does not read yet")
async def step_bulk_writer_server(context, n):
    world = context.world
    record = world.record
    world.bulk_size = n * 1024 * 1024

    async def handler(reader, writer):
        record.writers.append(writer)
        # a small kernel send buffer keeps most of the data in the transport
        sockets.shrink_send_buffer(writer)
        writer.write(b"x" * world.bulk_size)  # no drain: the client is not reading
        record.count("accepted")
        try:
            await reader.read()  # until the connection ends
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
            record.count("handlers_finished")

    await world.start("start_server", handler)


@when("{method:ClientMethod}() is called on the server")
def step_call_client_method(context, method):
    world = context.world
    writers = world.record.writers
    world.unsent_before = writers[-1].transport.get_write_buffer_size() if writers else None
    try:
        world.outcome = getattr(world.server, method)()
    except Exception as exc:  # the outcome *is* the observation
        world.outcome = exc


@then("the call returned normally")
def step_call_returned(context):
    outcome = context.world.outcome
    assert not isinstance(outcome, Exception), "the call raised {!r}".format(outcome)


@then("the client receives everything the handler wrote, then the end of the connection")
async def step_receives_everything(context):
    world = context.world
    assert world.unsent_before, "precondition: the handler had no unsent data left"
    total, end = await world.client.read_to_end("the client to read to the end of the connection")
    assert (total, end) == (world.bulk_size, "EOF"), (
        "the client got {} of {} bytes, then {}".format(total, world.bulk_size, end)
    )


@then("the client receives less than the handler wrote, then the end of the connection")
async def step_receives_less(context):
    world = context.world
    assert world.unsent_before, "precondition: the handler had no unsent data left"
    total, end = await world.client.read_to_end("the client to read to the end of the connection")
    assert total < world.bulk_size, (
        "the client got all {} bytes ({} were still unsent when the clients "
        "were aborted)".format(total, world.unsent_before)
    )
