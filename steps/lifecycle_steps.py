"""Steps for the server object's lifecycle: get_loop, close timing, wait_closed
before close, serve_forever endings, async with exit, and waiting for any of them
(close_clients/abort_clients: close_clients_steps.py).

"Has (not) finished while a client is served" is observed with an echo round
trip: it runs the event loop through many iterations, so anything that was
going to finish without waiting for the client has finished by then.
"""

import asyncio

from behave import then, when

from asyncio_server_spec.reference.probes import blocking_probe
from asyncio_server_spec.reference.waiting import promptly, settle, within

import step_types  # noqa: F401 -- registers the step vocabulary's types

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
    got = context.world.server.get_loop()
    assert got is running, f"get_loop() returned {got!r}, the server runs on {running!r}"


# -- close() takes effect before it returns ------------------------------------------
@when("the server is closed and a client tries to connect before anything else runs")
def step_close_then_connect_at_once(context):
    """server.close(), then at once a blocking connect (the loop cannot run in between)."""
    world = context.world
    world.server.close()
    # a blocking connect: the event loop gets no chance to run in between
    world.early_connect = blocking_probe(world.address, PROMPT)


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
    assert task.cancelled(), f"the serve_forever() task ended as {task!r}"


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


@when("the server is used in an async with block {raises:BlockRaises}")
async def step_async_with(context, raises):
    """``async with server:`` around nothing, noting whether it served inside;
    or whose body raises -- what comes out of the statement is kept as the outcome."""
    server = context.world.server

    async def use():
        async with server:
            context.world.serving_inside_block = server.is_serving()
            if raises:
                raise BlockFailure("raised inside the async with block on purpose")

    if raises:
        await context.world.attempt(use(), "the async with block to end")
    else:
        await within(use(), "the async with block to end")


# -- waiting for something to finish ---------------------------------------------------
class _Awaited:
    """How to observe one thing a scenario waits for (see step_types.AWAITED)."""

    def __init__(self, attribute, finish, running, still, late, finish_timeout, checks_result):
        self.attribute = attribute  # the task on the world
        self.finish = finish  # what a wait for it to finish says
        self.running = running  # the message when it finished too early
        self.still = still  # the message when it has not finished yet
        self.late = late  # the echo it uses to run the loop (None: _round_trip)
        self.finish_timeout = finish_timeout
        self.checks_result = checks_result  # re-raise what went wrong in it


AWAITED = {
    "the serve_forever() task": _Awaited(
        "serve_forever_task", None, "serve_forever() finished while a client was connected: {task!r}",
        "serve_forever() is still running", None, None, False),
    "leaving the block": _Awaited(
        "leave_task", "leaving async with to finish",
        "leaving async with finished while a client was connected",
        "leaving async with is still waiting", None, PROMPT, True),
    "wait_closed()": _Awaited(
        "wait_closed_task", "wait_closed() to return",
        "wait_closed() returned while a client was connected", None, b"still here", None, True),
}


async def _not_finished_while_served(context, what):
    """After an echo round trip of the connected client, *what* is still not done."""
    world, awaited = context.world, AWAITED[what]
    task = getattr(world, awaited.attribute)
    if awaited.late is None:
        await _round_trip(world.client)
    else:  # a full echo round trip runs the loop through many iterations
        assert await world.client.echo(awaited.late) == awaited.late
    assert not task.done(), awaited.running.format(task=task)


async def _finished_after_round_trip(context, what):
    """After an echo round trip of the connected client, *what* is done."""
    world, awaited = context.world, AWAITED[what]
    await _round_trip(world.client)
    task = getattr(world, awaited.attribute)
    assert task.done(), awaited.still
    if awaited.checks_result:
        task.result()  # re-raise whatever went wrong in it


async def _finishes(context, what):
    """*what* ends (bounded wait) without an exception."""
    awaited = AWAITED[what]
    task = getattr(context.world, awaited.attribute)
    if awaited.finish_timeout is None:
        await promptly(task, awaited.finish)
    else:
        await _finished(task, awaited.finish, awaited.finish_timeout)
        task.result()


async def _not_finished_while_serving(context, what):
    """A new client is echoed, and the wait_closed() task is still not done."""
    assert what == "wait_closed()", f"{what} is not observed while the server serves"
    world = context.world
    probe = await world.connect()
    await _round_trip(probe)
    await probe.close()
    assert not world.wait_closed_task.done(), "wait_closed() returned before close() was called"


_OUTCOMES = {
    "finishes": _finishes,
    "has finished by the time the client is echoed": _finished_after_round_trip,
    "has not finished while the client is served": _not_finished_while_served,
    "has not finished while the server goes on serving": _not_finished_while_serving,
}


@then("{what:Awaited} {outcome:AwaitedOutcome}")
async def step_awaited_outcome(context, what, outcome):
    """What became of *what*: it finishes (bounded wait, no exception); it is
    done after an echo round trip of the connected client; it is still not
    done after one; wait_closed() is still not done while a new client is echoed."""
    await _OUTCOMES[outcome](context, what)
