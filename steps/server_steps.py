"""Steps that create servers and act on them."""

import asyncio

from behave import given, then, when

from asyncio_server_spec.reference.waiting import promptly, settle

import step_types  # noqa: F401 -- registers the step vocabulary's types

#: Seconds to give something that must finish promptly (or hang, if broken).
PROMPT = 1.0


# -- creating -----------------------------------------------------------------
@given("a server {start:ServerStart}")
async def step_server_started(context, start):
    """A server made by an API (start_server if none is named) with a named
    handler (the echo handler if none is named), on loopback (or at a socket
    file in the temp dir for the Unix APIs), serving at once unless
    "with start_serving off"; it becomes *the* server."""
    api, handler, start_serving = start
    if start_serving:
        await context.world.start(api, handler)
    else:
        await context.world.start(api, handler, start_serving=False)


@given("{another:WhichServer} asked to listen on {host} port 0")
async def step_server_on_host(context, another, host):
    """A start_server server given *host* and port 0.  "A server": the host
    asked for is kept; "another server": the first is kept as
    ``world.first_server`` / ``world.first_address``."""
    world = context.world
    if another:
        world.first_server, world.first_address = world.server, world.address
    else:
        world.asked_host = host
    await world.start("start_server", host=host, port=0)


# -- acting on the server --------------------------------------------------------
@when("the {first:First}server is closed")
def step_close(context, first):
    """server.close(), called from a step (no await after it); "the first
    server": the first server this scenario started (not *the* server, the latest)."""
    (context.world.servers[0] if first else context.world.server).close()


@when("start_serving() is awaited{closed:OnTheClosedServer}")
async def step_start_serving(context, closed):
    """await server.start_serving(), bounded; "on the closed server": bounded
    by a short wait, and the outcome is kept."""
    if closed:
        await context.world.attempt(
            context.world.server.start_serving(), "start_serving() to return", PROMPT
        )
    else:
        await promptly(context.world.server.start_serving(), "start_serving() to return")


@when("serve_forever() runs in a task{in_block:InsideAsyncWith}")
async def step_serve_forever_task(context, in_block):
    """server.serve_forever() in a task of its own (``world.serve_forever_task``),
    or inside ``async with server:`` in that task."""
    world = context.world
    server = world.server

    async def serve_in_block():
        async with server:
            await server.serve_forever()

    world.serve_forever_task = world.track_task(
        serve_in_block() if in_block else server.serve_forever())
    await asyncio.sleep(0)  # let the task reach its first suspension point (in the block)


@when("the serve_forever() task is cancelled{nowait:WithoutWaiting}")
async def step_cancel_serve_forever(context, nowait):
    """Cancel the serve_forever() task and wait (bounded) for it to end, or
    "without waiting for it": just let the loop settle."""
    task = context.world.serve_forever_task
    task.cancel()
    if nowait:
        await settle()
    else:
        await context.world.attempt(task, "the cancelled serve_forever() task to finish")


@when("serve_forever() is awaited{again:ASecondTime}")
async def step_serve_forever_awaited(context, again):
    """await server.serve_forever(), bounded by a short wait; or, "a second
    time", while one runs (the usual bound); the outcome is kept."""
    if again:
        await context.world.attempt(
            context.world.server.serve_forever(), "a second serve_forever() to give up",
            prompt=True)
    else:
        await context.world.attempt(
            context.world.server.serve_forever(), "serve_forever() to give up", PROMPT, prompt=True
        )


@when("wait_closed() is {in_task:InATask}")
async def step_wait_closed(context, in_task):
    """await server.wait_closed(), bounded; or, "started in a task", in a task
    of its own (``world.wait_closed_task``)."""
    world = context.world
    if in_task:
        world.wait_closed_task = world.track_task(world.server.wait_closed())
        await asyncio.sleep(0)
    else:
        await promptly(world.server.wait_closed(), "wait_closed() to return")


# -- observing the server ------------------------------------------------------
@then("the server {state:ServingState}")
def step_is_serving(context, state):
    """server.is_serving() is True ("is serving") or False ("is not serving")
    now -- or was, "inside the block" (what the async with block noted)."""
    when, serving = state
    if when == "now":
        assert context.world.server.is_serving() is serving, f"is_serving() is not {serving}"
    elif serving:
        assert context.world.serving_inside_block is True
    else:
        assert context.world.serving_inside_block is False, "is_serving() was True inside the block"


@then("it failed with {name}")
def step_failed_with(context, name):
    """The outcome the last attempt kept is an exception of class *name*."""
    outcome = context.world.outcome
    assert type(outcome).__name__ == name, f"expected {name}, got {outcome!r}"


@then("the two servers listen on different ports")
def step_different_ports(context):
    """The first and the second server's ports differ."""
    world = context.world
    assert world.first_address[1] != world.address[1], f"both on port {world.address[1]}"


@then("each server echoes its own client")
async def step_each_echoes(context):
    """A client of each of the two servers gets its own line back."""
    world = context.world
    for address in (world.first_address, world.address):
        client = await world.connect(address)
        tag = f"to {address[1]}\n".encode()
        assert await client.echo(tag) == tag
