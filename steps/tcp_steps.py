"""Steps for the TCP-specific arguments of start_server / loop.create_server:
host (string, sequence, None, ''), port, family, sock, backlog, reuse_address,
reuse_port, keep_alive, and start_server's reader limit."""

import ast
import asyncio
import errno
import socket

from behave import given, register_type, then, when
from parse import with_pattern

from asyncio_server_spec.reference import kernel, servers, sockets

PING = b"ping\n"

#: Socket options a step may pass by name, as ``name=value``.
TCP_OPTIONS = ("backlog", "reuse_address", "reuse_port", "keep_alive")

#: Options of an accepted connection's socket a step may read, by name.
SOCKET_OPTIONS = {
    "SO_KEEPALIVE": (socket.SOL_SOCKET, socket.SO_KEEPALIVE),
    "TCP_NODELAY": (socket.IPPROTO_TCP, socket.TCP_NODELAY),
}

FAMILIES = {"IPv4": socket.AF_INET, "IPv6": socket.AF_INET6}

#: Where a client goes to reach a socket bound to a wildcard address.
LOOPBACK_FOR = {"0.0.0.0": "127.0.0.1", "::": "::1"}


@with_pattern("|".join(TCP_OPTIONS))
def parse_tcp_option(text):
    return text


@with_pattern("|".join(SOCKET_OPTIONS))
def parse_socket_option(text):
    return text


@with_pattern("readline|readuntil")
def parse_read_method(text):
    return text


register_type(TcpOption=parse_tcp_option, SocketOption=parse_socket_option,
              ReadMethod=parse_read_method)


# -- helpers ---------------------------------------------------------------------
def _value(text):
    """A step's literal argument: 0, None, True, False, 3 ..."""
    return ast.literal_eval(text)


def _hosts(text):
    """'127.0.0.1' -> '127.0.0.1'; '127.0.0.1 and ::1' -> ['127.0.0.1', '::1']."""
    parts = text.split(" and ")
    return parts[0] if len(parts) == 1 else parts


def _family_name(family):
    for name, value in FAMILIES.items():
        if family == value:
            return name
    return str(family)


def _bound(server):
    """What the server listens on, as a sorted list of (family, host, port)."""
    return sorted(
        (_family_name(sock.family), sock.getsockname()[0], sock.getsockname()[1])
        for sock in server.sockets
    )


def _is_server(outcome):
    return hasattr(outcome, "sockets") and hasattr(outcome, "close")


async def _attempt_server(world, coro, what):
    """Try to create a server; keep the result or exception in world.outcome.
    A server that was made after all is tracked, so cleanup closes it."""
    outcome = await world.attempt(coro, what)
    if _is_server(outcome):
        world.servers.append(outcome)
    return outcome


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
            report = "failed with {}".format(type(exc).__name__)
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
            return "{}() failed with {}".format(method, type(exc).__name__)
        return "{}() returned a line of {} bytes".format(method, len(line))

    return _reporting_handler(read_line, record)


def _read_once_handler(n, record):
    """A handler that calls read(*n*) once and reports how many bytes it got."""

    async def read_once(reader):
        data = await reader.read(n)
        return "read({}) returned {} bytes".format(n, len(data))

    return _reporting_handler(read_once, record)


# -- servers on chosen addresses ---------------------------------------------------
@given("a server started with {api:Api} on {hosts} at port {port}")
async def step_server_on_hosts(context, api, hosts, port):
    world = context.world
    kwargs = dict(host=_hosts(hosts), port=_value(port))
    world.asked_host = kwargs["host"]
    world.tcp_creation = (api, kwargs)
    await world.start(api, **kwargs)


@given("a server started with start_server on every interface, by host {host}")
async def step_server_everywhere(context, host):
    await context.world.start("start_server", host={"None": None, "''": ""}[host], port=0)


@given("a server started with start_server on every interface, but with family {family}")
async def step_server_everywhere_family(context, family):
    await context.world.start(
        "start_server", host=None, port=0, family=getattr(socket, family)
    )


@given("a server started with start_server with host None and getaddrinfo flags {flags:d}")
async def step_server_flags(context, flags):
    await context.world.start("start_server", host=None, port=0, flags=flags)


