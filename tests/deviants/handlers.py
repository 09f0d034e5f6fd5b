"""Deviants of connection handlers (client_connected_cb of start_server), and
servers that behave the way the seed tutorial says where it is wrong.

The handler deviants change stream handling itself, so each factory patches
asyncio.streams once (a deviant run is a process of its own) and returns a
plain new loop.  Only server-side protocols -- those made with a
client_connected_cb -- are changed; the spec's clients keep the real
behaviour.  The tutorial deviants are ordinary deviant_loop servers.
"""

import asyncio
import asyncio.streams as streams
import functools

from . import Catch, deviant_loop, tracked_clients

_applied = set()


def _patch_once(name, apply):
    if name not in _applied:
        _applied.add(name)
        apply()


def _wrapping_callbacks(wrap):
    """Patch StreamReaderProtocol so a server's callback is ``wrap(callback)``."""

    def apply():
        cls = streams.StreamReaderProtocol
        original = cls.__init__

        @functools.wraps(original)
        def __init__(self, stream_reader, client_connected_cb=None, *args, **kwargs):
            if client_connected_cb is not None:
                client_connected_cb = wrap(client_connected_cb)
            original(self, stream_reader, client_connected_cb, *args, **kwargs)

        cls.__init__ = __init__

    return apply


def _wrapping_coroutines(around):
    """Callbacks whose coroutines run as ``around(coroutine, reader, writer)``."""

    def wrap(callback):
        def callback_wrapper(reader, writer):
            result = callback(reader, writer)
            if asyncio.iscoroutine(result):
                return around(result, reader, writer)
            return result

        return callback_wrapper

    return _wrapping_callbacks(wrap)


def _factory(name, apply):
    def factory():
        _patch_once(name, apply)
        return asyncio.new_event_loop()

    factory.__name__ = factory.__qualname__ = name
    return factory


# -- a coroutine handler driven inline, not as a Task ------------------------------------
def _drive(coro):
    """Step *coro* by hand from loop callbacks: it runs, but in no Task."""
    loop = asyncio.get_event_loop()

    def step(_ignored=None):
        try:
            yielded = coro.send(None)
        except StopIteration:
            return
        except Exception as exc:
            loop.call_exception_handler({"message": "inline handler failed", "exception": exc})
            return
        if yielded is None:
            loop.call_soon(step)
        else:
            yielded._asyncio_future_blocking = False
            yielded.add_done_callback(step)

    step()


def _not_as_task(callback):
    def inline(reader, writer):
        result = callback(reader, writer)
        if asyncio.iscoroutine(result):
            _drive(result)
            return None
        return result

    return inline


def _plain_swapped(callback):
    if asyncio.iscoroutinefunction(callback):
        return callback  # coroutine handlers keep the real order
    return lambda reader, writer: callback(writer, reader)


# -- coroutine wrappers -----------------------------------------------------------------------
async def _swallow_errors(coro, reader, writer):
    try:
        await coro
    except Exception:
        pass


async def _close_and_report_errors(coro, reader, writer):
    try:
        await coro
    except Exception as exc:
        asyncio.get_event_loop().call_exception_handler({
            "message": "Unhandled exception in client_connected_cb",
            "exception": exc,
            "transport": writer.transport,
        })
        writer.transport.close()


async def _close_on_cancel(coro, reader, writer):
    try:
        await coro
    except asyncio.CancelledError:
        writer.transport.close()
        raise


async def _swallow_cancel(coro, reader, writer):
    try:
        await coro
    except asyncio.CancelledError:
        pass


async def _close_after_return(coro, reader, writer):
    await coro
    writer.close()


# -- other stream patches ------------------------------------------------------------------
_kept_writers = []


def _keep_writers_alive():
    cls = streams.StreamWriter
    original = cls.__init__

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        _kept_writers.append(self)

    cls.__init__ = __init__


def _server_reader_misses_eof():
    cls = streams.StreamReaderProtocol
    original = cls.eof_received

    def eof_received(self):
        if self._client_connected_cb is not None:
            return True  # keep the transport, but never tell the reader
        return original(self)

    cls.eof_received = eof_received


def _peername_is_own_address():
    cls = streams.StreamWriter
    original = cls.get_extra_info

    def get_extra_info(self, name, default=None):
        if name == "peername":
            name = "sockname"
        return original(self, name, default)

    cls.get_extra_info = get_extra_info


