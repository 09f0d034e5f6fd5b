import asyncio

import pytest

from asyncio_server_spec.reference.record import ServerRecord
from asyncio_server_spec.reference.waiting import WaitTimeout, WasCancelled, within


async def test_within_returns_the_result():
    async def answer():
        return 42

    assert await within(answer(), "the answer") == 42


async def test_within_names_what_it_waited_for():
    never = asyncio.get_running_loop().create_future()
    with pytest.raises(WaitTimeout, match=r"timed out after 0.01 s waiting for the moon"):
        await within(never, "the moon", timeout=0.01)


async def test_within_turns_cancellation_into_a_failure():
    task = asyncio.ensure_future(asyncio.get_running_loop().create_future())
    task.cancel()
    with pytest.raises(WasCancelled, match="a doomed task ended cancelled"):
        await within(task, "a doomed task")


async def test_wait_until_returns_at_once_when_the_condition_holds():
    record = ServerRecord()
    record.count("accepted")
    await record.wait_accepted(1, timeout=0.01)


async def test_wait_until_wakes_when_a_handler_reports():
    record = ServerRecord()
    waiter = asyncio.ensure_future(record.wait_finished(2))
    await asyncio.sleep(0)
    record.count("handlers_finished")
    await asyncio.sleep(0)
    assert not waiter.done()
    record.count("handlers_finished")
    await within(waiter, "the waiter")
    assert record._waiters == []


async def test_wait_until_times_out_and_forgets_the_waiter():
    record = ServerRecord()
    with pytest.raises(WaitTimeout, match="3 connection"):
        await record.wait_accepted(3, timeout=0.01)
    assert record._waiters == []


async def test_received_bytes_and_errors_are_recorded():
    record = ServerRecord()
    record.add_received(b"ab")
    record.add_received(b"c")
    error = ValueError("x")
    record.add_error(error)
    assert record.received == b"abc"
    assert record.errors == [error]


async def test_release_all_resolves_every_hold_token():
    record = ServerRecord()
    first, second = record.hold_token(), record.hold_token()
    record.release_all()
    record.release_all()  # twice is harmless
    assert first.done() and second.done()


async def test_settle_lets_scheduled_callbacks_run():
    from asyncio_server_spec.reference.waiting import settle

    ran = []
    asyncio.get_running_loop().call_soon(ran.append, 1)
    await settle()
    assert ran == [1]