@when("a server is created with start_server without host, port or sock")
async def step_server_without_address(context):
    world = context.world

    async def noop(reader, writer):
        writer.close()

    await _attempt_server(world, asyncio.start_server(noop), "start_server() without an address")


@then("the server listens exactly on {addresses}")
def step_listens_exactly_on(context, addresses):
    wanted = sorted(tuple(part.split(" ")) for part in addresses.split(" and "))
    bound = [(family, host) for family, host, _ in _bound(context.world.server)]
    assert bound == wanted, "the server listens on {}".format(_bound(context.world.server))


@then("each listening socket has a port of its own, picked by the system")
async def step_port_of_its_own(context):
    # The system picks a free port for each socket separately, so two picks
    # can coincide by chance (about one in ten thousand).  If they do, the
    # server is made again, at most twice: a server that uses one port for
    # all its sockets coincides every time.
    world = context.world
    api, kwargs = world.tcp_creation
    for _ in range(3):
        ports = [port for _, _, port in _bound(world.server)]
        assert len(ports) > 1, "only one listening socket: {}".format(_bound(world.server))
        assert 0 not in ports, "a socket is still on port 0: {}".format(_bound(world.server))
        if len(set(ports)) == len(ports):
            return
        await world.start(api, **kwargs)
    raise AssertionError("the listening sockets share a port: {}".format(_bound(world.server)))


@then("a client reaching each listening socket is echoed")
async def step_each_socket_echoes(context):
    world = context.world
    sockets = list(world.server.sockets)
    assert sockets, "the server has no listening socket"
    for sock in sockets:
        host, port = sock.getsockname()[:2]
        client = await world.connect((LOOPBACK_FOR.get(host, host), port))
        reply = await client.echo(PING)
        assert reply == PING, "{}:{} echoed {!r}".format(host, port, reply)


# -- sock= -------------------------------------------------------------------------
@given("a TCP socket the caller has bound to 127.0.0.1 but not made listen")
def step_caller_socket(context):
    world = context.world
    sock = sockets.bound_tcp_socket(world, "127.0.0.1")
    world.caller_socket = sock
    world.caller_address = sock.getsockname()


@when("a server is started with {api:Api} on that socket")
async def step_server_on_socket(context, api):
    await context.world.start(api, sock=context.world.caller_socket)


@when("a server is created with start_server on that socket and also {what}")
async def step_server_on_socket_and(context, what):
    world = context.world
    name, _, value = what.partition(" ")
    extra = {name: value if name == "host" else _value(value)}
    await _attempt_server(
        world,
        world.start("start_server", sock=world.caller_socket, **extra),
        "start_server() with sock and {}".format(what),
    )


@then("the server listens on the caller's socket")
def step_listens_on_caller_socket(context):
    world = context.world
    names = [sock.getsockname() for sock in world.server.sockets]
    assert names == [world.caller_address], "the server listens on {!r}, not {!r}".format(
        names, world.caller_address)
    try:
        accepting = sockets.is_listening(world.caller_socket)
    except OSError as exc:
        raise AssertionError("expected the caller's socket to be the listening socket; its file "
                             f"descriptor is no longer usable ({exc.strerror})") from None
    assert accepting, "expected the caller's socket to be listening; it is not"


@then("the caller's socket is closed")
def step_caller_socket_closed(context):
    sock = context.world.caller_socket
    assert sock.fileno() == -1, "the caller's socket is still open: {!r}".format(sock)


# -- two servers on one port -------------------------------------------------------
@given("a server that has ended a client connection and then been closed")
async def step_server_left_time_wait(context):
    # The server closes the connection first, so its end of it stays in the
    # kernel (FIN_WAIT/TIME_WAIT) for a minute, bound to the server's port.
    world = context.world
    await world.start("start_server", "close")
    client = await world.connect()
    assert await client.sees_eof()
    await client.close()
    world.server.close()


@when("another server is created on the same port")
async def step_another_server_same_port(context):
    await _another_on_same_port(context.world, {})


@when("another server is created on the same port with {option:TcpOption}={value}")
async def step_another_server_same_port_with(context, option, value):
    await _another_on_same_port(context.world, {option: _value(value)})