handler_not_a_task = _factory("handler_not_a_task", _wrapping_callbacks(_not_as_task))
plain_handler_arguments_swapped = _factory(
    "plain_handler_arguments_swapped", _wrapping_callbacks(_plain_swapped))
handler_errors_swallowed = _factory(
    "handler_errors_swallowed", _wrapping_coroutines(_swallow_errors))
handler_errors_close_and_report = _factory(
    "handler_errors_close_and_report", _wrapping_coroutines(_close_and_report_errors))
cancelled_handler_closes = _factory(
    "cancelled_handler_closes", _wrapping_coroutines(_close_on_cancel))
cancellation_swallowed = _factory(
    "cancellation_swallowed", _wrapping_coroutines(_swallow_cancel))
writer_closed_after_handler = _factory(
    "writer_closed_after_handler", _wrapping_coroutines(_close_after_return))
writers_kept_alive = _factory("writers_kept_alive", _keep_writers_alive)
server_reader_misses_eof = _factory("server_reader_misses_eof", _server_reader_misses_eof)
peername_is_own_address = _factory("peername_is_own_address", _peername_is_own_address)


# -- servers as the tutorial pictures them --------------------------------------------
class _SocketsListClients:
    @property
    def sockets(self):
        return tuple(super().sockets) + tuple(
            t.get_extra_info("socket") for t in tracked_clients(self))


class _WaitClosedWaitsForClients:
    async def wait_closed(self):
        await super().wait_closed()
        while tracked_clients(self):  # a deviant may poll; the spec never does
            await asyncio.sleep(0.01)


class _WaitClosedIgnoresClients:
    async def wait_closed(self):
        return None


class _ReprOtherStyle:
    _STYLES = ("family=2, type=1", "family=AddressFamily.AF_INET, type=SocketKind.SOCK_STREAM")

    def __repr__(self):
        text = super().__repr__()
        new, old = self._STYLES
        if new in text:
            return text.replace(new, old)
        return text.replace(old, new)


class _AexitLeavesOpen:
    async def __aexit__(self, *exc_info):
        return None


class _ServeForeverIgnoresClose:
    async def serve_forever(self):
        await self.start_serving()
        await asyncio.get_running_loop().create_future()  # close() does not end it


class _LeftOpenEverywhere(_AexitLeavesOpen, _ServeForeverIgnoresClose):
    pass


class _CloseAbortsClients:
    def close(self):
        super().close()
        for transport in tracked_clients(self):
            transport.abort()


def _no_host_means_loopback(kwargs):
    if kwargs.get("host") is None and kwargs.get("sock") is None and "path" not in kwargs:
        kwargs["host"] = "127.0.0.1"
    return kwargs


def _start_serving_always(kwargs):
    kwargs["start_serving"] = True
    return kwargs


def _start_serving_never(kwargs):
    kwargs["start_serving"] = False
    return kwargs


def hand_made_server():
    """Servers of a class of their own, not asyncio's Server."""
    loop = asyncio.new_event_loop()
    create = loop.create_server

    async def create_server(*args, **kwargs):
        server = await create(*args, **kwargs)
        server.__class__ = type("HandMadeServer", (type(server),), {})
        return server

    loop.create_server = create_server
    return loop


no_host_means_loopback = deviant_loop(adjust_kwargs=_no_host_means_loopback)
sockets_list_clients = deviant_loop(_SocketsListClients)
wait_closed_waits_for_clients = deviant_loop(_WaitClosedWaitsForClients)
wait_closed_ignores_clients = deviant_loop(_WaitClosedIgnoresClients)
repr_other_style = deviant_loop(_ReprOtherStyle)
aexit_leaves_server_open = deviant_loop(_AexitLeavesOpen)
serve_forever_ignores_close = deviant_loop(_ServeForeverIgnoresClose)
server_left_open_everywhere = deviant_loop(_LeftOpenEverywhere)
close_aborts_clients = deviant_loop(_CloseAbortsClients)
start_serving_off_ignored = deviant_loop(adjust_kwargs=_start_serving_always)
never_serves_at_once = deviant_loop(adjust_kwargs=_start_serving_never)


