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

from . import deviant

_applied = set()


def _patch_once(apply):
    if apply not in _applied:
        _applied.add(apply)
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


def _factory(apply):
    """A loop factory: *apply* patches asyncio.streams (once), then a new loop."""

    def factory():
        _patch_once(apply)
        return asyncio.new_event_loop()

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


def _plain_errors_swallowed(callback):
    def quiet(reader, writer):
        try:
            return callback(reader, writer)
        except Exception:
            return None  # neither reported nor closed

    return quiet


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
        asyncio.get_event_loop().call_exception_handler(
            {
                "message": "Unhandled exception in client_connected_cb",
                "exception": exc,
                "transport": writer.transport,
            }
        )
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


deviant(
    "handler_not_a_task",
    "handlers.coroutine-runs-as-task",
    also=(
        "handlers.cancelled-closed-py312up",
        "handlers.cancelled-left-open",
        "handlers.cancelled-spurious-report-py311",
        "handlers.cancelled-spurious-report-py312",
        "handlers.raise-never-retrieved",
        "handlers.raise-reported-and-closed-py311",
        "handlers.raise-reported-and-closed-py312up",
        "handlers.raise-unreported",
        "handlers.reader-sees-eof",
        "handlers.unclosed-writer-closed-when-dropped",
        "handlers.unclosed-writer-stays-open",
    ),
)(_factory(_wrapping_callbacks(_not_as_task)))
deviant(
    "plain_handler_arguments_swapped",
    "handlers.plain-function-is-called",
    "tutorial.handler-may-be-plain-function",
    also=("handlers.plain-raise-left-open", "handlers.plain-raise-reported-and-closed"),
)(_factory(_wrapping_callbacks(_plain_swapped)))
# a plain function's error vanishes (as before 3.14.8 and 3.15.1)
deviant(
    "plain_handler_errors_swallowed",
    "handlers.plain-raise-reported-and-closed",
    python=">=3.14.8, <3.15 or >=3.15.1",
)(_factory(_wrapping_callbacks(_plain_errors_swallowed)))

# the error vanishes: no report, no closing
_errors_swallowed = _factory(_wrapping_coroutines(_swallow_errors))
deviant("handler_errors_swallowed", "handlers.raise-never-retrieved", python="<=3.9")(_errors_swallowed)
deviant("handler_errors_swallowed", "handlers.raise-reported-and-closed-py311", python=">=3.11.7, <=3.11")(
    _errors_swallowed
)
deviant("handler_errors_swallowed", "handlers.raise-reported-and-closed-py312up", python=">=3.12.1")(
    _errors_swallowed
)

# the 3.11.7+ treatment on versions before it
_errors_close_and_report = _factory(_wrapping_coroutines(_close_and_report_errors))
deviant("handler_errors_close_and_report", "handlers.raise-never-retrieved", python="<=3.9")(
    _errors_close_and_report
)
deviant("handler_errors_close_and_report", "handlers.raise-unreported", python=">=3.10.7, <=3.11.6")(
    _errors_close_and_report
)

# the 3.11.8+/3.12.2+ closing on versions before it
_closes_on_cancel = _factory(_wrapping_coroutines(_close_on_cancel))
deviant("cancelled_handler_closes", "handlers.cancelled-left-open", python="<=3.11.6")(_closes_on_cancel)
deviant("cancelled_handler_closes", "handlers.cancelled-spurious-report-py311", python="==3.11.7")(
    _closes_on_cancel
)
deviant("cancelled_handler_closes", "handlers.cancelled-spurious-report-py312", python="==3.12.1")(
    _closes_on_cancel
)

# the task looks finished, not cancelled: no report, no closing
_swallows_cancel = _factory(_wrapping_coroutines(_swallow_cancel))
deviant("cancellation_swallowed", "handlers.cancelled-spurious-report-py311", python="==3.11.7")(
    _swallows_cancel
)
deviant("cancellation_swallowed", "handlers.cancelled-spurious-report-py312", python="==3.12.1")(
    _swallows_cancel
)
deviant("cancellation_swallowed", "handlers.cancelled-closed-py311", python=">=3.11.8, <=3.11")(
    _swallows_cancel
)
deviant("cancellation_swallowed", "handlers.cancelled-closed-py312up", python=">=3.12.2")(_swallows_cancel)

_closes_after_return = _factory(_wrapping_coroutines(_close_after_return))
deviant(
    "writer_closed_after_handler",
    "handlers.unclosed-writer-stays-open",
    "tutorial.pass-handler-leaves-client-connected",
    python="<=3.12",
)(_closes_after_return)
deviant("writer_closed_after_handler", "handlers.unclosed-writer-closed-when-dropped", python=">=3.13")(
    _closes_after_return
)

deviant(
    "writers_kept_alive",
    "handlers.unclosed-writer-closed-when-dropped",
    "tutorial.pass-handler-connection-closed",
    python=">=3.13",
)(_factory(_keep_writers_alive))
deviant("server_reader_misses_eof", "handlers.reader-sees-eof")(_factory(_server_reader_misses_eof))
deviant("peername_is_own_address", "handlers.peername-is-client")(_factory(_peername_is_own_address))
