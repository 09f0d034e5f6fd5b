"""Deviants of the server lifecycle: serving, serve_forever, close, wait_closed, async with."""

import asyncio
import os
import socket

from . import deviant, deviant_loop, tracked_clients

#: Where a cancelled serve_forever() waits for its clients (the tags of
#: serve-forever.cancel-waits-for-client; gh-123720 ended it in 3.13.15 and 3.14.7).
WAITS_FOR_CLIENTS_ON_CANCEL = ("3.12.1..3.12", "3.13.0..3.13.14", "3.14.0..3.14.6")


@deviant(
    "close_keeps_listening",
    "closing.stops-new-connections",
    "serving.not-serving-after-close",
    also=(
        "closing.refuses-before-any-await",
        "closing.wait-closed-no-clients",
        "serving.off-refuses-clients-create_server",
        "serving.off-refuses-clients-create_unix_server",
        "serving.off-refuses-clients-start_server",
        "serving.off-refuses-clients-start_unix_server",
        "serving.serves-by-default",
        "serving.start-serving-after-close-known-bug",
        "serving.start-serving-on-serving-server",
        "serving.start-serving-starts",
        "serving.start-serving-twice",
    ),
)
class _CloseKeepsListening:
    def close(self):
        # keep a duplicate of every listening socket open: the kernel still
        # completes handshakes into the backlog, though nothing accepts them
        self._kept = [socket.socket(fileno=os.dup(sock.fileno())) for sock in self.sockets]
        super().close()


@deviant(
    "close_drops_clients",
    "closing.leaves-clients-open",
    "sockets.empty-after-close",
    "tutorial.close-keeps-clients",
    also=(
        "closing.wait-closed-before-close-waits-for-clients",
        "closing.wait-closed-returns-with-client",
        "closing.wait-closed-waits-for-client",
        "tutorial.async-with-serve-forever-cancelled-waits-for-client",
        "tutorial.async-with-serve-forever-cancelled-with-client-ends-at-once",
        "tutorial.wait-closed-returns-with-clients",
        "tutorial.wait-closed-waits-for-clients",
    ),
)
class _CloseDropsClients:
    def close(self):
        super().close()
        for transport in tracked_clients(self):
            transport.abort()


@deviant(
    "close_twice_raises",
    "closing.close-twice",
    also=(
        "closing.leaves-clients-open",
        "closing.refuses-before-any-await",
        "closing.stops-new-connections",
        "closing.wait-closed-before-close-waits-for-clients",
        "closing.wait-closed-before-close-waits-for-close",
        "closing.wait-closed-no-clients",
        "closing.wait-closed-returns-with-client",
        "closing.wait-closed-waits-for-client",
    ),
)
class _CloseTwiceRaises:
    def close(self):
        if getattr(self, "_closed_once", False):
            raise RuntimeError("this server is already closed")
        self._closed_once = True
        super().close()


@deviant(
    "start_serving_does_nothing",
    "serving.start-serving-starts",
    "serving.start-serving-twice",
    also=("serving.start-serving-after-close-known-bug",),
)
class _StartServingDoesNothing:
    async def start_serving(self):
        return None


@deviant(
    "is_serving_always_true",
    "serving.not-serving-after-close",
    "closing.stops-new-connections",
    also=(
        "closing.refuses-before-any-await",
        "serving.off-refuses-clients-create_server",
        "serving.off-refuses-clients-create_unix_server",
        "serving.off-refuses-clients-start_server",
        "serving.off-refuses-clients-start_unix_server",
        "serving.off-then-closed-not-serving",
    ),
)
class _IsServingAlwaysTrue:
    def is_serving(self):
        return True


@deviant(
    "serve_forever_never_closes",
    "serve-forever.cancel-closes-server",
    also=(
        "serve-forever.cancel-closes-clients",
        "serve-forever.cancel-waits-for-client",
        "serve-forever.cancel-with-client-ends-at-once",
        "serve-forever.close-ends-it",
        "serve-forever.closed-server-runtime-error",
        "serve-forever.second-call-runtime-error",
    ),
)
class _ServeForeverNeverCloses:
    async def serve_forever(self):
        await self.start_serving()
        await asyncio.get_running_loop().create_future()  # cancelled: just ends


