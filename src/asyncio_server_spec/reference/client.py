"""The spec's client side, independent of the loop under test.

Every client -- connecting, sending, reading, telling a refusal or the end
of a connection, TLS, Unix sockets -- runs on CPython's own selector event
loop in a helper thread (:class:`ClientThread`), never on the loop under
test.  A loop whose *client* APIs are broken therefore cannot make its
*server* look broken.  Steps, which run on the loop under test, await the
methods of :class:`Client`; each call crosses to the client thread and back.

Every wait is bounded, and the bound is kept on the client thread, with the
standard library's own timers.

The other clients a scenario uses: :mod:`.load_clients` (many clients on
plain blocking sockets) and :mod:`.probes` (is anything accepting
connections at an address?).
"""

from __future__ import annotations

import asyncio
import os
import selectors
import threading
import time
from typing import Any, Coroutine, Union

from .waiting import DEFAULT_TIMEOUT, promptly, within

Address = Union[str, bytes, tuple]


def describe(address: Address) -> str:
    if isinstance(address, (str, bytes)):
        return f"unix:{address!r}"
    return f"{address[0]}:{address[1]}"


class ClientThread:
    """A stdlib asyncio loop running in a daemon thread, one per process.

    It is made on first use in each process: a forked child (an isolated
    scenario) does not inherit the parent's thread, so it gets its own.
    """

    _instance = None

    def __init__(self):
        self.pid = os.getpid()
        # explicitly the standard library's loop: not whatever a policy, or
        # a loop package that patched asyncio, would hand out
        self.loop = asyncio.SelectorEventLoop(selectors.DefaultSelector())
        ready = threading.Event()
        self.thread = threading.Thread(
            target=self._run, args=(ready,), name="asyncio-server-spec client", daemon=True
        )
        self.thread.start()
        ready.wait()

    def _run(self, ready):
        # (no asyncio.set_event_loop: a loop package may have replaced it)
        self.loop.call_soon(ready.set)
        self.loop.run_forever()

    @classmethod
    def get(cls):
        if cls._instance is None or cls._instance.pid != os.getpid():
            cls._instance = cls()
        return cls._instance

    async def call(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run *coro* on the client thread; await its result from the calling loop."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return await asyncio.wrap_future(future)

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float) -> Any:
        """Run *coro* on the client thread and block the caller until it ends."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)


def client_thread() -> ClientThread:
    return ClientThread.get()


async def open_connection(
    address: Address, timeout: float, **kwargs: Any
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    if isinstance(address, (str, bytes)):
        coro = asyncio.open_unix_connection(address, **kwargs)
    else:
        coro = asyncio.open_connection(address[0], address[1], **kwargs)
    return await within(coro, "a connection to " + describe(address), timeout)


#: The StreamReader limit of a client that reads slowly (give it to
#: :meth:`Client.connect` as ``limit``): its transport stops taking data from
#: the socket once twice this much waits unread.  (Its socket keeps its own
#: receive buffer: on loopback, a small one makes the kernel hold back window
#: updates for a timer's while -- the segments are as large as 64 KiB.)
SLOW_CLIENT_LIMIT = 8192
#: The most a client that reads slowly takes in one read.
SLOW_PIECE = 8192


class SlowReading:
    """What a client that reads slowly (:meth:`Client.receive_slowly`) got so far."""

    def __init__(self) -> None:
        self.received = bytearray()


class Client:
    """One client connection, made and driven on the client thread.

    Its methods are awaited from steps running on the loop under test; every
    one of them is bounded in time.
    """

    def __init__(self, address, reader, writer, side):
        self.address = address
        self._reader = reader
        self._writer = writer
        self._side = side
        #: the client's own address and, for TLS, whether the connection is TLS
        self.sockname = writer.get_extra_info("sockname")
        self.is_tls = writer.get_extra_info("ssl_object") is not None
        #: when (time.monotonic(), on the client thread) the client read the end of
        #: the connection, once :meth:`read_to_end` has seen it
        self.ended_at = None

    @classmethod
    async def connect(cls, address: Address, timeout: float = DEFAULT_TIMEOUT, **kwargs: Any) -> Client:
        side = client_thread()
        try:
            reader, writer = await side.call(open_connection(address, timeout, **kwargs))
        except (ConnectionError, FileNotFoundError) as exc:  # not ssl.SSLError: TLS steps check it
            raise AssertionError(
                f"expected a client to connect to {describe(address)}; the connection failed: {exc}"
            ) from None
        return cls(address, reader, writer, side)

    async def _on_client(self, coro, prompt=None, not_before=0.0, timeout=DEFAULT_TIMEOUT):
        """Run *coro* on the client thread.  *prompt* names what the loop
        under test should deliver at once (from *not_before* seconds on): the
        wait then ends early when the loop keeps running on time without
        delivering it (see :func:`~asyncio_server_spec.reference.waiting.promptly`)."""
        if prompt is None:
            return await self._side.call(coro)
        return await promptly(
            self._side.call(coro), prompt, max(timeout, DEFAULT_TIMEOUT), not_before=not_before
        )

    async def send(self, data: bytes) -> None:
        async def send():
            self._writer.write(data)
            await within(self._writer.drain(), f"sending {len(data)} bytes")

        await self._on_client(send())

    async def receive_exactly(self, n: int, timeout: float = DEFAULT_TIMEOUT) -> bytes:
        async def receive():
            try:
                return await within(self._reader.readexactly(n), f"{n} bytes from the server", timeout)
            except asyncio.IncompleteReadError as exc:
                raise AssertionError(
                    f"expected {n} bytes from the server; the connection ended after "
                    f"{len(exc.partial)}: {bytes(exc.partial)!r}"
                ) from None
            except ConnectionError as exc:
                raise AssertionError(
                    f"expected {n} bytes from the server; the connection failed while reading: {exc!r}"
                ) from None

        return await self._on_client(receive(), prompt=f"{n} bytes from the server")

    async def echo(self, data: bytes, timeout: float = DEFAULT_TIMEOUT) -> bytes:
        """Send *data* and return what comes back (as many bytes as were sent)."""
        await self.send(data)
        return await self.receive_exactly(len(data), timeout)

    async def read(
        self, n: int = 65536, what: str = "data from the server", timeout: float = DEFAULT_TIMEOUT
    ) -> bytes:
        """One read of at most *n* bytes (b'' at the end of the connection)."""
        return await self._on_client(within(self._reader.read(n), what, timeout), prompt=what)

    async def readline(self, what: str = "a line from the server", timeout: float = DEFAULT_TIMEOUT) -> bytes:
        return await self._on_client(within(self._reader.readline(), what, timeout), prompt=what)

    async def read_to_end(
        self,
        what: str = "the end of the connection",
        timeout: float = DEFAULT_TIMEOUT,
        prompt: bool = False,
        not_before: float = 0.0,
    ) -> tuple[int, str]:
        """Read until the server ends the connection: ``(bytes read, "EOF" or "reset (...)")``;
        *prompt*: the end should come at once, from *not_before* seconds on
        (see :meth:`_on_client`)."""

        async def drain():
            total = 0
            try:
                while True:
                    data = await self._reader.read(1 << 20)
                    if not data:
                        self.ended_at = time.monotonic()
                        return total, "EOF"
                    total += len(data)
            except (ConnectionError, OSError) as exc:
                self.ended_at = time.monotonic()
                return total, f"reset ({type(exc).__name__})"

        return await self._on_client(
            within(drain(), what, timeout),
            prompt=what if prompt else None,
            not_before=not_before,
            timeout=timeout,
        )

    async def sees_eof(
        self, timeout: float = DEFAULT_TIMEOUT, prompt: bool = True, not_before: float = 0.0
    ) -> bool:
        """Wait until the server ends the connection; True on EOF or reset.
        *prompt*: it should end at once, or at once from *not_before* seconds
        on (an end that comes after a timeout of the server's); False: any
        time within *timeout*.

        A wait that runs out raises :class:`~asyncio_server_spec.reference.waiting.WaitTimeout`.
        """
        await self.read_to_end("the server to end the connection", timeout, prompt, not_before)
        return True

    async def write_eof(self) -> None:
        """Half-close: end the client's side of the stream, keep reading possible."""

        async def write_eof():
            self._writer.write_eof()

        await self._on_client(write_eof())

    async def close(self) -> None:
        async def close():
            self._writer.close()
            try:
                await within(self._writer.wait_closed(), "the client connection to close")
            except (ConnectionError, OSError):
                pass

        await self._on_client(close())

    async def on_streams(
        self, body: Any, what: str, timeout: float = DEFAULT_TIMEOUT, prompt: bool = True
    ) -> Any:
        """Run ``body(reader, writer)`` (a coroutine function) with this client's
        streams on the client thread, bounded by *timeout*; *what* names what it
        waits for.  *prompt*: the loop under test should deliver it at once (see
        :meth:`_on_client`).  Reference code drives a connection by hand with it
        (switching it to TLS: :class:`~.tls.ClientTls`)."""
        return await self._on_client(
            within(body(self._reader, self._writer), what, timeout),
            prompt=what if prompt else None,
            timeout=timeout,
        )

    async def extra_info(self, name: str) -> Any:
        """``get_extra_info(name)`` of the client's own connection, asked on the client thread."""

        async def ask(reader, writer):
            return writer.get_extra_info(name)

        return await self.on_streams(ask, f"the client's get_extra_info({name!r})")

    async def reset(self) -> None:
        """Reset the connection: SO_LINGER with a timeout of 0, then close the
        socket, so the server gets an RST instead of an end of stream."""
        from . import sockets

        async def reset():
            sockets.set_linger_zero(self._writer.get_extra_info("socket"))
            self._writer.transport.abort()
            await asyncio.sleep(0)  # the transport's connection_lost() closes the socket
            await asyncio.sleep(0)

        await self._on_client(reset())

    async def pause_reading(self) -> None:
        """Stop taking data from the socket: what the server sends waits in the
        kernel, then in the server's transport."""

        async def pause():
            self._writer.transport.pause_reading()

        await self._on_client(pause())

    async def receive_slowly(
        self, n: int, progress: SlowReading, piece: int = SLOW_PIECE, timeout: float = DEFAULT_TIMEOUT
    ) -> bytes:
        """Take data from the socket again (if paused) and read *n* bytes in
        reads of at most *piece* bytes, letting the client's loop run between
        two reads; return what arrived -- less than *n* if the connection ended
        first.  *progress* holds what arrived so far, for the message of a wait
        that runs out."""

        async def receive():
            self._writer.transport.resume_reading()
            try:
                while len(progress.received) < n:
                    data = await self._reader.read(min(piece, n - len(progress.received)))
                    if not data:
                        break
                    progress.received += data
                    await asyncio.sleep(0)
            except (ConnectionError, OSError):
                pass  # the server ended the connection: what arrived is the answer
            return bytes(progress.received)

        what = f"{n} bytes from the server, read slowly"
        return await self._on_client(within(receive(), what, timeout), prompt=what, timeout=timeout)

    async def receive_then_end(self, data: bytes) -> None:
        """Read exactly *data*, then the end of the stream (EOF, not a reset)."""
        received = await self.receive_exactly(len(data))
        assert received == data, f"expected the client to receive {data!r}; it got {received!r}"
        total, end = await self.read_to_end("the end of the connection", prompt=True)
        assert (total, end) == (0, "EOF"), (
            f"expected the end of the stream after {data!r}; got {total} more bytes, then {end}"
        )

    def abort(self) -> None:
        """Drop the connection at once (cleanup), with a reset: a client that
        closed first would leave its end in TIME_WAIT, in the table every
        process of the machine shares.  Call it on the client thread."""
        from . import sockets

        try:
            sockets.set_linger_zero(self._writer.get_extra_info("socket"))
        except (AttributeError, OSError):
            pass  # (closed already, or not a socket: nothing lingers)
        self._writer.transport.abort()


def abort_all(clients: list[Client], timeout: float = DEFAULT_TIMEOUT) -> None:
    """Abort *clients* on the client thread and wait until their sockets are
    closed (blocking: for cleanup, after the loop under test has stopped)."""

    async def abort():
        for client in clients:
            client.abort()
        for _ in range(3):  # the transports' connection_lost() close the sockets
            await asyncio.sleep(0)

    if clients:
        clients[0]._side.run(abort(), timeout)
