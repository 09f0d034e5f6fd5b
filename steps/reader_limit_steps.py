"""Steps for start_server's (and start_unix_server's) reader limit: handlers
that read a line, or read once, and report to the client what they got
(reference/handlers.py: ``reporting_handler``)."""

from behave import given, then, when

from asyncio_server_spec.reference.handlers import line_read, reporting_handler, single_read

import vocabulary  # noqa: F401 -- registers the step vocabulary's types


async def _start_reporting(world, api, read, limit=None):
    """A server made by *api* whose handler reports what ``read(reader)`` got,
    given the reader limit *limit* (None: no limit given)."""
    kwargs = {} if limit is None else {"limit": limit}
    await world.start(api, reporting_handler(read, world.record), **kwargs)


@given(
    "a server started with a reader limit of {limit:d} bytes "
    "whose handler reads one line with {method:LineMethod}()"
)
async def step_limit_line(context, limit, method):
    """A start_server server given *limit*, whose handler reads one line with
    *method* and reports how long it was, or what the call failed with."""
    await _start_reporting(context.world, "start_server", line_read(method), limit)


@given(
    "a server started with start_unix_server and a reader limit of {limit:d} bytes "
    "whose handler reads one line with {method:LineMethod}()"
)
async def step_unix_limit_line(context, limit, method):
    """As the start_server one, for start_unix_server at a socket file in the temp dir."""
    await _start_reporting(context.world, "start_unix_server", line_read(method), limit)


@given("a server started without a reader limit whose handler reads one line with {method:LineMethod}()")
async def step_default_limit_line(context, method):
    """A start_server server given no limit, whose handler reads one line with *method*."""
    await _start_reporting(context.world, "start_server", line_read(method))


@given("a server started with a reader limit of {limit:d} bytes whose handler reads once with read({n:d})")
async def step_limit_read_once(context, limit, n):
    """A start_server server given *limit*, whose handler calls read(*n*) once
    and reports how many bytes it returned."""
    await _start_reporting(context.world, "start_server", single_read(n), limit)


@when("a client sends a line of {n:d} bytes")
async def step_client_sends_line(context, n):
    """A new client sends *n* bytes ending in a newline."""
    client = await context.world.connect()
    await client.send(b"x" * (n - 1) + b"\n")


@then("the handler reports that {report}")
async def step_handler_reports(context, report):
    """The client reads the handler's one-line report; it is *report*."""
    client = context.world.client
    line = await client.readline("the handler's report")
    assert line.decode().rstrip("\n") == report, (
        f"expected the handler to report that {report}; it reported {line!r}"
    )