@deviant(
    "serve_forever_allows_two",
    "serve-forever.second-call-runtime-error",
    also=(
        "serve-forever.cancel-closes-clients",
        "serve-forever.cancel-waits-for-client",
        "serve-forever.close-ends-it",
        "serve-forever.closed-server-runtime-error",
    ),
)
class _ServeForeverAllowsTwo:
    async def serve_forever(self):
        await self.start_serving()
        try:
            await asyncio.get_running_loop().create_future()
        finally:
            self.close()


@deviant(
    "sockets_count_clients",
    "sockets.not-clients",
    "tutorial.sockets-are-not-clients",
    also=("sockets.empty-after-close",),
)
class _SocketsCountClients:
    @property
    def sockets(self):
        listening = super().sockets
        return tuple(listening) + tuple(t.get_extra_info("socket") for t in tracked_clients(self))


@deviant(
    "sockets_kept_after_close",
    "sockets.empty-after-close",
    "async-with.exit-closes",
    also=(
        "async-with.exit-by-exception-closes",
        "sockets.empty-tuple-after-close",
        "sockets.repr-empty-after-close",
    ),
)
class _SocketsKeptAfterClose:
    def close(self):
        self._before_close = super().sockets
        super().close()

    @property
    def sockets(self):
        return getattr(self, "_before_close", None) or super().sockets


@deviant(
    "wait_closed_never_returns",
    "closing.wait-closed-no-clients",
    also=(
        "closing.wait-closed-before-close-waits-for-clients",
        "closing.wait-closed-before-close-waits-for-close",
        "closing.wait-closed-returns-with-client",
        "closing.wait-closed-waits-for-client",
    ),
)
class _WaitClosedNeverReturns:
    async def wait_closed(self):
        await asyncio.get_running_loop().create_future()


@deviant(
    "wait_closed_returns_at_once",
    "closing.wait-closed-waits-for-client",
    "tutorial.wait-closed-waits-for-clients",
    python=">=3.12.1",
    also=(
        "closing.wait-closed-before-close-waits-for-clients",
        "closing.wait-closed-before-close-waits-for-close",
    ),
)
@deviant(
    "wait_closed_returns_at_once",
    "tutorial.async-with-serve-forever-cancelled-waits-for-client",
    python_ranges=WAITS_FOR_CLIENTS_ON_CANCEL,
)
class _WaitClosedReturnsAtOnce:
    async def wait_closed(self):
        return None


@deviant(
    "aexit_leaves_open",
    "async-with.exit-closes",
    "tutorial.async-with-closes",
    also=(
        "async-with.exit-by-exception-closes",
        "async-with.exit-returns-with-client",
        "async-with.exit-waits-for-client",
    ),
)
class _AexitLeavesOpen:
    async def __aexit__(self, *exc_info):
        return None


@deviant("aexit_closes_only_on_success", "async-with.exit-by-exception-closes")
class _AexitClosesOnlyOnSuccess:
    async def __aexit__(self, exc_type, exc, tb):
        if exc_type is None:
            return await super().__aexit__(exc_type, exc, tb)
        return None  # the exception propagates; the server stays open


@deviant("repr_as_list", "creating.repr-numbers", "sockets.repr-empty-after-close", python=">=3.11")
class _ReprAsList:
    def __repr__(self):
        return f"<Server sockets={list(self.sockets)!r}>"


@deviant("get_loop_wrong", "server.get-loop")
class _GetLoopWrong:
    def get_loop(self):
        return asyncio.get_event_loop_policy()  # anything but the server's loop


@deviant("close_later", "closing.refuses-before-any-await")
class _CloseLater:
    def close(self):
        # stop listening only on the next loop iteration
        self.get_loop().call_soon(super().close)


