"""What one scenario owns -- its event loop, servers, clients, tasks, temp dir --
and the cleanup that releases all of it, even after a failed step."""

from __future__ import annotations

import asyncio
import inspect
import os
import shutil
import socket
import tempfile
import threading
from typing import Any, Awaitable, Callable, Coroutine

from . import kernel, servers
from .client import Client, abort_all
from .load_clients import ClientGroup
from .loop_errors import calling, unwrapped
from .record import ServerRecord
from .waiting import DEFAULT_TIMEOUT, WaitTimeout, promptly, settle, within

#: Seconds cleanup may spend on one wait (a hanging server must not hang the run).
CLEANUP_TIMEOUT = 2.0


class World:
    """The resources of one scenario (behave's ``context.world``), created
    fresh for it and released by :meth:`close`.

    The event loop is the loop under test: the steps and the servers run on
    it.  Clients run on the client thread (:mod:`asyncio_server_spec.reference.client`).
    """

    def __init__(
        self,
        new_loop: Callable[[], asyncio.AbstractEventLoop],
        check_leaks: bool = True,
        temp_root: str | None = None,
    ):
        self.check_leaks = check_leaks
        #: where the scenario makes its temp dir (None: the system's temp dir).  A
        #: run gives its own and removes it at the end, so a scenario whose process
        #: died before its cleanup (an isolated child that crashed or was stopped)
        #: leaves no file behind either.
        self.temp_root = temp_root
        self._threads_before = threading.active_count()
        self.loop = new_loop()
        # after the loop exists: what a loop implementation keeps for the whole
        # process (uvloop's wakeup pipe) is not this scenario's to release
        self._fds_before = open_fds()
        self.record = ServerRecord()
        self.servers = []
        self.clients = []
        self.groups = []
        self.tasks = []
        self.problems = []
        self.closed = False
        self._executor_joined = False
        self.server = None
        self.address = None
        self.outcome = None
        #: what a step did to stop *the* server listening ("close()"), for the words of a probe
        self.stopped_by: str | None = None
        self._tmpdir = None
        self._cleanups = []
        #: every report the loop made to its exception handler, in order
        #: (the report is the handler's last argument: rloop passes only the report)
        self.loop_reports: list[dict] = []
        self._expected_reports: list[Callable[[dict], bool]] = []
        self.loop.set_exception_handler(lambda *args: self.loop_reports.append(args[-1]))

    def expect_reports(self, matches: Callable[[dict], bool]) -> None:
        """A step has stated that the loop reports what *matches* (a report
        for each connection its handler fails on, say): such reports, before
        or after, are expected."""
        self._expected_reports.append(matches)

    def reported_once(self, matches: Callable[[dict], bool], what: str) -> dict:
        """The one report to the loop's exception handler that *matches* (*what*
        says what it is, for the message); from now on such reports are
        expected (one per connection the handler fails on, say)."""
        matching = [report for report in self.loop_reports if matches(report)]
        assert len(matching) == 1, (
            f"expected one report to the loop's exception handler, "
            f"{what}; reports: {self.described_reports()}"
        )
        self.expect_reports(matches)
        return matching[0]

    def described_reports(self, reports: list[dict] | None = None) -> list[str]:
        """The loop's reports (or *reports*), each as its message and exception."""
        return [
            str(r.get("message")) + (f": {r['exception']!r}" if r.get("exception") is not None else "")
            for r in (self.loop_reports if reports is None else reports)
        ]

    def unexpected_reports(self) -> list[dict]:
        """The loop's reports that no step expected."""
        return [r for r in self.loop_reports if not any(m(r) for m in self._expected_reports)]

    def on_cleanup(self, callback: Callable[[], Any]) -> Callable[[], Any]:
        """Have :meth:`close` call *callback()* -- after the servers are closed
        and the leftover tasks have ended, last registered first."""
        self._cleanups.append(callback)
        return callback

    def keep(self, sock: socket.socket) -> socket.socket:
        """A socket the scenario made itself: closed at cleanup; returns *sock*."""
        self.on_cleanup(sock.close)
        return sock

    def temp_path(self, name: str) -> str:
        """A path in a private temp dir (short, so Unix socket paths fit),
        inside :attr:`temp_root` when the run gave one."""
        if self._tmpdir is None:
            self._tmpdir = tempfile.mkdtemp(prefix="ass-", dir=self.temp_root)
        return f"{self._tmpdir}/{name}"

    # -- servers and clients the steps act on -----------------------------------
    async def start(
        self, api: str = "start_server", handler: Any = "echo", **kwargs: Any
    ) -> asyncio.AbstractServer:
        """Create a server; by default on this process's own loopback address
        (:func:`~asyncio_server_spec.reference.kernel.loopback_address`) with an ephemeral port, or
        (Unix APIs) at a fresh path in the temp dir.  It becomes *the* server.

        What the loop raises is a divergence that says no server could be
        created (:class:`~.loop_errors.LoopRaised`; :meth:`attempt` keeps
        the loop's own exception)."""
        if api in servers.UNIX_APIS:
            kwargs.setdefault("path", self.temp_path("server.sock"))
        elif "sock" not in kwargs:
            kwargs.setdefault("host", kernel.loopback_address())
            kwargs.setdefault("port", 0)
        with calling(f"no server could be created with {api}()"):
            server = await within(
                servers.create(api, handler, self.record, **kwargs), "the server to be created"
            )
        return self.adopt(server, kwargs.get("path"))

    def adopt(self, server: asyncio.AbstractServer, address: Any = None) -> asyncio.AbstractServer:
        """Track a server made elsewhere; it becomes *the* server.  Its address
        is *address*, or else the first listening socket's (host, port)."""
        if server not in self.servers:
            self.servers.append(server)
        self.server = server
        if address is None:
            with calling("expected server.sockets to list sockets with an address"):
                listening = servers.listening_addresses(server)
            assert listening, (
                f"expected a new server to listen on a socket; its sockets are {server.sockets!r}"
            )
            address = listening[0][:2]
        self.address = address
        return server

    async def connect(self, address: Any = None, **kwargs: Any) -> Client:
        """Connect a client (to the server's address by default) and keep it for cleanup."""
        client = await Client.connect(address or self.address, **kwargs)
        self.clients.append(client)
        return client

    def client_group(self, size: int, address: Any = None) -> ClientGroup:
        """A :class:`~.load_clients.ClientGroup` of *size* clients
        (of the server's address by default), kept for cleanup."""
        group = ClientGroup(address or self.address, size)
        self.groups.append(group)
        return group

    @property
    def client(self) -> Client:
        """The most recently connected client."""
        assert self.clients, "precondition: expected a client connected in this scenario; none has"
        return self.clients[-1]

    async def attempt(
        self, awaitable: Awaitable[Any], what: str, timeout: float = DEFAULT_TIMEOUT, prompt: bool = False
    ) -> Any:
        """Await *awaitable* and keep what happened -- the result or the
        exception -- in :attr:`outcome` for a later step to check.  *prompt*:
        it should happen at once, so the wait ends early if it does not (see
        :func:`~asyncio_server_spec.reference.waiting.promptly`)."""
        try:
            self.outcome = await (promptly if prompt else within)(awaitable, what, timeout)
        except Exception as exc:  # the outcome *is* the observation
            self.outcome = unwrapped(exc)
        return self.outcome

    async def attempt_server(self, coro: Awaitable[Any], what: str) -> Any:
        """:meth:`attempt` to create a server; a server that was made after all
        is tracked, so cleanup closes it."""
        outcome = await self.attempt(coro, what)
        if is_server(outcome) and outcome not in self.servers:
            self.servers.append(outcome)
        return outcome

    def call_server(self, name: str, *args: Any, server: Any = None) -> Any:
        """``server.<name>(*args)`` of *server* (by default *the* server): what
        the loop raises calling it -- a native method raises with no frame of
        its own -- is its divergence (:func:`~.loop_errors.calling`)."""
        server = self.server if server is None else server
        with calling(f"expected server.{name}() to return; it raised"):
            return getattr(server, name)(*args)

    def server_awaitable(self, name: str, *args: Any, coroutine: bool = False) -> Any:
        """:meth:`call_server`, for a documented coroutine method: what it
        returns must be awaitable -- a coroutine if *coroutine* (a task is to
        run it) -- or the step fails saying what it returned."""
        returned = self.call_server(name, *args)
        wanted, ok = (
            ("a coroutine", asyncio.iscoroutine(returned))
            if coroutine
            else ("an awaitable", inspect.isawaitable(returned))
        )
        if not ok:
            if inspect.iscoroutine(returned):
                returned.close()
            raise AssertionError(
                f"expected server.{name}() to return {wanted}, as a coroutine method of asyncio's "
                f"does; it returned {type(returned).__module__}.{type(returned).__qualname__} {returned!r}"
            )
        return returned

    def track_task(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task:
        task = self.loop.create_task(coro)
        self.tasks.append(task)
        return task

    def close(self) -> list[str]:
        """Release everything (once); return the problems met, as strings."""
        if self.closed:
            return self.problems
        self.closed = True
        try:
            abort_all(self.clients)
            for group in self.groups:
                group.close()
        except Exception as exc:  # the client thread is ours: a failure here is a harness bug
            self.problems.append(f"the spec's client thread failed to drop its connections: {exc!r}")
        try:
            self.loop.run_until_complete(self._release())
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self._executor_joined = hasattr(self.loop, "shutdown_default_executor")
            if self._executor_joined:  # its threads (getaddrinfo) end here
                self.loop.run_until_complete(self.loop.shutdown_default_executor())
        finally:
            self._run_cleanups()  # (already run, unless the release failed)
            self.loop.close()
            if self._tmpdir is not None:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
            self.record.forget()
        if self.check_leaks:
            self._check_leaks()
        return self.problems

    def _check_leaks(self):
        """A scenario must leave no file descriptor or thread behind."""
        leaked = open_fds() - self._fds_before
        if leaked:
            self.problems.append(
                "expected every file descriptor the scenario opened to be "
                f"closed; {len(leaked)} left open: " + ", ".join(describe_fd(fd) for fd in sorted(leaked))
            )
        # (a loop without shutdown_default_executor() may leave its resolver threads to end later)
        extra = threading.active_count() - self._threads_before
        if self._executor_joined and extra > 0:
            self.problems.append(f"expected no thread left behind; {extra} still running")

    async def _bounded(self, awaitable, what):
        try:
            await within(awaitable, what, CLEANUP_TIMEOUT)
        except WaitTimeout as exc:
            self.problems.append(str(exc))
        except (ConnectionError, OSError):
            pass

    async def _release(self):
        self.record.release_all()
        # abort, not close: cleanup needs no orderly (TLS) shutdown, and must not wait for one
        transports = [w.transport for w in self.record.writers]  # the servers' sides
        for transport in transports + self.record.transports:
            try:
                transport.abort()
            except (AttributeError, RuntimeError):
                pass  # already closed all the way down
        for server in self.servers:
            try:
                server.close()
            except Exception as exc:  # a deviant close() must not stop the cleanup
                self.problems.append(f"server.close() raised {exc!r} during cleanup")
        await settle()  # the aborted transports' connection_lost() callbacks run
        # server.close() has already released the listening sockets; waiting
        # for wait_closed() here would only let a hanging one slow every scenario
        current = asyncio.current_task()
        leftovers = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
        for task in leftovers:
            task.cancel()
        if leftovers:
            await self._bounded(
                asyncio.gather(*leftovers, return_exceptions=True),
                f"{len(leftovers)} leftover task(s) to finish",
            )
        self._run_cleanups()

    def _run_cleanups(self):
        while self._cleanups:
            callback = self._cleanups.pop()
            try:
                callback()
            except Exception as exc:  # one failing callback must not stop the others
                self.problems.append(f"the scenario's cleanup of {callback!r} failed: {exc!r}")


def is_server(outcome: object) -> bool:
    """True if *outcome* looks like a server (it has sockets and close())."""
    return hasattr(outcome, "sockets") and hasattr(outcome, "close")


def open_fds() -> set[int]:
    """The process's open file descriptors (empty where /proc is not available)."""
    try:
        listed = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        return set()
    # the directory listing had an fd of its own, closed by now: keep live ones only
    return {fd for fd in listed if _is_open(fd)}


def _is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def describe_fd(fd: int) -> str:
    try:
        return f"{fd} -> {os.readlink(f'/proc/self/fd/{fd}')}"
    except OSError:
        return str(fd)


def warm_up(new_loop: Callable[[], asyncio.AbstractEventLoop], temp_root: str | None = None) -> None:
    """Exercise a first loop of the kind under test -- a TCP and a Unix server,
    a client echoed, a name resolved -- and release it, before any scenario.

    What a loop implementation makes once and keeps for the whole process (an
    eventfd, a resolver thread) then exists before the first scenario's leak
    baseline is taken, so no scenario is blamed for it.  Best effort: what
    fails here is left for the scenarios to find.
    """
    world = World(new_loop, check_leaks=False, temp_root=temp_root)

    async def exercise():
        await world.start("start_server")
        client = await world.connect()
        await client.echo(b"warm-up\n")
        await world.start("start_unix_server")
        await world.loop.getaddrinfo("localhost", 0)

    try:
        world.loop.run_until_complete(within(exercise(), "the warm-up", CLEANUP_TIMEOUT))
    except Exception:  # the scenarios report what is wrong
        pass
    finally:
        try:
            world.close()
        except Exception:
            pass
