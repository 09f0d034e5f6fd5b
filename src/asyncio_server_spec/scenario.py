"""What one scenario owns -- its event loop, servers, clients, tasks, temp dir --
and the cleanup that releases all of it, even after a failed step."""

import asyncio
import os
import shutil
import tempfile
import threading

from . import servers
from .client import Client
from .record import ServerRecord
from .waiting import DEFAULT_TIMEOUT, WaitTimeout, settle, within

#: Seconds cleanup may spend on one wait (a hanging server must not hang the run).
CLEANUP_TIMEOUT = 2.0


class Scenario:
    """Resources of one scenario, created fresh and released by :meth:`close`."""

    def __init__(self, new_loop, check_leaks=True):
        self.check_leaks = check_leaks
        self._threads_before = threading.active_count()
        self.loop = new_loop()
        # after the loop exists: what a loop implementation keeps for the whole
        # process (uvloop's wakeup pipe) is not this scenario's to release
        self._fds_before = open_fds()
        asyncio.set_event_loop(self.loop)
        self.record = ServerRecord()
        self.servers = []
        self.clients = []
        self.tasks = []
        self.problems = []
        self._executor_joined = False
        self.server = None
        self.address = None
        self.outcome = None
        self._tmpdir = None

    def temp_path(self, name):
        """A path in a private temp dir (short, so Unix socket paths fit)."""
        if self._tmpdir is None:
            self._tmpdir = tempfile.mkdtemp(prefix="ass-")
        return "{}/{}".format(self._tmpdir, name)

    # -- servers and clients the steps act on -----------------------------------
    async def start(self, api="start_server", handler="echo", **kwargs):
        """Create a server; by default on 127.0.0.1 with an ephemeral port, or
        (Unix APIs) at a fresh path in the temp dir.  It becomes *the* server."""
        if api in servers.UNIX_APIS:
            kwargs.setdefault("path", self.temp_path("server.sock"))
        elif "sock" not in kwargs:
            kwargs.setdefault("host", "127.0.0.1")
            kwargs.setdefault("port", 0)
        server = await within(
            servers.create(api, handler, self.record, **kwargs), "the server to be created"
        )
        return self.adopt(server, kwargs.get("path"))

    def adopt(self, server, address=None):
        """Track a server made elsewhere; it becomes *the* server.  Its address
        is *address*, or else the first listening socket's (host, port)."""
        self.servers.append(server)
        self.server = server
        self.address = address or servers.listening_addresses(server)[0][:2]
        return server

    async def connect(self, address=None, **kwargs):
        """Connect a client (to the server's address by default) and keep it for cleanup."""
        client = await Client.connect(address or self.address, **kwargs)
        self.clients.append(client)
        return client

    @property
    def client(self):
        """The most recently connected client."""
        assert self.clients, "no client has connected in this scenario"
        return self.clients[-1]

    async def attempt(self, awaitable, what, timeout=DEFAULT_TIMEOUT):
        """Await *awaitable* and keep what happened -- the result or the
        exception -- in :attr:`outcome` for a later step to check."""
        try:
            self.outcome = await within(awaitable, what, timeout)
        except Exception as exc:  # the outcome *is* the observation
            self.outcome = exc
        return self.outcome

    def track_task(self, coro):
        task = self.loop.create_task(coro)
        self.tasks.append(task)
        return task

    def close(self):
        """Release everything; return the problems met (timeouts) as strings."""
        try:
            self.loop.run_until_complete(self._release())
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self._executor_joined = hasattr(self.loop, "shutdown_default_executor")
            if self._executor_joined:  # its threads (getaddrinfo) end here
                self.loop.run_until_complete(self.loop.shutdown_default_executor())
        finally:
            asyncio.set_event_loop(None)
            self.loop.close()
            if self._tmpdir is not None:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
        if self.check_leaks:
            self._check_leaks()
        return self.problems

    def _check_leaks(self):
        """A scenario must leave no file descriptor or thread behind."""
        leaked = open_fds() - self._fds_before
        if leaked:
            self.problems.append("left {} file descriptor(s) open: {}".format(
                len(leaked), ", ".join(describe_fd(fd) for fd in sorted(leaked))))
        # (a loop without shutdown_default_executor() may leave its resolver threads to end later)
        if self._executor_joined and threading.active_count() > self._threads_before:
            self.problems.append("left {} thread(s) running".format(
                threading.active_count() - self._threads_before))

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
        transports = [c.writer.transport for c in self.clients]
        transports += [w.transport for w in self.record.writers]  # the servers' sides
        for transport in transports + self.record.transports:
            try:
                transport.abort()
            except (AttributeError, RuntimeError):
                pass  # already closed all the way down
        for server in self.servers:
            try:
                server.close()
            except Exception as exc:  # a deviant close() must not stop the cleanup
                self.problems.append("server.close() raised {!r}".format(exc))
        for client in self.clients:
            await self._bounded(client.writer.wait_closed(), "a client connection to close during cleanup")
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
                "{} leftover task(s) to finish".format(len(leftovers)),
            )


def open_fds():
    """The process's open file descriptors (empty where /proc is not available)."""
    try:
        listed = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        return set()
    # the directory listing had an fd of its own, closed by now: keep live ones only
    return set(fd for fd in listed if _is_open(fd))


def _is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def describe_fd(fd):
    try:
        return "{} -> {}".format(fd, os.readlink("/proc/self/fd/{}".format(fd)))
    except OSError:
        return str(fd)