@deviant(
    "wait_closed_ignores_open_server",
    "closing.wait-closed-before-close-waits-for-close",
    also=("closing.wait-closed-before-close-waits-for-clients",),
)
class _WaitClosedIgnoresOpenServer:
    async def wait_closed(self):
        if self._sockets is not None:  # not closed yet: do not wait
            return
        await super().wait_closed()


@deviant(
    "wait_closed_ignores_clients",
    "closing.wait-closed-before-close-waits-for-clients",
    also=("closing.wait-closed-waits-for-client",),
)
class _WaitClosedIgnoresClients:
    """wait_closed() waits for close() only, never for client connections."""

    def _closed_future(self):
        if getattr(self, "_deviant_closed", None) is None:
            self._deviant_closed = self.get_loop().create_future()
            if self._sockets is None:
                self._deviant_closed.set_result(None)
        return self._deviant_closed

    def close(self):
        super().close()
        if not self._closed_future().done():
            self._closed_future().set_result(None)

    async def wait_closed(self):
        await self._closed_future()


@deviant("serve_forever_on_closed_hangs", "serve-forever.closed-server-runtime-error")
class _ServeForeverOnClosedHangs:
    async def serve_forever(self):
        if self._sockets is None:
            await self.get_loop().create_future()
        await super().serve_forever()


@deviant("serve_forever_ignores_close", "serve-forever.close-ends-it")
class _ServeForeverIgnoresClose:
    def close(self):
        # hide the future serve_forever() waits on, so close() leaves it alone
        future, self._serving_forever_fut = self._serving_forever_fut, None
        super().close()
        self._serving_forever_fut = future


async def _until_no_clients(server):
    while tracked_clients(server):
        await asyncio.sleep(0.01)


@deviant(
    "serve_forever_cancel_waits_for_clients", "serve-forever.cancel-with-client-ends-at-once", python="<=3.11"
)
class _ServeForeverCancelWaitsForClients:
    async def serve_forever(self):
        try:
            await super().serve_forever()
        except asyncio.CancelledError:
            await _until_no_clients(self)
            raise


@deviant(
    "serve_forever_cancel_ends_at_once",
    "serve-forever.cancel-waits-for-client",
    python_ranges=WAITS_FOR_CLIENTS_ON_CANCEL,
)
class _ServeForeverCancelEndsAtOnce:
    async def serve_forever(self):
        # the real serve_forever() runs on in the background, closing the
        # server and waiting for its clients; the caller is not held up
        inner = asyncio.ensure_future(super().serve_forever())
        try:
            await asyncio.shield(inner)
        except asyncio.CancelledError:
            inner.cancel()
            raise


@deviant(
    "serve_forever_cancel_leaves_clients",
    "serve-forever.cancel-closes-clients",
    "tutorial.async-with-serve-forever-cancelled-closes-clients",
    python=">=3.13.15, <3.14 or >=3.14.7",
)
class _ServeForeverCancelLeavesClients:
    """A cancelled serve_forever() closes the server and waits for its
    clients without closing them (as up to 3.13.14 and 3.14.6)."""

    def _serving_forever_tasks(self):
        if getattr(self, "_deviant_forever_tasks", None) is None:
            self._deviant_forever_tasks = set()
        return self._deviant_forever_tasks

    async def serve_forever(self):
        task = asyncio.current_task()
        self._serving_forever_tasks().add(task)
        try:
            await super().serve_forever()
        finally:
            self._serving_forever_tasks().discard(task)

    def close_clients(self):
        tasks = self._serving_forever_tasks()
        task = asyncio.current_task() if tasks else None  # a step may call it with no loop running
        if task in tasks and task.cancelling():
            return  # called by serve_forever() on its cancellation: leave the clients
        super().close_clients()


