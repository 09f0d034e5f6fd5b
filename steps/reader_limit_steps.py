"""Steps for start_server's (and start_unix_server's) reader limit: handlers
that read a line, or read once, and report to the client what they got."""

from behave import given, then, when

import step_types  # noqa: F401 -- registers the step vocabulary's types


def _reporting_handler(read, record):
    """A stream handler that awaits ``read(reader)`` -- which returns the
    report of what it got, as text -- and sends the client that report as one
    line (or what the read failed with); it then reads on to the end of the
    connection (so that closing it never discards unread input)."""

    async def handler(reader, writer):
        record.transports.append(writer.transport)  # for cleanup
        try:
            report = await read(reader)
        except Exception as exc:  # the failure *is* the report
            report = f"failed with {type(exc).__name__}"
        writer.write(report.encode() + b"\n")
        try:
            while await reader.read(65536):
                pass
        except (ConnectionError, OSError):
            pass
        writer.close()

    return handler


def _line_handler(method, record):
    """A handler that reads one line with *method* (readline or readuntil)
    and reports how long it was, or what the call failed with."""

    async def read_line(reader):
        try:
            if method == "readline":
                line = await reader.readline()
            else:
                line = await reader.readuntil(b"\n")
        except Exception as exc:
            return f"{method}() failed with {type(exc).__name__}"
        return f"{method}() returned a line of {len(line)} bytes"

    return _reporting_handler(read_line, record)


def _read_once_handler(n, record):
    """A handler that calls read(*n*) once and reports how many bytes it got."""

    async def read_once(reader):
        data = await reader.read(n)
        return f"read({n}) returned {len(data)} bytes"

    return _reporting_handler(read_once, record)


# -- servers on chosen addresses ---------------------------------------------------
# -- start_server's reader limit ---------------------------------------------------
@given("a server started {started:ReaderLimit} whose handler {reads:HandlerRead}")
async def step_server_with_limit(context, started, reads):
    """A server (start_server on loopback, or start_unix_server at a socket file
    in the temp dir) given the reader limit, or none, whose handler reads one
    line with readline()/readuntil(), or makes one read(n) call, and reports
    what it got."""
    world = context.world
    (api, limit), (method, n) = started, reads
    handler = _read_once_handler(n, world.record) if method == "read" else _line_handler(method, world.record)
    await world.start(api, handler, **({} if limit is None else {"limit": limit}))


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
    assert line.decode().rstrip("\n") == report, f"the handler reported {line!r}"
