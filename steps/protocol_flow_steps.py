"""Steps for flow control on the protocol path: pausing and resuming reading,
the write buffer limits with pause_writing() / resume_writing(), a
BufferedProtocol's own buffer, and the transport fixes gh-155888 and
gh-156512 (protocol_steps.py has the server and the common observations).
"""

import asyncio

from behave import given, then, when

from asyncio_server_spec.reference import sockets
from asyncio_server_spec.reference.handlers import protocols
from asyncio_server_spec.reference.servers import start_protocol_server
from asyncio_server_spec.reference.waiting import promptly

KIB = 1024
#: How much a protocol may write while waiting for pause_writing() (a loop
#: that never pauses it fails the step instead of writing for ever).
MOST_WRITTEN = 2 * 1024 * KIB


def _first(world):
    """The protocol of the first client (made first: the clients connect in turn)."""
    return world.protocols.first()


def latest_protocol(world):
    return world.protocols.latest()


# -- pausing reading --------------------------------------------------------------------------
@when("reading is paused on the first client's connection")
def step_pause_reading(context):
    """pause_reading() on the transport of the first client's protocol."""
    _first(context.world).transport.pause_reading()


@when("reading is resumed on the first client's connection")
def step_resume_reading(context):
    """resume_reading() on the transport of the first client's protocol."""
    _first(context.world).transport.resume_reading()


def _is_reading(world, expected):
    reading = _first(world).transport.is_reading()
    assert reading is expected, f"expected is_reading() to be {expected}; it is {reading!r}"


@then("the first client's transport is not reading")
def step_not_reading(context):
    """is_reading() on the first client's transport is False."""
    _is_reading(context.world, False)


@then("the first client's transport is reading")
def step_reading(context):
    """is_reading() on the first client's transport is True."""
    _is_reading(context.world, True)


@when("the first client sends {data:Bytes}")
async def step_first_client_sends(context, data):
    """The first client to connect sends *data*."""
    world = context.world
    world.sent_while_paused = data
    await world.clients[0].send(world.sent_while_paused)


@then("the first client's bytes wait unread in the server's socket while the second client is echoed")
async def step_bytes_wait_unread(context):
    """The kernel holds every byte the first client sent, unread, in the
    server side's socket (FIONREAD); the second client is echoed meanwhile
    (the loop has served its sockets since), and still the first protocol
    has received nothing."""
    world = context.world
    protocol, sent = _first(world), world.sent_while_paused

    async def arrived():
        while _unread(protocol) < len(sent) and not protocol.received:
            await asyncio.sleep(0)

    await promptly(arrived(), "the first client's bytes to reach the server's socket")
    line = b"round trip\n"
    reply = await world.clients[1].echo(line)
    assert reply == line, f"expected the second client to be echoed {line!r}; it got {reply!r}"
    assert protocol.received == b"", (
        f"expected no data_received() while reading is paused; it got {protocol.received!r}"
    )
    unread = _unread(protocol)
    assert unread == len(sent), f"expected {len(sent)} bytes waiting unread in the socket; {unread} are"


def _unread(protocol):
    """The bytes waiting unread in the connection's socket (the transport's 'socket')."""
    try:
        return sockets.unread_bytes(protocol.transport)
    except (OSError, AttributeError) as exc:
        raise AssertionError(
            "expected get_extra_info('socket') to be the connection's socket; "
            f"asking it for its unread bytes failed: {exc!r}"
        ) from None


@then('the first client\'s protocol receives "{text}"')
async def step_first_protocol_receives(context, text):
    """The first client's protocol gets exactly *text* through data_received() (bounded wait)."""
    world = context.world
    protocol, data = _first(world), text.encode()
    await world.protocols.wait_for(
        lambda: len(protocol.received) >= len(data), f"the protocol to receive {len(data)} bytes"
    )
    assert protocol.received == data, f"expected {data!r} in order; the protocol got {protocol.received!r}"


# -- the write buffer limits --------------------------------------------------------------------
@given(
    "a server made with {api:ProtocolApi} whose protocol sets its write buffer limits "
    "to {high:d} KiB high and {low:d} KiB low"
)
async def step_protocol_server_limits(context, api, high, low):
    """A server made by *api* whose noting protocol calls
    set_write_buffer_limits(high, low) in connection_made()."""
    world = context.world
    world.protocols = protocols.ProtocolLog(world.record)
    factory = protocols.with_write_limits(world.protocols, high * KIB, low * KIB)
    await start_protocol_server(world, api, factory)


