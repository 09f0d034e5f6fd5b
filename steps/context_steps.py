"""Steps about the context (contextvars) a server runs its handlers in.

A value is given to :data:`~asyncio_server_spec.reference.handlers.PROBE_VARIABLE` only
inside the step or task that sets it -- behave runs each async step in a task
of its own, with a copy of the context -- and is reset before the step ends.
"""

import asyncio

from behave import given, then, when

from asyncio_server_spec.reference.handlers import PROBE_VARIABLE, context_reporting_handler
from asyncio_server_spec.reference.waiting import within


@given('a server started with start_serving off while a context variable holds "{value}"')
async def step_server_created_in_context(context, value):
    """start_server with start_serving=False, created while the probe variable holds *value*."""
    world = context.world
    token = PROBE_VARIABLE.set(value)
    try:
        server = await within(
            asyncio.start_server(
                context_reporting_handler(world.record),
                host="127.0.0.1",
                port=0,
                start_serving=False,
            ),
            "the server to be created",
        )
    finally:
        PROBE_VARIABLE.reset(token)
    world.adopt(server)


@when('serve_forever() runs in a task that sets the context variable to "{value}"')
async def step_serve_forever_in_context(context, value):
    """serve_forever() awaited by a task that first gives the probe variable *value*."""
    world = context.world
    server = world.server

    async def serve():
        PROBE_VARIABLE.set(value)  # this task's own context only
        await server.serve_forever()

    world.serve_forever_task = world.track_task(serve())
    await asyncio.sleep(0)  # let the task set the variable and start serving
    assert PROBE_VARIABLE.get() != value, (
        "expected the task running serve_forever() to have a context of its own, a copy as asyncio's "
        "create_task() gives it; the value it set shows in the step's own context: the loop's task "
        "machinery does not copy the context (not its server's doing), so the context handlers run in "
        "cannot be checked"
    )


@then('a client is told the context variable holds "{value}"')
async def step_client_told_value(context, value):
    """A new client reads the value the handler saw, then the end of the stream."""
    world = context.world
    client = await world.connect()
    line = await client.readline("the handler to send the value it sees")
    assert line == value.encode() + b"\n", "expected the handler to see {!r}, it saw {!r}".format(
        value, line.decode(errors="replace").rstrip("\n") or "(nothing)"
    )
    await client.sees_eof()  # if it does not come, the wait fails saying what it waited for
