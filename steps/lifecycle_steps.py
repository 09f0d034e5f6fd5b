"""Steps for the server object's lifecycle: get_loop, close timing, async
with, and waiting for something a scenario started -- a serve_forever()
task, a wait_closed(), leaving an async with block -- to finish (or not).

"Has (not) finished while a client is served" is observed with an echo round
trip: it runs the event loop through many iterations, so anything that was
going to finish without waiting for the client has finished by then.
"""

import asyncio

from behave import then, when

from asyncio_server_spec.reference.probes import blocking_probe
from asyncio_server_spec.reference.waiting import promptly, settle, within

import vocabulary  # noqa: F401 -- registers the step vocabulary's types

#: Seconds to give something that must finish promptly (or hang, if broken).
PROMPT = 1.0
PING = b"ping\n"


async def _finished(task, what, timeout=PROMPT):
    """Wait until *task* is done, whatever its outcome: at once (a prompt wait)."""
    await promptly(asyncio.wait({task}), what, timeout)


async def _round_trip(client):
    """One echo round trip of *client*: the loop runs through many iterations."""
    reply = await client.echo(PING)
    assert reply == PING, f"expected the echo {PING!r}, got {reply!r}"


# -- get_loop ---------------------------------------------------------------------
@then("get_loop() returns the loop the server runs on")
async def step_get_loop(context):
    """server.get_loop() is the loop the steps run on."""
    running = asyncio.get_running_loop()
    got = context.world.call_server("get_loop")
    assert got is running, (
        f"expected get_loop() to return the loop the server runs on, {running!r}; it returned {got!r}"
    )


# -- close() takes effect before it returns ------------------------------------------
@when("the server is closed and a client tries to connect before anything else runs")
def step_close_then_connect_at_once(context):
    """server.close(), then at once a blocking connect (the loop cannot run in between)."""
    world = context.world
    world.server.close()
    # a blocking connect: the event loop gets no chance to run in between
    world.early_connect = blocking_probe(world.address, PROMPT, after="close()")


@then("that client was refused")
def step_early_client_refused(context):
    """The connect made right after close() was refused."""
    outcome = context.world.early_connect
    assert outcome == "refused", f"expected the connection right after close() to be refused; {outcome}"


# -- serve_forever() ---------------------------------------------------------------
@then("the serve_forever() task finishes cancelled")
async def step_serve_forever_finishes_cancelled(context):
    """The serve_forever() task ends promptly, and cancelled."""
    task = context.world.serve_forever_task
    await _finished(task, "the serve_forever() task to finish")
    assert task.cancelled(), f"expected the serve_forever() task to finish cancelled; it ended as {task!r}"


# -- async with --------------------------------------------------------------------
@when("an async with block on the server ends while the client is connected")
async def step_leave_block_with_client(context):
    """``async with server:`` ends in a task of its own (``world.leave_task``)."""
    world = context.world
    server = world.server

    async def use():
        async with server:
            pass

    world.leave_task = world.track_task(use())
    await settle()


class BlockFailure(Exception):
    """Raised on purpose inside an async with block."""


def _use_in_block(world, raises):
    """``async with server:`` around nothing, noting whether it served inside
    (``world.serving_inside_block``); *raises*: the body raises BlockFailure."""
    server = world.server

    async def use():
        async with server:
            world.serving_inside_block = server.is_serving()
            if raises:
                raise BlockFailure("raised inside the async with block on purpose")

    return use()


@when("the server is used in an async with block that then ends")
async def step_async_with(context):
    """``async with server:`` around nothing, bounded."""
    await within(_use_in_block(context.world, raises=False), "the async with block to end")


@when("the server is used in an async with block whose body raises BlockFailure")
async def step_async_with_raising(context):
    """``async with server:`` whose body raises; what comes out of the
    statement is kept as the outcome."""
    world = context.world
    await world.attempt(_use_in_block(world, raises=True), "the async with block to end")


@then("the server was serving inside the block")
def step_served_inside(context):
    """is_serving() was True inside the async with block."""
    serving = context.world.serving_inside_block
    assert serving is True, f"expected is_serving() to be True inside the block; it was {serving!r}"


@then("the server was not serving inside the block")
def step_not_served_inside(context):
    """is_serving() was False inside the async with block."""
    serving = context.world.serving_inside_block
    assert serving is False, f"expected is_serving() to be False inside the block; it was {serving!r}"


# -- waiting for something a scenario started ---------------------------------------------
@then("{what:Awaited} finishes")
async def step_finishes(context, what):
    """*what* ends, promptly; what went wrong in it fails the step."""
    task = what.task(context.world)
    await _finished(task, f"{what.name} to finish")
    if what.raises_on_failure:
        task.result()


@then("{what:Awaited} has finished by the time the client is echoed")
async def step_finished_after_round_trip(context, what):
    """After an echo round trip of the connected client, *what* is done
    (and, unless it is serve_forever(), without an exception)."""
    world = context.world
    await _round_trip(world.client)
    task = what.task(world)
    assert task.done(), (
        f"expected {what.name} to have finished once the client was echoed; it is still running"
    )
    if what.raises_on_failure:
        task.result()


@then("{what:Awaited} has not finished while the client is served")
async def step_not_finished_while_served(context, what):
    """After an echo round trip of the connected client, *what* is still not done."""
    world = context.world
    await _round_trip(world.client)
    task = what.task(world)
    assert not task.done(), (
        f"expected {what.name} not to finish while a client is connected; it finished: {task!r}"
    )


@then("wait_closed() has not finished while the server goes on serving")
async def step_wait_closed_not_finished_while_serving(context):
    """A new client is echoed, and the wait_closed() task is still not done."""
    world = context.world
    probe = await world.connect()
    await _round_trip(probe)
    await probe.close()
    assert not world.wait_closed_task.done(), (
        "expected wait_closed() not to finish while the server serves; it returned before close() was called"
    )
