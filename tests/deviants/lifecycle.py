"""Deviants of the server lifecycle: serving, serve_forever, close, wait_closed, async with."""

import asyncio
import os
import socket

from . import Catch, deviant_loop, tracked_clients


class _CloseKeepsListening:
    def close(self):
        # keep a duplicate of every listening socket open: the kernel still
        # completes handshakes into the backlog, though nothing accepts them
        self._kept = [socket.socket(fileno=os.dup(sock.fileno())) for sock in self.sockets]
        super().close()


class _CloseDropsClients:
    def close(self):
        super().close()
        for transport in tracked_clients(self):
            transport.abort()


class _StartServingDoesNothing:
    async def start_serving(self):
        return None


class _IsServingAlwaysTrue:
    def is_serving(self):
        return True


class _ServeForeverNeverCloses:
    async def serve_forever(self):
        await self.start_serving()
        await asyncio.get_running_loop().create_future()  # cancelled: just ends


class _ServeForeverAllowsTwo:
    async def serve_forever(self):
        await self.start_serving()
        try:
            await asyncio.get_running_loop().create_future()
        finally:
            self.close()


class _SocketsCountClients:
    @property
    def sockets(self):
        listening = super().sockets
        return tuple(listening) + tuple(
            t.get_extra_info("socket") for t in tracked_clients(self)
        )


class _SocketsKeptAfterClose:
    def close(self):
        self._before_close = super().sockets
        super().close()

    @property
    def sockets(self):
        return getattr(self, "_before_close", None) or super().sockets


class _WaitClosedNeverReturns:
    async def wait_closed(self):
        await asyncio.get_running_loop().create_future()


class _WaitClosedReturnsAtOnce:
    async def wait_closed(self):
        return None


class _AexitLeavesOpen:
    async def __aexit__(self, *exc_info):
        return None


class _ReprAsList:
    def __repr__(self):
        return "<Server sockets={!r}>".format(list(self.sockets))


def _serving_forced_on(kwargs):
    kwargs["start_serving"] = True
    return kwargs


def _bind_elsewhere(kwargs):
    if kwargs.get("host") == "127.0.0.1":
        kwargs["host"] = "127.0.0.2"
    return kwargs


close_keeps_listening = deviant_loop(_CloseKeepsListening)
close_drops_clients = deviant_loop(_CloseDropsClients)
start_serving_off_ignored = deviant_loop(adjust_kwargs=_serving_forced_on)
start_serving_does_nothing = deviant_loop(_StartServingDoesNothing)
is_serving_always_true = deviant_loop(_IsServingAlwaysTrue)
serve_forever_never_closes = deviant_loop(_ServeForeverNeverCloses)
serve_forever_allows_two = deviant_loop(_ServeForeverAllowsTwo)
sockets_count_clients = deviant_loop(_SocketsCountClients)
sockets_kept_after_close = deviant_loop(_SocketsKeptAfterClose)
wait_closed_never_returns = deviant_loop(_WaitClosedNeverReturns)
wait_closed_returns_at_once = deviant_loop(_WaitClosedReturnsAtOnce)
aexit_leaves_open = deviant_loop(_AexitLeavesOpen)
repr_as_list = deviant_loop(_ReprAsList)
binds_another_host = deviant_loop(adjust_kwargs=_bind_elsewhere)


CATCHES = [
    Catch("close_keeps_listening", "closing.stops-new-connections", "serving.not-serving-after-close"),
    Catch("close_drops_clients", "closing.leaves-clients-open", "sockets.empty-after-close"),
    Catch("start_serving_off_ignored", "serving.off-refuses-clients-start_server",
          "serving.off-refuses-clients-create_unix_server"),
    Catch("start_serving_does_nothing", "serving.start-serving-starts", "serving.start-serving-twice"),
    Catch("is_serving_always_true", "serving.not-serving-after-close", "closing.stops-new-connections"),
    Catch("serve_forever_never_closes", "serve-forever.cancel-closes-server"),
    Catch("serve_forever_allows_two", "serve-forever.second-call-runtime-error"),
    Catch("sockets_count_clients", "sockets.not-clients"),
    Catch("sockets_kept_after_close", "sockets.empty-after-close", "async-with.exit-closes"),
    Catch("wait_closed_never_returns", "closing.wait-closed-no-clients"),
    Catch("wait_closed_returns_at_once", "closing.wait-closed-waits-for-client",
          min_python=(3, 12, 1)),
    Catch("aexit_leaves_open", "async-with.exit-closes"),
    Catch("repr_as_list", "creating.repr-numbers", "sockets.repr-empty-after-close",
          min_python=(3, 11)),
    Catch("binds_another_host", "creating.listens-on-host-asked"),
]
