"""Steps that start a server whose handler is watched: written for one
observation each (reference/handlers.py: ``Watch``, ``watched_handler`` and
the handler bodies), noted in ``world.watch``."""

from behave import given

from asyncio_server_spec.reference.handlers import (
    Watch,
    failing_plain_handler,
    greeting_plain_handler,
    watched_handler,
)

import vocabulary  # noqa: F401 -- registers the step vocabulary's types


async def _start_watched(world, handler_for, **kwargs):
    """A start_server server on loopback whose handler is ``handler_for(watch)``."""
    world.watch = Watch(world.loop, world.record)
    await world.start("start_server", handler_for(world.watch), **kwargs)


@given("a server whose coroutine handler {body:CoroutineBody}")
async def step_server_coroutine_handler(context, body):
    """A start_server server whose ``async def`` handler runs *body*, one of
    the coroutine handler bodies the vocabulary names (COROUTINE_BODIES)."""
    await _start_watched(context.world, lambda watch: watched_handler(watch, body))


@given("a server started with a reader limit of {limit:d} bytes whose coroutine handler {body:CoroutineBody}")
async def step_server_coroutine_handler_limit(context, limit, body):
    """As "a server whose coroutine handler ...", with start_server's limit given."""
    await _start_watched(context.world, lambda watch: watched_handler(watch, body), limit=limit)


@given("a server whose handler is a plain function that greets the client and closes")
async def step_server_plain_greeting(context):
    """A plain (non-coroutine) handler that writes the greeting and closes the writer."""
    await _start_watched(context.world, greeting_plain_handler)


@given("a server whose handler is a plain function that raises an exception")
async def step_server_plain_failing(context):
    """A plain handler that fails as soon as it is called.  It keeps its
    writer, as the failing coroutine handler does: only the server's own
    reaction may close the connection."""
    await _start_watched(context.world, failing_plain_handler)
