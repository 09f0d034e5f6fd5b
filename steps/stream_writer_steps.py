"""Steps for the handler's StreamWriter (stream_writer.feature): a reply
larger than the socket buffers, a client that reads slowly or not at all,
and what the client sees of write_eof() and close().  The steered handler
and its calls are in stream_reader_steps.py."""

from __future__ import annotations

from behave import given, then, when

from asyncio_server_spec.reference import client as clients
from asyncio_server_spec.reference.handlers import (
    first_difference,
    reply,
    write_in_pieces,
    write_then_writelines,
)
from asyncio_server_spec.reference.handlers.steered import last_outcome, start_steered
from asyncio_server_spec.reference.waiting import WaitTimeout

import vocabulary  # noqa: F401 -- registers the step vocabulary's types

KIB = 1024


@given("a server started with {api:Api} whose handler is steered by the scenario and has a small send buffer")
async def step_steered_server_small_sndbuf(context, api):
    """As the steered server, the steered connection's socket given a small
    kernel send buffer, so that most of a large reply waits in the transport."""
    await start_steered(context.world, api, small_send_buffer=True)


@when("a client that takes in little at a time connects")
async def step_slow_client_connects(context):
    """A new client connects whose reader takes in little at a time (its
    transport stops reading the socket once a few KiB wait unread); the server
    accepts it."""
    world = context.world
    await world.connect(limit=clients.SLOW_CLIENT_LIMIT)
    await world.record.wait_accepted(len(world.clients))


@when("the client stops reading")
async def step_client_stops_reading(context):
    """The latest client stops taking data from its socket."""
    await context.world.client.pause_reading()


async def _write_reply(world, size, make_operation, how):
    """Have the handler write a reply of *size* bytes with *make_operation*; the
    calls must return at once, without an error."""
    problem = world.steered.setup_problem
    assert problem is None, (
        "expected the connection's writer to give its socket (get_extra_info('socket')), whose send "
        f"buffer can be shrunk; {problem}"
    )
    world.reply = reply(size)
    world.steered.call(how, make_operation(world.reply))
    call, outcome = await last_outcome(world.steered)
    assert outcome.error is None, f"expected {call.text} to return; it raised {outcome.error!r}"


@when("the handler writes a reply of {kib:d} KiB in {count:d} write() calls")
async def step_write_reply(context, kib, count):
    """The handler queues a reply of *kib* KiB (every 4-byte word its own index)
    with *count* write() calls in a row, without drain()."""
    await _write_reply(
        context.world, kib * KIB, lambda data: write_in_pieces(data, count), f"{count} write() calls"
    )


@when(
    "the handler writes a reply of {kib:d} KiB, half in {writes:d} write() calls "
    "and half in one writelines() call of {pieces:d} pieces"
)
async def step_write_and_writelines_reply(context, kib, writes, pieces):
    """The handler queues a reply of *kib* KiB: its first half with *writes*
    write() calls, its second half with one writelines() call of *pieces*
    pieces, without drain()."""
    await _write_reply(
        context.world,
        kib * KIB,
        lambda data: write_then_writelines(data, writes, pieces),
        f"{writes} write() calls, then writelines() of {pieces} pieces",
    )


@then("the client, reading slowly, receives the whole reply in order")
async def step_client_receives_reply(context):
    """The latest client reads the reply in small pieces (taking data from its
    socket again if it had stopped): every byte arrives, in order, nothing more."""
    world = context.world
    expected = world.reply
    progress = clients.SlowReading()
    try:
        got = await world.client.receive_slowly(len(expected), progress)
    except WaitTimeout as exc:
        got = bytes(progress.received)
        raise AssertionError(
            f"expected the client to receive the whole reply of {len(expected)} bytes; it got "
            f"{len(got)}, then nothing more ({exc}); {first_difference(got, expected)}"
        ) from None
    assert got == expected, (
        f"expected the client to receive the reply of {len(expected)} bytes "
        f"whole and in order; {first_difference(got, expected)}"
    )