@then("the transport's write buffer limits are {low:d} KiB low and {high:d} KiB high")
def step_limits_are(context, low, high):
    """get_write_buffer_limits() on the latest protocol's transport is (low, high)."""
    limits = latest_protocol(context.world).transport.get_write_buffer_limits()
    assert tuple(limits) == (low * KIB, high * KIB), (
        f"expected get_write_buffer_limits() to be {(low * KIB, high * KIB)}; it is {limits!r}"
    )


@when("the protocol writes {chunk:d} KiB chunks until writing is paused")
def step_write_until_paused(context, chunk):
    """The latest protocol (its socket's send buffer shrunk) writes numbered
    *chunk*-KiB pieces until pause_writing() is called, at most MOST_WRITTEN bytes."""
    protocol = latest_protocol(context.world)
    sockets.shrink_send_buffer(protocol.transport)
    written = protocol.write_until_paused(chunk * KIB, MOST_WRITTEN)
    assert protocol.count("pause_writing") > 0, (
        f"expected pause_writing() once the queue went past the high-water mark; after {written} "
        f"bytes written, {protocol.transport.get_write_buffer_size()} queued, it was not called"
    )


@when("the protocol writes {n:d} more chunks of {chunk:d} KiB")
def step_write_more(context, n, chunk):
    """The latest protocol writes *n* more numbered pieces, noting the queue around each."""
    latest_protocol(context.world).write_more(chunk * KIB, n)


@then("pause_writing() was called once, when more than {high:d} KiB were queued")
def step_paused_once(context, high):
    """pause_writing() came once, and get_write_buffer_size() was then past *high* KiB."""
    sizes = latest_protocol(context.world).arguments("pause_writing")
    assert len(sizes) == 1, f"expected pause_writing() once; it was called {len(sizes)} times"
    assert sizes[0] > high * KIB, (
        f"expected more than {high * KIB} bytes queued at pause_writing(); {sizes[0]} were"
    )


@then("each chunk written while data was queued added its size to get_write_buffer_size()")
def step_each_chunk_queued(context):
    """For each piece written after the pause, the queue grew by exactly its size."""
    for size, before, after in latest_protocol(context.world).queued_writes:
        assert before > 0, (
            f"precondition: expected data queued before the write; get_write_buffer_size() was {before}"
        )
        assert after - before == size, (
            f"expected a {size}-byte write to a transport with {before} bytes queued to make it "
            f"{before + size}; get_write_buffer_size() says {after}"
        )


@when("the client reads everything the protocol wrote")
async def step_client_reads_all(context):
    """The latest client reads as many bytes as the latest protocol wrote."""
    world = context.world
    written = bytes(latest_protocol(world).written)
    world.read_back = await world.client.receive_exactly(len(written))


@then("the client received every byte written, in order")
def step_received_in_order(context):
    """What the client read is exactly the numbered stream the protocol wrote."""
    world = context.world
    written = bytes(latest_protocol(world).written)
    assert world.read_back == written, (
        f"expected the client to receive the {len(written)} bytes written, in order; they differ "
        f"(the client got {len(world.read_back)} bytes)"
    )


@then("resume_writing() was called once, when {low:d} KiB or less were queued")
async def step_resumed_once(context, low):
    """resume_writing() came once (bounded wait), with get_write_buffer_size() at most *low* KiB."""
    world = context.world
    protocol = latest_protocol(world)
    await world.protocols.wait_for(lambda: protocol.count("resume_writing") > 0, "resume_writing()")
    sizes = protocol.arguments("resume_writing")
    assert len(sizes) == 1, f"expected resume_writing() once; it was called {len(sizes)} times"
    assert sizes[0] is not None and sizes[0] <= low * KIB, (
        f"expected at most {low * KIB} bytes queued at resume_writing(); {sizes[0]} were"
    )


@then("nothing is queued in the transport any more")
def step_nothing_queued(context):
    """get_write_buffer_size() on the latest protocol's transport is 0."""
    size = latest_protocol(context.world).transport.get_write_buffer_size()
    assert size == 0, (
        f"expected get_write_buffer_size() to be 0 once the client read everything; it is {size}"
    )
