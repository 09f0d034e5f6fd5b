"""Steps that create servers and act on them."""

import asyncio

from behave import given, register_type, then, when
from parse import with_pattern

from asyncio_server_spec.reference.handlers import HANDLER_NAMES
from asyncio_server_spec.reference.servers import APIS
from asyncio_server_spec.reference.waiting import within


@with_pattern("|".join(APIS))
def parse_api(text):
    return text


#: How the features name the handlers of asyncio_server_spec.reference.handlers.
HANDLER_PHRASES = {
    "echoes what it receives": "echo",
    "holds each connection open": "hold",
    "closes each connection at once": "close",
    "raises an error": "raise",
}
assert set(HANDLER_PHRASES.values()) == set(HANDLER_NAMES)


@with_pattern("|".join(HANDLER_PHRASES))
def parse_handler(text):
    return HANDLER_PHRASES[text]


register_type(Api=parse_api, Handler=parse_handler)


# -- creating -----------------------------------------------------------------
@given("a server started with {api:Api}")
async def step_server_started(context, api):
    await context.world.start(api)


@given("a server started with {api:Api} with start_serving off")
async def step_server_not_serving_api(context, api):
    await context.world.start(api, start_serving=False)


@given("a server started with start_serving off")
async def step_server_not_serving(context):
    await context.world.start("start_server", start_serving=False)


@given("a server whose handler {handler:Handler}")
async def step_server_with_handler(context, handler):
    await context.world.start("start_server", handler)


@given("a server started with {api:Api} whose handler {handler:Handler}")
async def step_server_api_with_handler(context, api, handler):
    await context.world.start(api, handler)


@given("a server asked to listen on {host} port 0")
async def step_server_on_host(context, host):
    context.world.asked_host = host
    await context.world.start("start_server", host=host, port=0)


# -- acting on the server --------------------------------------------------------
@when("the server is closed")
def step_close(context):
    context.world.server.close()


@when("the server is closed again")
def step_close_again(context):
    context.world.server.close()


@when("start_serving() is awaited")
@when("start_serving() is awaited again")
async def step_start_serving(context):
    await within(context.world.server.start_serving(), "start_serving() to return")


@when("serve_forever() runs in a task")
async def step_serve_forever_task(context):
    world = context.world
    world.serve_forever_task = world.track_task(world.server.serve_forever())
    await asyncio.sleep(0)  # let the task reach its first suspension point


@when("the serve_forever() task is cancelled")
async def step_cancel_serve_forever(context):
    task = context.world.serve_forever_task
    task.cancel()
    await context.world.attempt(task, "the cancelled serve_forever() task to finish")


@when("serve_forever() is awaited a second time")
async def step_second_serve_forever(context):
    await context.world.attempt(
        context.world.server.serve_forever(), "a second serve_forever() to give up"
    )


@when("wait_closed() is awaited")
async def step_wait_closed(context):
    await within(context.world.server.wait_closed(), "wait_closed() to return")


@when("wait_closed() is started in a task")
async def step_wait_closed_task(context):
    world = context.world
    world.wait_closed_task = world.track_task(world.server.wait_closed())
    await asyncio.sleep(0)


@when("the server is used in an async with block that then ends")
async def step_async_with(context):
    server = context.world.server

    async def use():
        async with server:
            context.world.serving_inside_block = server.is_serving()

    await within(use(), "the async with block to end")


# -- observing the server ------------------------------------------------------
@then("the server is serving")
def step_is_serving(context):
    assert context.world.server.is_serving() is True, "is_serving() is not True"


@then("the server is not serving")
def step_is_not_serving(context):
    assert context.world.server.is_serving() is False, "is_serving() is not False"


@then("it failed with {name}")
def step_failed_with(context, name):
    outcome = context.world.outcome
    assert type(outcome).__name__ == name, "expected {}, got {!r}".format(name, outcome)


@then("the serve_forever() task ended cancelled")
def step_serve_forever_cancelled(context):
    task = context.world.serve_forever_task
    assert task.done() and task.cancelled(), "task state: {!r}".format(task)


@then("wait_closed() has not returned while the client is served")
async def step_wait_closed_pending(context):
    world = context.world
    # a full echo round trip runs the loop through many iterations
    assert await world.client.echo(b"still here") == b"still here"
    assert not world.wait_closed_task.done(), "wait_closed() returned while a client was connected"


@then("wait_closed() returns")
async def step_wait_closed_returns(context):
    await within(context.world.wait_closed_task, "wait_closed() to return")


@given("another server asked to listen on {host} port 0")
async def step_another_server_on_host(context, host):
    world = context.world
    world.first_server, world.first_address = world.server, world.address
    await world.start("start_server", host=host, port=0)


@then("the two servers listen on different ports")
def step_different_ports(context):
    world = context.world
    assert world.first_address[1] != world.address[1], "both on port {}".format(world.address[1])


@then("each server echoes its own client")
async def step_each_echoes(context):
    world = context.world
    for address in (world.first_address, world.address):
        client = await world.connect(address)
        tag = "to {}\n".format(address[1]).encode()
        assert await client.echo(tag) == tag


@then("the server was serving inside the block")
def step_serving_inside(context):
    assert context.world.serving_inside_block is True
