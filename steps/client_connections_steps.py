"""Steps for close_clients() and abort_clients(): a handler with a bulk write
still queued, and what the client receives of it."""

from behave import given, then, when

from asyncio_server_spec.reference.handlers import bulk_writer

import vocabulary  # noqa: F401 -- registers the step vocabulary's types

MIB = 1024 * 1024


@given("a server whose handler writes {n:d} MiB that the client does not read yet")
async def step_bulk_writer_server(context, n):
    """A start_server server whose handler queues *n* MiB through a small send
    buffer and then reads until the connection ends (``bulk_writer``)."""
    world = context.world
    world.bulk_size = n * MIB
    await world.start("start_server", bulk_writer(world.record, world.bulk_size))


@when("{method:ClientMethod}() is called on the server")
def step_call_client_method(context, method):
    """Call close_clients() or abort_clients(); the unsent amount before and the outcome are kept."""
    world = context.world
    writers = world.record.writers
    world.unsent_before = writers[-1].transport.get_write_buffer_size() if writers else None
    try:
        world.outcome = getattr(world.server, method)()
    except Exception as exc:  # the outcome *is* the observation
        world.outcome = exc


@then("the call returned normally")
def step_call_returned(context):
    """The kept outcome is not an exception."""
    outcome = context.world.outcome
    assert not isinstance(outcome, Exception), f"expected the call to return normally; it raised {outcome!r}"


async def _read_bulk(world):
    """The client reads to the end of the connection: ``(bytes read, how it ended)``."""
    assert world.unsent_before, "precondition: expected the handler to have unsent data left; it had none"
    return await world.client.read_to_end("the client to read to the end of the connection")


@then("the client receives everything the handler wrote, then the end of the connection")
async def step_receives_everything(context):
    """The client reads all of the handler's bulk write, then EOF."""
    world = context.world
    total, end = await _read_bulk(world)
    assert (total, end) == (world.bulk_size, "EOF"), (
        f"expected all {world.bulk_size} bytes, then EOF; the client got {total} bytes, then {end}"
    )


@then("the client receives less than the handler wrote, then the end of the connection")
async def step_receives_less(context):
    """The client reads to the end of the connection and gets less than the
    handler wrote: the unsent rest was thrown away."""
    world = context.world
    total, _ = await _read_bulk(world)
    assert total < world.bulk_size, (
        f"expected less than the {world.bulk_size} bytes written; the client got all {total} bytes "
        f"({world.unsent_before} were still unsent when the clients were aborted)"
    )


@then("every client sees the connection closed")
async def step_every_client_sees_closed(context):
    """Each client of the scenario reads the end of its connection (EOF or a reset), at once."""
    world = context.world
    assert world.clients, "precondition: expected clients to have connected; none has"
    for i, client in enumerate(world.clients, 1):
        try:
            await client.sees_eof()
        except AssertionError as exc:
            raise AssertionError(
                f"expected every one of the {len(world.clients)} clients to see its "
                f"connection closed; client {i} did not: {exc}"
            ) from None
