"""The spec's client side, independent of the loop under test.

Every client -- connecting, sending, reading, telling a refusal or the end
of a connection, TLS, Unix sockets -- runs on CPython's own selector event
loop in a helper thread (:class:`ClientThread`), never on the loop under
test.  A loop whose *client* APIs are broken therefore cannot make its
*server* look broken.  Steps, which run on the loop under test, await the
methods of :class:`Client`; each call crosses to the client thread and back.

Every wait is bounded, and the bound is kept on the client thread, with the
standard library's own timers.
"""

import asyncio
import concurrent.futures
import os
import selectors
import socket
import threading
import time

from . import kernel
from .waiting import DEFAULT_TIMEOUT, promptly, within

#: What a refused connection looks like: nobody listens on a TCP port, or a
#: Unix socket file has no listener (refused) or is gone (not found).
REFUSALS = (ConnectionRefusedError, FileNotFoundError)


def describe(address):
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
            target=self._run, args=(ready,), name="asyncio-server-spec client", daemon=True)
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

    async def call(self, coro):
        """Run *coro* on the client thread; await its result from the calling loop."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return await asyncio.wrap_future(future)

    def run(self, coro, timeout):
        """Run *coro* on the client thread and block the caller until it ends."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)


def client_thread():
    return ClientThread.get()


async def _open(address, timeout, **kwargs):
    if isinstance(address, (str, bytes)):
        coro = asyncio.open_unix_connection(address, **kwargs)
    else:
        coro = asyncio.open_connection(address[0], address[1], **kwargs)
    return await within(coro, "a connection to " + describe(address), timeout)


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
    async def connect(cls, address, timeout=DEFAULT_TIMEOUT, **kwargs):
        side = client_thread()
        try:
            reader, writer = await side.call(_open(address, timeout, **kwargs))
        except (ConnectionError, FileNotFoundError) as exc:  # not ssl.SSLError: TLS steps check it
            raise AssertionError(f"expected a client to connect to {describe(address)}; "
                                 f"the connection failed: {exc}") from None
        return cls(address, reader, writer, side)

    async def _on_client(self, coro, prompt=None, not_before=0.0, timeout=DEFAULT_TIMEOUT):
        """Run *coro* on the client thread.  *prompt* names what the loop
        under test should deliver at once (from *not_before* seconds on): the
        wait then ends early when the loop keeps running on time without
        delivering it (see :func:`~asyncio_server_spec.reference.waiting.promptly`)."""
        if prompt is None:
            return await self._side.call(coro)
        return await promptly(self._side.call(coro), prompt, max(timeout, DEFAULT_TIMEOUT),
                              not_before=not_before)

    async def send(self, data):
        async def send():
            self._writer.write(data)
            await within(self._writer.drain(), f"sending {len(data)} bytes")
        await self._on_client(send())

    async def receive_exactly(self, n, timeout=DEFAULT_TIMEOUT):
        async def receive():
            try:
                return await within(
                    self._reader.readexactly(n), f"{n} bytes from the server", timeout)
            except asyncio.IncompleteReadError as exc:
                raise AssertionError(
                    f"expected {n} bytes from the server; the connection ended after "
                    f"{len(exc.partial)}: {bytes(exc.partial)!r}") from None
            except ConnectionError as exc:
                raise AssertionError(
                    f"expected {n} bytes from the server; the connection failed while "
                    f"reading: {exc!r}") from None
        return await self._on_client(receive(), prompt=f"{n} bytes from the server")

    async def echo(self, data, timeout=DEFAULT_TIMEOUT):
        """Send *data* and return what comes back (as many bytes as were sent)."""
        await self.send(data)
        return await self.receive_exactly(len(data), timeout)

    async def read(self, n=65536, what="data from the server", timeout=DEFAULT_TIMEOUT):
        """One read of at most *n* bytes (b'' at the end of the connection)."""
        return await self._on_client(within(self._reader.read(n), what, timeout), prompt=what)

    async def readline(self, what="a line from the server", timeout=DEFAULT_TIMEOUT):
        return await self._on_client(within(self._reader.readline(), what, timeout), prompt=what)

    async def read_to_end(self, what="the end of the connection", timeout=DEFAULT_TIMEOUT,
                          prompt=False, not_before=0.0):
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
        return await self._on_client(within(drain(), what, timeout),
                                     prompt=what if prompt else None, not_before=not_before,
                                     timeout=timeout)

    async def sees_eof(self, timeout=DEFAULT_TIMEOUT, prompt=True, not_before=0.0):
        """Wait until the server ends the connection; True on EOF or reset.
        *prompt*: it should end at once, or at once from *not_before* seconds
        on (an end that comes after a timeout of the server's); False: any
        time within *timeout*.

        A wait that runs out raises :class:`~asyncio_server_spec.reference.waiting.WaitTimeout`.
        """
        await self.read_to_end("the server to end the connection", timeout, prompt, not_before)
        return True

    async def write_eof(self):
        """Half-close: end the client's side of the stream, keep reading possible."""
        async def write_eof():
            self._writer.write_eof()
        await self._on_client(write_eof())

    async def close(self):
        async def close():
            self._writer.close()
            try:
                await within(self._writer.wait_closed(), "the client connection to close")
            except (ConnectionError, OSError):
                pass
        await self._on_client(close())

    def abort(self):
        """Drop the connection at once (cleanup); call it on the client thread."""
        self._writer.transport.abort()


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

    def __init__(self, address, size):
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
            return await promptly(asyncio.wrap_future(result), what, timeout,
                                  progress=lambda: self.done)
        finally:
            self._given_up.set()
            # a given-up worker notices within SLICE, or a connect's own timeout
            worker.join(DEFAULT_TIMEOUT + 1)

    def _fail(self, i, text):
        return AssertionError(f"{self._name(i)}: {text}")

    def _connect(self, i):
        family = socket.AF_UNIX if isinstance(self.address, (str, bytes)) else (
            socket.AF_INET6 if ":" in self.address[0] else socket.AF_INET)
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(DEFAULT_TIMEOUT)
        try:
            sock.connect(self.address if family == socket.AF_UNIX else self.address[:2])
        except socket.timeout:
            sock.close()
            raise self._fail(i, f"timed out after {DEFAULT_TIMEOUT:g} s waiting for a "
                                f"connection to {describe(self.address)}") from None
        except OSError as exc:
            sock.close()
            raise self._fail(i, f"expected to connect to {describe(self.address)}; "
                                f"the connection failed: {exc}") from None
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
                    raise self._fail(i, "given up while waiting for its echo") from None
                if time.monotonic() > deadline:
                    raise self._fail(i, f"timed out after {DEFAULT_TIMEOUT:g} s waiting for "
                                        f"{size} bytes from the server; got {len(data)}") from None
                continue
            except OSError as exc:
                raise self._fail(i, f"expected {size} bytes; the connection failed while "
                                    f"reading: {exc!r}") from None
            if not chunk:
                raise self._fail(i, f"expected {size} bytes; the connection ended after "
                                    f"{len(data)}")
            data += chunk
        return data

    def _send(self, i, sock, data):
        try:
            sock.sendall(data)
        except OSError as exc:
            raise self._fail(i, f"sending {len(data)} bytes failed: {exc!r}") from None

    async def connect(self, count, timeout):
        """Connect *count* more clients, one right after the other; they stay connected."""
        def work():
            for k in range(count):
                if self._given_up.is_set():
                    return
                self.socks.append(self._connect(len(self.socks)))
                self.done = k + 1
        await self._batch(work, f"{count} clients: connecting", timeout)

    async def send(self, messages, timeout):
        """Each connected client sends its own message."""
        def work():
            for i, data in enumerate(messages):
                self._send(i, self.socks[i], data)
                self.done = i + 1
        await self._batch(work, f"{len(messages)} clients: sending", timeout)

    async def receive(self, size, timeout):
        """Each connected client reads *size* bytes; their replies, in order."""
        def work():
            replies = []
            for i, sock in enumerate(self.socks):
                replies.append(self._receive(i, sock, size))
                self.done = i + 1
            return replies
        return await self._batch(work, f"{len(self.socks)} clients: {size} bytes from the server",
                                 timeout)

    async def one_after_another(self, messages, timeout):
        """Client after client: connect, send its message, read its echo, close."""
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
                    sock.close()
                self.done = i + 1
            return echoes
        return await self._batch(work, f"{len(messages)} clients, one after another", timeout)

    def close(self):
        """Close every connection at once (cleanup)."""
        for sock in self.socks:
            sock.close()
        self.socks = []


