"""Steps that act on a connection whose handler is watched (handler_steps.py)
and observe what the handler and the server did with it.

"Is still open" is observed without waiting on a clock: the server side's
transport must not be closing, and a probe written through it must reach
the client (a closed transport drops what is written to it).
"""

import asyncio
import gc

from behave import then, when

from asyncio_server_spec.reference.handlers import GREETING, IN_A_TASK, PROBE
from asyncio_server_spec.reference.waiting import promptly, settle


# -- acting ---------------------------------------------------------------------------------
async def _handler_end(world):
    """Wait (bounded) for the handler to end and the server's reaction to run."""
    await promptly(asyncio.shield(world.watch.ended), "the handler to end")
    await settle()  # the server's own reaction (closing the socket) runs


@when("the handler has ended")
async def step_handler_ended(context):
    """Wait until the handler's task has ended and the server has reacted."""
    await _handler_end(context.world)


@when("the handler's task is cancelled")
async def step_cancel_handler(context):
    """Cancel the handler's task (if it is still there) and wait for it to end."""
    world = context.world
    task = world.watch.task
    assert task is not None, "expected the handler's task to be there to cancel; it is gone"
    task.cancel()
    del task
    await _handler_end(world)


@when("garbage is collected")
async def step_collect_garbage(context):
    """gc.collect(), then let the loop run what that set off."""
    gc.collect()
    await settle()


# -- observing -----------------------------------------------------------------------------
@then("the client is told the handler runs in a task")
async def step_told_in_task(context):
    """The client reads the handler's answer: it runs in an asyncio Task."""
    world = context.world
    reply = await world.client.receive_exactly(len(IN_A_TASK))
    notes = world.watch.notes
    if notes.get("in_task") is False and notes.get("current_task", "None") != "None":
        raise AssertionError(
            "expected the handler to run in an asyncio Task; asyncio.current_task() inside it is "
            f"{notes['current_task']}, not of asyncio.Task: the loop's own task class (its task "
            "machinery, not its server)"
        )
    assert reply == IN_A_TASK, (
        f"expected the handler to run in an asyncio Task; it answered {reply!r} "
        f"(asyncio.current_task() inside it: {notes.get('current_task', 'not noted')})"
    )
    assert notes.get("in_task") is True, (
        f"expected the handler to note that it runs in a Task; it noted {notes!r}"
    )


@then("the handler was given a StreamReader and a StreamWriter, in that order")
def step_arguments(context):
    """The handler noted the types of its two arguments."""
    got = context.world.watch.notes.get("arguments")
    assert got == ("StreamReader", "StreamWriter"), (
        f"expected the handler to be given (StreamReader, StreamWriter); it was given {got!r}"
    )


@then("the client receives the greeting")
async def step_receives_greeting(context):
    """The client reads exactly the handler's greeting."""
    client = context.world.client
    reply = await client.receive_exactly(len(GREETING))
    assert reply == GREETING, (
        f"expected the client to receive the greeting {GREETING!r}; it received {reply!r}"
    )


@then("the client sees the connection closed")
async def step_client_sees_closed(context):
    """The latest client reads the end of the stream: the server closed it."""
    await context.world.client.sees_eof()  # if it does not come, the wait fails saying what it waited for


@then("the client's connection is still open")
async def step_client_still_open(context):
    """The server has not closed the client's connection (see the module docstring)."""
    world = context.world
    transport = world.watch.transport
    assert transport is not None, "expected a handler to see the connection; none did"
    assert not transport.is_closing(), "expected the connection to be open; the server is closing it"
    transport.write(PROBE)  # dropped if the transport were closed
    received = await world.client.receive_exactly(len(PROBE))
    assert received == PROBE, f"expected the client to receive {PROBE!r}; it received {received!r}"


@then('the handler read "{text}" and then the end of the stream')
def step_handler_read(context, text):
    """The reading handler got exactly *text*, and its reader is at EOF."""
    notes = context.world.watch.notes
    assert notes.get("read") == text.encode(), "expected the handler to read {!r}; it read {!r}".format(
        text.encode(), notes.get("read")
    )
    assert notes.get("at_eof") is True, "expected the handler's reader to be at EOF; it is not"


@then("the handler's peer address is the client's own address")
def step_peer_is_client(context):
    """The peername the handler saw is the client's own socket address."""
    world = context.world
    assert world.record.peers, "expected the handler to note its peer; none did"
    peer = world.record.peers[-1]
    own = world.client.sockname
    assert isinstance(peer, tuple) and tuple(peer[:2]) == tuple(own[:2]), (
        f"expected the handler's peername to be the client's address {own!r}; it is {peer!r}"
    )


@then("the handler saw the cancellation")
def step_handler_saw_cancel(context):
    """The waiting handler noted a CancelledError."""
    notes = context.world.watch.notes
    assert notes.get("cancelled") is True, f"expected the handler to see a CancelledError; it noted {notes!r}"
