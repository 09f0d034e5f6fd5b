"""Steps that create servers and act on them."""

import asyncio

from behave import given, then, when

from asyncio_server_spec.reference.waiting import within

import step_types  # noqa: F401 -- registers the step vocabulary's types


# -- creating -----------------------------------------------------------------
@given("a server started with {api:Api}")
async def step_server_started(context, api):
    """A server made by *api* with the echo handler, on loopback (or at a
    socket file in the temp dir for the Unix APIs); it becomes *the* server."""
    await context.world.start(api)


@given("a server started with {api:Api} with start_serving off")
async def step_server_not_serving_api(context, api):
    """As "a server started with {api}", with start_serving=False."""
    await context.world.start(api, start_serving=False)


@given("a server whose handler {handler:Handler}")
async def step_server_with_handler(context, handler):
    """A start_server server on loopback with one of the named handlers."""
    await context.world.start("start_server", handler)


@given("a server started with {api:Api} whose handler {handler:Handler}")
async def step_server_api_with_handler(context, api, handler):
    """A server made by *api* with one of the named handlers."""
    await context.world.start(api, handler)


@given("a server asked to listen on {host} port 0")
async def step_server_on_host(context, host):
    """A start_server server given *host* and port 0; the host asked for is kept."""
    context.world.asked_host = host
    await context.world.start("start_server", host=host, port=0)


@given("another server asked to listen on {host} port 0")
async def step_another_server_on_host(context, host):
    """A second start_server server on *host*, port 0; the first is kept as
    ``world.first_server`` / ``world.first_address``."""
    world = context.world
    world.first_server, world.first_address = world.server, world.address
    await world.start("start_server", host=host, port=0)


# -- acting on the server --------------------------------------------------------
@when("the server is closed")
def step_close(context):
    """server.close(), called from a step (no await after it)."""
    context.world.server.close()


@when("start_serving() is awaited")
async def step_start_serving(context):
    """await server.start_serving(), bounded."""
    await within(context.world.server.start_serving(), "start_serving() to return")


@when("serve_forever() runs in a task")
async def step_serve_forever_task(context):
    """server.serve_forever() in a task of its own (``world.serve_forever_task``)."""
    world = context.world
    world.serve_forever_task = world.track_task(world.server.serve_forever())
    await asyncio.sleep(0)  # let the task reach its first suspension point


@when("the serve_forever() task is cancelled")
async def step_cancel_serve_forever(context):
    """Cancel the serve_forever() task and wait (bounded) for it to end."""
    task = context.world.serve_forever_task
    task.cancel()
    await context.world.attempt(task, "the cancelled serve_forever() task to finish")


@when("serve_forever() is awaited a second time")
async def step_second_serve_forever(context):
    """A second serve_forever() while one runs; its outcome is kept."""
    await context.world.attempt(
        context.world.server.serve_forever(), "a second serve_forever() to give up"
    )


@when("wait_closed() is awaited")
async def step_wait_closed(context):
    """await server.wait_closed(), bounded."""
    await within(context.world.server.wait_closed(), "wait_closed() to return")


@when("wait_closed() is started in a task")
async def step_wait_closed_task(context):
    """server.wait_closed() in a task of its own (``world.wait_closed_task``)."""
    world = context.world
    world.wait_closed_task = world.track_task(world.server.wait_closed())
    await asyncio.sleep(0)


@when("the server is used in an async with block that then ends")
async def step_async_with(context):
    """``async with server:`` around nothing; whether it served inside is noted."""
    server = context.world.server

    async def use():
        async with server:
            context.world.serving_inside_block = server.is_serving()

    await within(use(), "the async with block to end")


# -- observing the server ------------------------------------------------------
@then("the server {serving:IsServing}")
def step_is_serving(context, serving):
    """server.is_serving() is True ("is serving") or False ("is not serving")."""
    assert context.world.server.is_serving() is serving, f"is_serving() is not {serving}"


@then("it failed with {name}")
def step_failed_with(context, name):
    """The outcome the last attempt kept is an exception of class *name*."""
    outcome = context.world.outcome
    assert type(outcome).__name__ == name, f"expected {name}, got {outcome!r}"


@then("the serve_forever() task ended cancelled")
def step_serve_forever_cancelled(context):
    """The serve_forever() task is already done, and cancelled."""
    task = context.world.serve_forever_task
    assert task.done() and task.cancelled(), f"task state: {task!r}"


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
