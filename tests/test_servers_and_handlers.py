"""The reference module's servers, handlers and client, on the current loop."""

import asyncio
import socket
import struct

import pytest

from asyncio_server_spec.reference import servers
from asyncio_server_spec.reference.client import Client
from asyncio_server_spec.reference.handlers import (
    HANDLER_NAMES,
    HandlerFailure,
    protocol_factory,
    stream_handler,
)
from asyncio_server_spec.reference.probes import is_refused
from asyncio_server_spec.reference.record import ServerRecord
from asyncio_server_spec.reference.waiting import within


@pytest.fixture
def record():
    return ServerRecord()


async def _serve(api, handler, record, tmp_path):
    if api in servers.UNIX_APIS:
        path = str(tmp_path / "s.sock")
        return await servers.create(api, handler, record, path=path), path
    server = await servers.create(api, handler, record, host="127.0.0.1", port=0)
    return server, servers.listening_addresses(server)[0][:2]


async def _closed(server, *clients):
    for client in clients:
        await client.close()
    server.close()
    await within(server.wait_closed(), "the server to close")


@pytest.mark.parametrize("api", servers.APIS)
async def test_echo_on_every_api(api, record, tmp_path):
    server, address = await _serve(api, "echo", record, tmp_path)
    client = await Client.connect(address)
    assert await client.echo(b"hello") == b"hello"
    assert record.accepted == 1 and record.received == b"hello"
    await _closed(server, client)


@pytest.mark.parametrize("api", ["start_server", "create_server"])
async def test_hold_keeps_the_connection_until_released(api, record, tmp_path):
    server, address = await _serve(api, "hold", record, tmp_path)
    client = await Client.connect(address)
    await record.wait_accepted(1)
    assert record.handlers_finished == 0
    record.release_all()
    assert await client.sees_eof()
    await record.wait_finished(1)
    await _closed(server, client)


@pytest.mark.parametrize("api", ["start_server", "create_server"])
async def test_close_ends_the_connection_at_once(api, record, tmp_path):
    server, address = await _serve(api, "close", record, tmp_path)
    client = await Client.connect(address)
    assert await client.sees_eof()
    await record.wait_finished(1)
    await _closed(server, client)


@pytest.mark.parametrize("api", ["start_server", "create_server"])
async def test_raise_records_the_failure(api, record, tmp_path):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: None)
    server, address = await _serve(api, "raise", record, tmp_path)
    client = await Client.connect(address)
    await record.wait_until(lambda r: r.errors, "the handler to fail")
    assert isinstance(record.errors[0], HandlerFailure)
    await _closed(server, client)
    loop.set_exception_handler(None)


def test_unknown_handler_and_api_are_named():
    with pytest.raises(ValueError, match="unknown handler 'shout'; known handlers: echo, hold"):
        stream_handler("shout", ServerRecord())
    with pytest.raises(ValueError, match="unknown handler"):
        protocol_factory("shout", ServerRecord())
    assert set(HANDLER_NAMES) == {"echo", "hold", "close", "raise"}


async def test_unknown_api_is_named(record):
    with pytest.raises(ValueError, match="unknown server API 'make_server'"):
        await servers.create("make_server", "echo", record)


async def test_a_closed_server_refuses_and_an_open_one_does_not(record, tmp_path):
    server, address = await _serve("start_server", "echo", record, tmp_path)
    assert await is_refused(address) is False
    await _closed(server)
    assert await is_refused(address) is True
    assert servers.listening_addresses(server) == []


async def test_a_missing_unix_socket_counts_as_refused(tmp_path):
    assert await is_refused(str(tmp_path / "nobody.sock")) is True


async def test_a_short_reply_fails_clearly(record, tmp_path):
    server, address = await _serve("start_server", "close", record, tmp_path)
    client = await Client.connect(address)
    expected = r"expected 4 bytes from the server; the connection ended after 0: b''"
    with pytest.raises(AssertionError, match=expected):
        await client.receive_exactly(4)
    await _closed(server, client)


async def test_a_reset_while_reading_fails_clearly(record, tmp_path):
    server, address = await _serve("start_server", "hold", record, tmp_path)
    client = await Client.connect(address)
    await record.wait_accepted(1)
    record.writers[0].transport.abort()  # the server drops the connection, unannounced
    with pytest.raises(
        AssertionError,
        match=r"expected 4 bytes from the server; the connection "
        r"(ended after 0|failed while reading)",
    ):
        await client.receive_exactly(4)
    assert await client.sees_eof() is True
    await _closed(server, client)


async def test_a_connection_reset_while_reading_names_the_failure(record, tmp_path):
    server, address = await _serve("start_server", "hold", record, tmp_path)
    client = await Client.connect(address)
    await record.wait_accepted(1)
    sock = record.writers[0].get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    record.writers[0].transport.abort()  # with linger 0: a reset, not an end of stream
    with pytest.raises(
        AssertionError,
        match=r"expected 4 bytes from the server; the connection "
        r"failed while reading: ConnectionResetError",
    ):
        await client.receive_exactly(4)
    await _closed(server, client)