@deviant("handlers_in_serving_task_context", "serve-forever.handler-context-from-creation", python=">=3.15")
class _HandlersInServingTaskContext:
    """Connections run in the context of the task that starts serving, not in
    the one the server was created in (as before 3.15)."""

    def _start_serving(self):
        # no creation context: the listening sockets' reader callbacks, and so
        # the connections' tasks, take the context current when serving starts
        self._context = None
        super()._start_serving()


@deviant("start_serving_refuses_when_closed", "serving.start-serving-after-close-known-bug")
class _StartServingRefusesWhenClosed:
    async def start_serving(self):
        if self._sockets is None:
            raise RuntimeError(f"server {self!r} is closed")
        await super().start_serving()


@deviant(
    "sockets_internal_list",
    "sockets.fresh-tuple-each-access",
    also=(
        "sockets.empty-tuple-after-close",
        "sockets.repr-empty-after-close",
        "sockets.transport-socket-wrappers",
    ),
)
class _SocketsInternalList:
    @property
    def sockets(self):
        return self._sockets if self._sockets is not None else []


@deviant(
    "sockets_none_after_close",
    "sockets.empty-tuple-after-close",
    also=("sockets.empty-after-close", "sockets.repr-empty-after-close"),
)
class _SocketsNoneAfterClose:
    @property
    def sockets(self):
        return None if self._sockets is None else super().sockets


@deviant("sockets_raw", "sockets.transport-socket-wrappers")
class _SocketsRaw:
    @property
    def sockets(self):
        return tuple(self._sockets or ())


@deviant("aenter_starts_serving", "async-with.entering-does-not-start")
class _AenterStartsServing:
    async def __aenter__(self):
        await self.start_serving()
        return self


@deviant("aexit_waits_for_clients", "async-with.exit-returns-with-client", python="<=3.11")
class _AexitWaitsForClients:
    async def __aexit__(self, *exc_info):
        self.close()
        await _until_no_clients(self)


@deviant("aexit_does_not_wait", "async-with.exit-waits-for-client", python=">=3.12.1")
class _AexitDoesNotWait:
    async def __aexit__(self, *exc_info):
        self.close()


@deviant(
    "has_client_methods",
    "clients.no-close_clients-before-3-13",
    "clients.no-abort_clients-before-3-13",
    python="<=3.12",
)
class _HasClientMethods:
    """close_clients()/abort_clients() on every version (as before 3.13 they were not)."""

    def close_clients(self):
        for transport in tracked_clients(self):
            transport.close()

    def abort_clients(self):
        for transport in tracked_clients(self):
            transport.abort()


@deviant("close_clients_aborts", "clients.close-clients-flushes", python=">=3.13")
class _CloseClientsAborts:
    def close_clients(self):
        super().abort_clients()


@deviant("abort_clients_flushes", "clients.abort-clients-drops-unsent", python=">=3.13")
class _AbortClientsFlushes:
    def abort_clients(self):
        super().close_clients()


@deviant(
    "client_methods_close_server",
    "clients.close_clients-keeps-serving",
    "clients.abort_clients-keeps-serving",
    python=">=3.13",
)
class _ClientMethodsCloseServer:
    def close_clients(self):
        self.close()
        super().close_clients()

    def abort_clients(self):
        self.close()
        super().abort_clients()


def _serving_forced_on(kwargs):
    kwargs["start_serving"] = True
    return kwargs


def _bind_elsewhere(kwargs):
    if kwargs.get("host") == "127.0.0.1":
        kwargs["host"] = "127.0.0.2"
    return kwargs


deviant(
    "start_serving_off_ignored",
    "serving.off-refuses-clients-start_server",
    "serving.off-refuses-clients-create_unix_server",
    "tutorial.start-serving-later",
    "tutorial.is-serving-states",
    also=("serving.off-refuses-clients-create_server", "serving.off-refuses-clients-start_unix_server"),
)(deviant_loop(adjust_kwargs=_serving_forced_on))
deviant("binds_another_host", "creating.listens-on-host-asked", also=("creating.port-0-picks-free-port",))(
    deviant_loop(adjust_kwargs=_bind_elsewhere)
)