async def _another_on_same_port(world, options):
    # world.start() would make the new server *the* server; the first one stays it
    host, port = world.address[:2]
    world.first_port = port
    await _attempt_server(
        world,
        servers.create("start_server", "echo", world.record, host=host, port=port, **options),
        "a second server on port {}".format(port),
    )


@then("the error is EADDRINUSE (address already in use)")
def step_error_addr_in_use(context):
    outcome = context.world.outcome
    assert isinstance(outcome, OSError), "expected an OSError, got {!r}".format(outcome)
    assert outcome.errno == errno.EADDRINUSE, "errno is {} ({!r})".format(outcome.errno, outcome)


@then("the second server listens on the same port")
def step_second_same_port(context):
    world = context.world
    second = world.outcome
    if not _is_server(second):
        taken = kernel.listener_owner((world.address[0], world.first_port)) == "other process"
        raise AssertionError(
            f"expected a second server on port {world.first_port}; it was not created: {second!r}"
            + (" -- another process listens on that port now, so this run cannot tell"
               if taken else ""))
    ports = [sock.getsockname()[1] for sock in second.sockets]
    assert ports == [world.first_port], (
        f"expected the second server on port {world.first_port}; it listens on {ports}")
    assert second.is_serving(), "the second server is not serving"


@then("both servers listen on the same port")
def step_both_same_port(context):
    step_second_same_port(context)
    assert context.world.server.is_serving(), "the first server is not serving"


# -- socket options ----------------------------------------------------------------
@given("a server started with {option:TcpOption}={value}")
async def step_server_with_option(context, option, value):
    await context.world.start("start_server", **{option: _value(value)})


@when("a server is created with {option:TcpOption}={value}")
async def step_create_with_option(context, option, value):
    world = context.world
    await _attempt_server(
        world, world.start("start_server", **{option: _value(value)}),
        "start_server() with {}={}".format(option, value),
    )


@then("the listening socket lets at most {n:d} connections wait to be accepted")
def step_backlog(context, n):
    sockets = context.world.server.sockets
    assert len(sockets) == 1, "server.sockets is {!r}".format(sockets)
    backlog = kernel.listen_backlog(sockets[0])
    assert backlog == n, "the kernel lets {} connections wait, not {}".format(backlog, n)


@then("the accepted connection has {option:SocketOption} {state}")
def step_accepted_option(context, option, state):
    assert state in ("on", "off"), state
    writers = context.world.record.writers
    assert writers, "no connection was accepted"
    level, name = SOCKET_OPTIONS[option]
    value = writers[-1].get_extra_info("socket").getsockopt(level, name)
    assert bool(value) == (state == "on"), "{} is {} on the accepted socket".format(option, value)


# -- start_server's reader limit ---------------------------------------------------
@given("a server started with a reader limit of {limit:d} bytes "
       "whose handler reads one line with {method:ReadMethod}()")
async def step_server_with_limit(context, limit, method):
    await context.world.start("start_server", _line_handler(method, context.world.record),
                              limit=limit)


@given("a server started with start_unix_server and a reader limit of {limit:d} bytes "
       "whose handler reads one line with {method:ReadMethod}()")
async def step_unix_server_with_limit(context, limit, method):
    """start_unix_server, at a socket file in the temp dir, given *limit*."""
    world = context.world
    await world.start("start_unix_server", _line_handler(method, world.record), limit=limit)


@given("a server started with a reader limit of {limit:d} bytes "
       "whose handler reads once with read({n:d})")
async def step_server_with_limit_read_once(context, limit, n):
    """start_server given *limit*, whose handler makes one read(n) call."""
    await context.world.start("start_server", _read_once_handler(n, context.world.record),
                              limit=limit)


@given("a server started without a reader limit whose handler reads one line with "
       "{method:ReadMethod}()")
async def step_server_default_limit(context, method):
    await context.world.start("start_server", _line_handler(method, context.world.record))


@when("a client sends a line of {n:d} bytes")
async def step_client_sends_line(context, n):
    client = await context.world.connect()
    await client.send(b"x" * (n - 1) + b"\n")


@then("the handler reports that {report}")
async def step_handler_reports(context, report):
    client = context.world.client
    line = await client.readline("the handler's report")
    assert line.decode().rstrip("\n") == report, "the handler reported {!r}".format(line)