CATCHES = [
    Catch("handler_not_a_task", "handlers.coroutine-runs-as-task"),
    Catch("plain_handler_arguments_swapped", "handlers.plain-function-is-called",
          "tutorial.handler-may-be-plain-function"),
    # the error vanishes: no report, no closing
    Catch("handler_errors_swallowed", "handlers.raise-never-retrieved", max_python=(3, 9)),
    Catch("handler_errors_swallowed", "handlers.raise-reported-and-closed-py311",
          min_python=(3, 11, 7), max_python=(3, 11)),
    Catch("handler_errors_swallowed", "handlers.raise-reported-and-closed-py312up",
          min_python=(3, 12, 1)),
    # the 3.11.7+ treatment on versions before it
    Catch("handler_errors_close_and_report", "handlers.raise-never-retrieved",
          max_python=(3, 9)),
    Catch("handler_errors_close_and_report", "handlers.raise-unreported",
          min_python=(3, 10, 7), max_python=(3, 11, 6)),
    # the 3.11.8+/3.12.2+ closing on versions before it
    Catch("cancelled_handler_closes", "handlers.cancelled-left-open", max_python=(3, 11, 6)),
    Catch("cancelled_handler_closes", "handlers.cancelled-spurious-report-py311",
          min_python=(3, 11, 7), max_python=(3, 11, 7)),
    Catch("cancelled_handler_closes", "handlers.cancelled-spurious-report-py312",
          min_python=(3, 12, 1), max_python=(3, 12, 1)),
    # the task looks finished, not cancelled: no report, no closing
    Catch("cancellation_swallowed", "handlers.cancelled-spurious-report-py311",
          min_python=(3, 11, 7), max_python=(3, 11, 7)),
    Catch("cancellation_swallowed", "handlers.cancelled-spurious-report-py312",
          min_python=(3, 12, 1), max_python=(3, 12, 1)),
    Catch("cancellation_swallowed", "handlers.cancelled-closed-py311",
          min_python=(3, 11, 8), max_python=(3, 11)),
    Catch("cancellation_swallowed", "handlers.cancelled-closed-py312up",
          min_python=(3, 12, 2)),
    Catch("writer_closed_after_handler", "handlers.unclosed-writer-stays-open",
          "tutorial.pass-handler-leaves-client-connected", max_python=(3, 12)),
    Catch("writer_closed_after_handler", "handlers.unclosed-writer-closed-when-dropped",
          min_python=(3, 13)),
    Catch("writers_kept_alive", "handlers.unclosed-writer-closed-when-dropped",
          "tutorial.pass-handler-connection-closed", min_python=(3, 13)),
    Catch("server_reader_misses_eof", "handlers.reader-sees-eof"),
    Catch("peername_is_own_address", "handlers.peername-is-client"),
    # the tutorial's claims
    Catch("no_host_means_loopback", "tutorial.no-host-every-interface"),
    Catch("sockets_list_clients", "tutorial.sockets-are-not-clients"),
    Catch("wait_closed_waits_for_clients", "tutorial.wait-closed-returns-with-clients",
          "tutorial.async-with-serve-forever-cancelled-with-client-ends-at-once",
          max_python=(3, 11)),
    Catch("wait_closed_ignores_clients", "tutorial.wait-closed-waits-for-clients",
          "tutorial.async-with-serve-forever-cancelled-waits-for-client",
          min_python=(3, 12, 1)),
    Catch("repr_other_style", "tutorial.repr-enum-names", max_python=(3, 10)),
    Catch("repr_other_style", "tutorial.repr-numbers", min_python=(3, 11)),
    Catch("aexit_leaves_server_open", "tutorial.async-with-closes"),
    Catch("serve_forever_ignores_close", "tutorial.serve-forever-runs-until-cancelled",
          "tutorial.serve-forever-ends-on-close"),
    Catch("server_left_open_everywhere", "tutorial.async-with-serve-forever-cancelled"),
    Catch("close_aborts_clients", "tutorial.close-keeps-clients"),
    Catch("start_serving_off_ignored", "tutorial.start-serving-later", "tutorial.is-serving-states"),
    Catch("never_serves_at_once", "tutorial.serves-at-once"),
    Catch("hand_made_server", "tutorial.made-by-factory"),
]
