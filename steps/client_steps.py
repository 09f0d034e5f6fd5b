"""Steps that act as clients of the server and observe it from the outside."""

from behave import then, when

from asyncio_server_spec.reference.probes import refusal_problem

import vocabulary  # noqa: F401 -- registers the step vocabulary's types

PING = b"ping\n"


async def _connect(world, n):
    """*n* new clients connect; the server has accepted every one."""
    for _ in range(n):
        await world.connect()
    await world.record.wait_accepted(len(world.clients))


@when("a client connects")
async def step_client_connects(context):
    """A new client connects, and the server accepts it."""
    await _connect(context.world, 1)


@when("{n:d} clients connect")
async def step_clients_connect(context, n):
    """*n* new clients connect, one after the other, and the server accepts every one."""
    await _connect(context.world, n)


@when("the client disconnects")
async def step_client_disconnects(context):
    """The latest client closes its connection."""
    await context.world.client.close()


@when("the client disconnects after sending {data:Bytes}")
async def step_client_sends_and_disconnects(context, data):
    """The latest client sends *data*, then closes its connection."""
    client = context.world.client
    await client.send(data)
    await client.close()


@when("the client sends {data:Bytes}")
async def step_client_sends(context, data):
    """The latest client sends *data* ("text" or a bytes literal) and keeps its side open."""
    await context.world.client.send(data)


@when("the client ends its side of the stream")
async def step_client_write_eof(context):
    """The latest client half-closes: it ends its stream and goes on reading."""
    await context.world.client.write_eof()


@when("the client sends {data:Bytes} and ends its side of the stream")
async def step_client_sends_and_ends(context, data):
    """The latest client sends *data*, then half-closes: it can still read."""
    client = context.world.client
    await client.send(data)
    await client.write_eof()


@then("a client can connect and is echoed")
async def step_can_connect(context):
    """A new client connects and gets its line back."""
    client = await context.world.connect()
    reply = await client.echo(PING)
    assert reply == PING, f"expected the echo {PING!r}, got {reply!r}"


@then("a client cannot connect")
async def step_cannot_connect(context):
    """A new client's connection is refused: nothing in this process listens
    at the server's address any more (or yet).  A listener that closes a
    moment later gets a prompt while (the docs call closing asynchronous);
    ``closing.refuses-before-any-await`` demands it closed before close() returned."""
    world = context.world
    problem = await refusal_problem(world.address, after=world.stopped_by)
    assert problem is None, f"expected a new client to be refused; {problem}"


@then("a new client is accepted")
async def step_new_client_accepted(context):
    """A new client connects and the server's handler sees it."""
    before = context.world.record.accepted
    await context.world.connect()
    await context.world.record.wait_accepted(before + 1)


@then("the connected client is still echoed")
async def step_still_echoed(context):
    """The latest, already connected client still gets its line back."""
    reply = await context.world.client.echo(PING)
    assert reply == PING, f"expected the echo {PING!r}, got {reply!r}"


@then("the client receives {data:Bytes}")
async def step_client_receives(context, data):
    """The latest client reads exactly as many bytes as *data* has; they are *data*."""
    got = await context.world.client.receive_exactly(len(data))
    assert got == data, f"expected the client to receive {data!r}; it received {got!r}"


@then("the client receives {data:Bytes} and then the end of the stream")
async def step_client_receives_then_end(context, data):
    """The latest client reads exactly *data*, then the end of the stream."""
    await context.world.client.receive_then_end(data)


@then("the client reads the end of the stream")
async def step_client_reads_eof(context):
    """The latest client's next read gives b'': the server ended its side of
    the stream in order (not a reset, and nothing more came first)."""
    try:
        got = await context.world.client.read(1024, "the end of the stream")
    except (ConnectionError, OSError) as exc:
        raise AssertionError(
            f"expected the client to read the end of the stream; the connection failed: {exc!r}"
        ) from None
    assert got == b"", f"expected the client to read the end of the stream; it read {got!r}"