def abort_all(clients, timeout=DEFAULT_TIMEOUT):
    """Abort *clients* on the client thread and wait until their sockets are
    closed (blocking: for cleanup, after the loop under test has stopped)."""
    async def abort():
        for client in clients:
            client.abort()
        for _ in range(3):  # the transports' connection_lost() close the sockets
            await asyncio.sleep(0)
    if clients:
        clients[0]._side.run(abort(), timeout)


async def _probe(address, timeout):
    """Connect and close again; return the refusal (an exception) or None."""
    try:
        _, writer = await _open(address, timeout)
    except REFUSALS as exc:
        return exc
    writer.transport.abort()
    return None


def judge_accepted(address):
    """A connection to *address* was accepted: by whom?  None when the socket
    listening there belongs to another process (the closed server's port was
    taken by someone else since: this process's server is not listening), else
    what was observed, in words."""
    if isinstance(address, (str, bytes)):
        return f"a connection to {describe(address)} was accepted"
    owner = kernel.listener_owner(address)
    if owner == "other process":
        return None
    where = "a listening socket of this process" if owner == "this process" else "something"
    return f"a connection to {describe(address)} was accepted by {where}"


async def refusal_problem(address, timeout=DEFAULT_TIMEOUT):
    """None if nothing *in this process* accepts connections at *address*;
    otherwise what was observed.

    A refused connection is the plain answer.  An accepted one is checked
    against the kernel's table of listening sockets (:func:`judge_accepted`).
    """
    refusal = await client_thread().call(_probe(address, timeout))
    return None if refusal is not None else judge_accepted(address)


async def is_refused(address, timeout=DEFAULT_TIMEOUT):
    """True if nothing in this process accepts connections at *address*."""
    return await refusal_problem(address, timeout) is None


def blocking_probe(address, timeout):
    """Connect with a plain blocking socket -- the event loop gets no chance to
    run meanwhile -- and say what happened: ``"refused"``, or what was observed."""
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    probe = socket.socket(family, socket.SOCK_STREAM)
    probe.settimeout(timeout)
    try:
        probe.connect(address[:2])
    except ConnectionRefusedError:
        return "refused"
    except OSError as exc:
        return f"failed: {exc!r}"
    finally:
        probe.close()
    return judge_accepted(address) or "refused"
