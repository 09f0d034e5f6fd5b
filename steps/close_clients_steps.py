"""Steps for close_clients() and abort_clients(): a handler with a bulk write
still queued, and what the client receives of it."""

from behave import given, then, when

from asyncio_server_spec.reference import sockets

import step_types  # noqa: F401 -- registers the step vocabulary's types


# -- close_clients() / abort_clients() --------------------------------------------------
@given("a server whose handler writes {n:d} MiB that the client does not read yet")
async def step_bulk_writer_server(context, n):
    """A start_server server whose handler queues *n* MiB through a small send
    buffer and then reads until the connection ends."""
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
    assert not isinstance(outcome, Exception), f"the call raised {outcome!r}"


@then("the client receives {received:BulkReceived}, then the end of the connection")
async def step_receives_bulk(context, received):
    """The client reads to the end of the connection: all the handler's bulk
    write, or (after abort_clients) less of it."""
    world = context.world
    assert world.unsent_before, "precondition: the handler had no unsent data left"
    total, end = await world.client.read_to_end("the client to read to the end of the connection")
    if received == "everything the handler wrote":
        assert (total, end) == (world.bulk_size, "EOF"), (
            f"the client got {total} of {world.bulk_size} bytes, then {end}")
    else:
        assert total < world.bulk_size, (
            f"the client got all {total} bytes ({world.unsent_before} were still unsent when the "
            "clients were aborted)")
