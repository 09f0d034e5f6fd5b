"""Steps that act on a connection whose handler is one of handler_steps' and
observe what the handler and the server did with it (see handler_steps for
how a handler notes what it saw, and how "still open" is observed)."""

import asyncio
import gc

from behave import then, when

from asyncio_server_spec.reference.handlers import GREETING, IN_A_TASK, PROBE
from asyncio_server_spec.reference.waiting import promptly, settle

import step_types  # noqa: F401 -- registers the step vocabulary's types


# -- acting ---------------------------------------------------------------------------------
async def _handler_end(world):
    """Wait (bounded) for the handler to end and the server's reaction to run."""
    await promptly(asyncio.shield(world.handler_ended), "the handler to end")
    await settle()  # the server's own reaction (closing the socket) runs


@when("the handler has ended")
async def step_handler_ended(context):
    """Wait until the handler's task has ended and the server has reacted."""
    await _handler_end(context.world)


@when("the handler's task is cancelled")
async def step_cancel_handler(context):
    """Cancel the handler's task (if it is still there) and wait for it to end."""
    world = context.world
    task = world.handler_task_ref() if world.handler_task_ref else None
    assert task is not None, "the handler's task is gone before it could be cancelled"
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
    assert reply == IN_A_TASK, f"the handler answered {reply!r}"
    assert world.handler_notes.get("in_task") is True, world.handler_notes


@then("the handler was given a StreamReader and a StreamWriter, in that order")
def step_arguments(context):
    """The handler noted the types of its two arguments."""
    got = context.world.handler_notes.get("arguments")
    assert got == ("StreamReader", "StreamWriter"), f"the handler was given {got!r}"


@then("the client receives the greeting")
async def step_receives_greeting(context):
    """The client reads exactly the handler's greeting."""
    client = context.world.client
    reply = await client.receive_exactly(len(GREETING))
    assert reply == GREETING, f"the client received {reply!r}"


async def _assert_still_open(world):
    """The server side's transport is open and a probe written to it reaches the client."""
    transport = world.handler_transport
    assert transport is not None, "no handler saw a connection"
    assert not transport.is_closing(), "the server has closed the connection"
    transport.write(PROBE)  # dropped if the transport were closed
    received = await world.client.receive_exactly(len(PROBE))
    assert received == PROBE, f"the client received {received!r}"


@then("the client{closed:ConnectionState}")
async def step_connection_state(context, closed):
    """The latest client reads the end of the stream (the server closed it) --
    or the server has not closed the client's connection (see the module docstring)."""
    if closed:
        assert await context.world.client.sees_eof()
    else:
        await _assert_still_open(context.world)


@then('the handler read "{text}" and then the end of the stream')
def step_handler_read(context, text):
    """The reading handler got exactly *text*, and its reader is at EOF."""
    notes = context.world.handler_notes
    assert notes.get("read") == text.encode(), "the handler read {!r}".format(notes.get("read"))
    assert notes.get("at_eof") is True, "the handler's reader is not at EOF"


@then("the handler's peer address is the client's own address")
def step_peer_is_client(context):
    """The peername the handler saw is the client's own socket address."""
    world = context.world
    assert world.record.peers, "no handler noted its peer"
    peer = world.record.peers[-1]
    own = world.client.sockname
    assert tuple(peer[:2]) == tuple(own[:2]), (
        f"expected the handler's peername to be the client's address {own!r}; it is {peer!r}")


@then("the handler saw the cancellation")
def step_handler_saw_cancel(context):
    """The waiting handler noted a CancelledError."""
    assert context.world.handler_notes.get("cancelled") is True, context.world.handler_notes
