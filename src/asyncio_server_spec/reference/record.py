"""An observable record of what happened on the server side.

Handlers and protocols update a :class:`ServerRecord`; steps await conditions
on it ("2 connections accepted") under a timeout instead of sleeping.
"""

from __future__ import annotations

import asyncio
from typing import Callable

from .waiting import DEFAULT_TIMEOUT, promptly, within


class ServerRecord:
    """Counts and facts the server side reports, with awaitable conditions."""

    def __init__(self):
        self.accepted = 0
        self.handlers_started = 0
        self.handlers_finished = 0
        self._received = bytearray()
        self.errors = []
        self.handler_tasks = []
        self.writers = []
        self.transports = []
        self.peers = []
        self._waiters = []
        self._released = []

    # -- updates ---------------------------------------------------------
    def note(self, **changes: object) -> None:
        """Apply *changes* (attribute=value) and wake waiters whose condition now holds."""
        for name, value in changes.items():
            setattr(self, name, value)
        self._wake()

    def count(self, name: str) -> None:
        """Add one to the counter *name*."""
        self.note(**{name: getattr(self, name) + 1})

    @property
    def received(self) -> bytes:
        """Every byte the server side has read, in order."""
        return bytes(self._received)

    def add_received(self, data: bytes) -> None:
        self._received += data  # (not bytes + bytes: a load of clients made that quadratic)
        self._wake()

    def add_error(self, exc: BaseException) -> None:
        self.errors.append(exc)
        self._wake()

    def _wake(self):
        for predicate, future in list(self._waiters):
            if not future.done() and predicate(self):
                future.set_result(None)

    # -- conditions ------------------------------------------------------
    async def wait_until(
        self, predicate: Callable[[ServerRecord], bool], what: str, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        """Wait until ``predicate(record)`` holds, at most *timeout* seconds."""
        if predicate(self):
            return
        future = asyncio.get_running_loop().create_future()
        entry = (predicate, future)
        self._waiters.append(entry)
        try:
            await within(future, what, timeout)
        finally:
            self._waiters.remove(entry)

    async def wait_accepted(self, n: int, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until *n* connections reached a handler -- at once, since the
        client has connected: the wait ends early if the loop keeps running on
        time without it (:func:`~asyncio_server_spec.reference.waiting.promptly`)."""
        await promptly(
            self.wait_until(lambda r: r.accepted >= n, f"{n} connection(s) accepted", timeout),
            f"{n} connection(s) accepted",
            timeout,
        )

    async def wait_finished(self, n: int, timeout: float = DEFAULT_TIMEOUT) -> None:
        await self.wait_until(
            lambda r: r.handlers_finished >= n,
            f"{n} handler(s) finished",
            timeout,
        )

    # -- holding connections open --------------------------------------------
    def hold_token(self) -> asyncio.Future:
        """A future a holding handler waits on; :meth:`release_all` resolves it."""
        future = asyncio.get_running_loop().create_future()
        self._released.append(future)
        return future

    def forget(self) -> None:
        """Drop the tasks, writers and transports kept (at cleanup): a load of
        clients would otherwise keep a thousand finished tasks alive for every
        later ``asyncio.all_tasks()`` to walk through."""
        for kept in (self.handler_tasks, self.writers, self.transports):
            kept.clear()

    def release_all(self) -> None:
        """Let every holding handler finish."""
        for future in self._released:
            if not future.done():
                future.set_result(None)
