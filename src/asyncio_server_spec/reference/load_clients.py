"""Many clients at once: a load of connections on plain blocking sockets,
driven by a worker thread of their own, never by the loop under test.

A client leaves by resetting its connection (SO_LINGER 0), never by closing
it first: the side that ends a connection first keeps it in TIME_WAIT for a
minute, in a table the kernel shares between every process of the machine
and stops filling once full -- a thousand clients would leave a thousand
there for others to run into.  A client resets only once it has read all it
expects, so the server has sent everything by then and what it observes is
the connection reset where it waited for more.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
import threading
import time

from .client import Address, describe
from .sockets import set_linger_zero
from .waiting import DEFAULT_TIMEOUT, promptly


class ClientGroup:
    """Many clients on plain blocking sockets, driven by a worker thread of
    their own, a batch per call: a load of clients costs the process little
    besides the server's own work, and nothing of it runs on the loop under
    test.  Every socket operation is bounded by the usual timeout, a batch by
    its own; a batch ends early when the loop under test keeps running on
    time and no client gets any further (see
    :func:`~asyncio_server_spec.reference.waiting.promptly`).  A call that fails
    names the client (``client 7 of 1000: ...``)."""

    #: how long a blocked read waits before it looks whether the batch was given up
    SLICE = 0.05

    def __init__(self, address: Address, size: int):
        self.address = address
        self.size = size
        self.socks = []
        #: how many clients have finished the current batch (for prompt waits)
        self.done = 0
        self._given_up = threading.Event()

    def _name(self, i):
        return f"client {i + 1} of {self.size}"

    async def _batch(self, work, what, timeout):
        """Run *work()* in a worker thread; await its result on the calling loop."""
        self.done = 0
        self._given_up.clear()
        result = concurrent.futures.Future()

        def run():
            try:
                result.set_result(work())
            except BaseException as exc:  # handed to the step awaiting the batch
                result.set_exception(exc)

        worker = threading.Thread(target=run, name="asyncio-server-spec load", daemon=True)
        worker.start()
        try:
            return await promptly(asyncio.wrap_future(result), what, timeout, progress=lambda: self.done)
        finally:
            self._given_up.set()
            # a given-up worker notices within SLICE, or a connect's own timeout
            worker.join(DEFAULT_TIMEOUT + 1)

    def _fail(self, i, text):
        return AssertionError(f"{self._name(i)}: {text}")

    def _connect(self, i):
        family = (
            socket.AF_UNIX
            if isinstance(self.address, (str, bytes))
            else (socket.AF_INET6 if ":" in self.address[0] else socket.AF_INET)
        )
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(DEFAULT_TIMEOUT)
        try:
            sock.connect(self.address if family == socket.AF_UNIX else self.address[:2])
        except socket.timeout:
            sock.close()
            raise self._fail(
                i,
                f"timed out after {DEFAULT_TIMEOUT:g} s waiting for a connection to {describe(self.address)}",
            ) from None
        except OSError as exc:
            sock.close()
            raise self._fail(
                i, f"expected to connect to {describe(self.address)}; the connection failed: {exc}"
            ) from None
        sock.settimeout(self.SLICE)
        return sock

    def _receive(self, i, sock, size):
        """Read exactly *size* bytes from client *i*'s socket, bounded."""
        data = b""
        deadline = time.monotonic() + DEFAULT_TIMEOUT
        while len(data) < size:
            try:
                chunk = sock.recv(size - len(data))
            except socket.timeout:
                if self._given_up.is_set():
                    raise self._fail(i, "expected its echo; the load was given up while it waited") from None
                if time.monotonic() > deadline:
                    raise self._fail(
                        i,
                        f"timed out after {DEFAULT_TIMEOUT:g} s waiting for "
                        f"{size} bytes from the server; got {len(data)}",
                    ) from None
                continue
            except OSError as exc:
                raise self._fail(
                    i, f"expected {size} bytes; the connection failed while reading: {exc!r}"
                ) from None
            if not chunk:
                raise self._fail(i, f"expected {size} bytes; the connection ended after {len(data)}")
            data += chunk
        return data

    def _send(self, i, sock, data):
        try:
            sock.sendall(data)
        except OSError as exc:
            raise self._fail(i, f"expected to send {len(data)} bytes; sending failed: {exc!r}") from None

    async def connect(self, count: int, timeout: float) -> None:
        """Connect *count* more clients, one right after the other; they stay connected."""

        def work():
            for k in range(count):
                if self._given_up.is_set():
                    return
                self.socks.append(self._connect(len(self.socks)))
                self.done = k + 1

        await self._batch(work, f"{count} clients: connecting", timeout)

    async def send(self, messages: list[bytes], timeout: float) -> None:
        """Each connected client sends its own message."""

        def work():
            for i, data in enumerate(messages):
                self._send(i, self.socks[i], data)
                self.done = i + 1

        await self._batch(work, f"{len(messages)} clients: sending", timeout)

    async def receive(self, size: int, timeout: float) -> list[bytes]:
        """Each connected client reads *size* bytes; their replies, in order."""

        def work():
            replies = []
            for i, sock in enumerate(self.socks):
                replies.append(self._receive(i, sock, size))
                self.done = i + 1
            return replies

        return await self._batch(work, f"{len(self.socks)} clients: {size} bytes from the server", timeout)

    async def one_after_another(self, messages: list[bytes], timeout: float) -> list[bytes]:
        """Client after client: connect, send its message, read its echo in
        full, leave (a reset: see the module's docstring)."""

        def work():
            echoes = []
            for i, data in enumerate(messages):
                if self._given_up.is_set():
                    break
                sock = self._connect(i)
                try:
                    self._send(i, sock, data)
                    echoes.append(self._receive(i, sock, len(data)))
                finally:
                    _leave(sock)
                self.done = i + 1
            return echoes

        return await self._batch(work, f"{len(messages)} clients, one after another", timeout)

    def close(self) -> None:
        """Reset every connection at once (cleanup)."""
        for sock in self.socks:
            _leave(sock)
        self.socks = []


def _leave(sock: socket.socket) -> None:
    """Close *sock* with a reset, leaving nothing in TIME_WAIT."""
    try:
        set_linger_zero(sock)
    except OSError:
        pass  # (the connection is gone already: nothing lingers)
    sock.close()
