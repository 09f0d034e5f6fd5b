"""Steps that create servers and act on them."""

import asyncio

from behave import given, then, when

from asyncio_server_spec.reference.waiting import promptly, settle

import vocabulary  # noqa: F401 -- registers the step vocabulary's types

#: Seconds to give something that must finish promptly (or hang, if broken).
PROMPT = 1.0


# -- creating -----------------------------------------------------------------
# A server is made on loopback, or at a socket file in the temp dir for the
# Unix APIs; it becomes *the* server.
@given("a server started with {api:Api}")
async def step_server_started(context, api):
    """A server made by *api* whose handler echoes; it serves at once."""
    await context.world.start(api)


@given("a server started with {api:Api} with start_serving off")
async def step_server_not_serving(context, api):
    """A server made by *api* with start_serving=False."""
    await context.world.start(api, start_serving=False)


@given("a server whose handler {handler:Handler}")
async def step_server_with_handler(context, handler):
    """A start_server server whose handler is one of the named handlers."""
    await context.world.start("start_server", handler)


@given("a server started with {api:Api} whose handler {handler:Handler}")
async def step_api_server_with_handler(context, api, handler):
    """A server made by *api* whose handler is one of the named handlers."""
    await context.world.start(api, handler)


@given("a server asked to listen on {host} port 0")
async def step_server_on_host(context, host):
    """A start_server server given *host* and port 0; the host asked for is kept."""
    world = context.world
    world.asked_host = host
    await world.start("start_server", host=host, port=0)


@given("another server asked to listen on {host} port 0")
async def step_another_server_on_host(context, host):
    """A second start_server server given *host* and port 0; the first
    server's address is kept (``world.first_address``)."""
    world = context.world
    world.first_address = world.address
    await world.start("start_server", host=host, port=0)


# -- acting on the server --------------------------------------------------------
@when("the server is closed")
def step_close(context):
    """server.close(), called from a step (no await after it)."""
    context.world.server.close()
    context.world.stopped_by = "close()"


@when("the first server is closed")
def step_close_first(context):
    """close() on the first server this scenario started (not *the* server, the latest)."""
    context.world.servers[0].close()


@when("start_serving() is awaited")
async def step_start_serving(context):
    """await server.start_serving(), promptly."""
    await promptly(context.world.server_awaitable("start_serving"), "start_serving() to return")


@when("start_serving() is awaited on the closed server")
async def step_start_serving_closed(context):
    """await server.start_serving(), bounded by a short wait; the outcome is kept."""
    world = context.world
    await world.attempt(world.server_awaitable("start_serving"), "start_serving() to return", PROMPT)


async def _serve_forever_task(world, coro):
    """Run *coro* in a task of its own (``world.serve_forever_task``) and let it
    reach its first suspension point."""
    world.serve_forever_task = world.track_task(coro)
    await asyncio.sleep(0)


@when("serve_forever() runs in a task")
async def step_serve_forever_task(context):
    """server.serve_forever() in a task of its own."""
    world = context.world
    await _serve_forever_task(world, world.server_awaitable("serve_forever", coroutine=True))


@when("serve_forever() runs in a task inside an async with block")
async def step_serve_forever_in_block(context):
    """``async with server: await server.serve_forever()`` in a task of its own."""
    server = context.world.server

    async def serve_in_block():
        async with server:
            await server.serve_forever()

    await _serve_forever_task(context.world, serve_in_block())


@when("the serve_forever() task is cancelled")
async def step_cancel_serve_forever(context):
    """Cancel the serve_forever() task and wait (bounded) for it to end."""
    task = context.world.serve_forever_task
    task.cancel()
    await context.world.attempt(task, "the cancelled serve_forever() task to finish")


@when("the serve_forever() task is cancelled without waiting for it")
async def step_cancel_serve_forever_nowait(context):
    """Cancel the serve_forever() task and just let the loop settle."""
    context.world.serve_forever_task.cancel()
    await settle()


@when("serve_forever() is awaited")
async def step_serve_forever_awaited(context):
    """await server.serve_forever(), ended early if it neither returns nor
    fails at once; the outcome is kept."""
    world = context.world
    await world.attempt(
        world.server_awaitable("serve_forever"), "serve_forever() to give up", PROMPT, prompt=True
    )


@when("serve_forever() is awaited a second time")
async def step_serve_forever_again(context):
    """A second await server.serve_forever() while one runs, ended early if it
    does not give up at once; the outcome is kept."""
    world = context.world
    await world.attempt(
        world.server_awaitable("serve_forever"), "a second serve_forever() to give up", prompt=True
    )


@when("wait_closed() is awaited")
async def step_wait_closed(context):
    """await server.wait_closed(), promptly."""
    await promptly(context.world.server_awaitable("wait_closed"), "wait_closed() to return")


@when("wait_closed() is started in a task")
async def step_wait_closed_task(context):
    """server.wait_closed() in a task of its own (``world.wait_closed_task``)."""
    world = context.world
    world.wait_closed_task = world.track_task(world.server_awaitable("wait_closed", coroutine=True))
    await asyncio.sleep(0)


# -- observing the server ------------------------------------------------------
@then("the server is serving")
def step_is_serving(context):
    """server.is_serving() is True."""
    serving = context.world.call_server("is_serving")
    assert serving is True, f"expected is_serving() to be True; it is {serving!r}"


@then("the server is not serving")
def step_is_not_serving(context):
    """server.is_serving() is False."""
    serving = context.world.call_server("is_serving")
    assert serving is False, f"expected is_serving() to be False; it is {serving!r}"


@then("it failed with {name}")
def step_failed_with(context, name):
    """The outcome the last attempt kept is an exception of class *name*."""
    outcome = context.world.outcome
    if isinstance(outcome, AssertionError):  # the wait itself ended: it ran out, or stalled
        raise AssertionError(f"expected {name}; none came: {outcome}")
    assert type(outcome).__name__ == name, f"expected {name}, got {outcome!r}"


@then("the two servers listen on different ports")
def step_different_ports(context):
    """The first and the second server's ports differ."""
    world = context.world
    assert world.first_address[1] != world.address[1], (
        f"expected the two servers on different ports; both are on port {world.address[1]}"
    )


@then("each server echoes its own client")
async def step_each_echoes(context):
    """A client of each of the two servers gets its own line back."""
    world = context.world
    for address in (world.first_address, world.address):
        client = await world.connect(address)
        tag = f"to {address[1]}\n".encode()
        reply = await client.echo(tag)
        assert reply == tag, f"expected the server on port {address[1]} to echo {tag!r}; it echoed {reply!r}"
