"""Deviants of connection handlers (client_connected_cb of start_server).

The handler deviants change stream handling itself, so each factory patches
asyncio.streams once (a deviant run is a process of its own) and returns a
plain new loop.  Only server-side protocols -- those made with a
client_connected_cb -- are changed; the spec's clients keep the real
behaviour.
"""

import asyncio
import asyncio.streams as streams
import functools

from . import Catch

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




CATCHES = [
    Catch("handler_not_a_task", "handlers.coroutine-runs-as-task"),
    Catch("plain_handler_arguments_swapped", "handlers.plain-function-is-called",
          "tutorial.handler-may-be-plain-function"),
    # the error vanishes: no report, no closing
    Catch("handler_errors_swallowed", "handlers.raise-never-retrieved", python="<=3.9"),
    Catch("handler_errors_swallowed", "handlers.raise-reported-and-closed-py311", python=">=3.11.7, <=3.11"),
    Catch("handler_errors_swallowed", "handlers.raise-reported-and-closed-py312up", python=">=3.12.1"),
    # the 3.11.7+ treatment on versions before it
    Catch("handler_errors_close_and_report", "handlers.raise-never-retrieved", python="<=3.9"),
    Catch("handler_errors_close_and_report", "handlers.raise-unreported", python=">=3.10.7, <=3.11.6"),
    # the 3.11.8+/3.12.2+ closing on versions before it
    Catch("cancelled_handler_closes", "handlers.cancelled-left-open", python="<=3.11.6"),
    Catch("cancelled_handler_closes", "handlers.cancelled-spurious-report-py311", python="==3.11.7"),
    Catch("cancelled_handler_closes", "handlers.cancelled-spurious-report-py312", python="==3.12.1"),
    # the task looks finished, not cancelled: no report, no closing
    Catch("cancellation_swallowed", "handlers.cancelled-spurious-report-py311", python="==3.11.7"),
    Catch("cancellation_swallowed", "handlers.cancelled-spurious-report-py312", python="==3.12.1"),
    Catch("cancellation_swallowed", "handlers.cancelled-closed-py311", python=">=3.11.8, <=3.11"),
    Catch("cancellation_swallowed", "handlers.cancelled-closed-py312up", python=">=3.12.2"),
    Catch("writer_closed_after_handler", "handlers.unclosed-writer-stays-open",
          "tutorial.pass-handler-leaves-client-connected", python="<=3.12"),
    Catch("writer_closed_after_handler", "handlers.unclosed-writer-closed-when-dropped", python=">=3.13"),
    Catch("writers_kept_alive", "handlers.unclosed-writer-closed-when-dropped",
          "tutorial.pass-handler-connection-closed", python=">=3.13"),
    Catch("server_reader_misses_eof", "handlers.reader-sees-eof"),
    Catch("peername_is_own_address", "handlers.peername-is-client"),
]
