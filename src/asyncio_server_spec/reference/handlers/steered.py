"""A handler the steps steer, one call at a time: the scenarios of the
handler's StreamReader and StreamWriter (``features/stream_reader.feature``,
``features/stream_writer.feature``).

The first connection of the server is *the* steered one: its handler runs,
in its own task and in the order the steps ask, each call the steps hand it
(``reader.readline()``, ``writer.drain()``, ...) and keeps what the call gave
-- its value or its exception -- for a step to look at.  Every later
connection of the same server is echoed: a probe client can then make a round
trip through the loop under test (:func:`loop_has_taken_in`) without touching the
steered connection.

The handler ends, and closes its writer, when the scenario's cleanup releases
it (``ServerRecord.release_all``); a call still waiting then ends with the
connection, which the cleanup aborts.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Sequence

from .. import sockets
from ..client import Client
from ..record import ServerRecord
from ..waiting import promptly, settle
from .base import StreamHandler, echo_to_the_end

if TYPE_CHECKING:
    from ..scenario import World

#: What a steered call does: given the handler's reader and writer, return a
#: value or an awaitable.
Operation = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Any]


def method_call(side: str, methods: Sequence[str], name: str, args: Sequence[Any] = ()) -> Operation:
    """The operation ``<side>.<name>(*args)`` -- *side* is ``"reader"`` or
    ``"writer"``, *name* one of *methods* -- awaited when it is a coroutine."""
    if name not in methods:
        raise ValueError(f"{name!r} is not one of the {side} methods {tuple(methods)}")
    args = tuple(args)

    def operation(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Any:
        return getattr(reader if side == "reader" else writer, name)(*args)

    return operation


def at_once(first: Operation, second: Operation) -> Operation:
    """The operation *first*, then *second* before the loop runs anything else
    (unless *first* has to wait); its value is *second*'s."""

    async def operation(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Any:
        value = first(reader, writer)
        if inspect.isawaitable(value):
            await value
        value = second(reader, writer)
        if inspect.isawaitable(value):
            value = await value
        return value

    return operation


class Outcome(NamedTuple):
    """What a call gave: its value, or the exception it raised (then *error* is set)."""

    value: Any = None
    error: BaseException | None = None


class Call:
    """One call the steps handed the steered handler; :attr:`done` resolves
    with its :class:`Outcome` once the handler has made it."""

    def __init__(self, text: str, operation: Operation, loop: asyncio.AbstractEventLoop):
        #: how the call reads in a step (``readuntil(b"|END|")``)
        self.text = text
        self.operation = operation
        self.done: asyncio.Future = loop.create_future()

    async def run(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            value = self.operation(reader, writer)
            if inspect.isawaitable(value):
                value = await value
        except Exception as exc:  # what the call raised *is* its outcome
            outcome = Outcome(error=exc)
        else:
            outcome = Outcome(value)
        if not self.done.done():
            self.done.set_result(outcome)


class Steered:
    """The steered handler of one scenario's server (see the module docstring).

    *small_send_buffer*: the steered connection's socket gets a small kernel
    send buffer (:func:`~..sockets.shrink_send_buffer`) before any call, so
    that a reply of a few hundred KiB stays partly queued in the transport.
    (Not smaller: on loopback, where a segment may be 64 KiB, a send buffer
    under two segments makes the client's kernel hold back its acknowledgements
    for 40 ms at a time.)
    """

    def __init__(
        self, loop: asyncio.AbstractEventLoop, record: ServerRecord, small_send_buffer: bool = False
    ):
        self.loop = loop
        self.record = record
        self.small_send_buffer = small_send_buffer
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self._calls: asyncio.Queue = asyncio.Queue()
        #: the calls handed over, in order
        self.calls: list = []
        #: what went wrong giving the connection a small send buffer, if anything
        #: (what was observed: the step that checks it says what was expected)
        self.setup_problem: str | None = None

    @property
    def connected(self) -> bool:
        return self.writer is not None

    def call(self, text: str, operation: Operation) -> Call:
        """Hand the handler one call to make after those before it; returns it."""
        call = Call(text, operation, self.loop)
        self.calls.append(call)
        self._calls.put_nowait(call)
        return call

    def handler(self) -> StreamHandler:
        """The ``client_connected_cb`` to give start_server / start_unix_server."""

        async def handler(reader, writer):
            self.record.writers.append(writer)  # cleanup aborts its transport
            try:
                if self.writer is not None:  # a probe client: echoed
                    await echo_to_the_end(reader, writer)
                    return
                self.reader, self.writer = reader, writer
                if self.small_send_buffer:
                    try:
                        sockets.shrink_send_buffer(writer)
                    except (AttributeError, OSError) as exc:  # no usable socket: the loop's doing
                        self.setup_problem = f"that failed: {exc!r}"
                self.record.count("accepted")
                await self._serve(reader, writer)
            except asyncio.CancelledError:
                pass  # the cleanup cancelled a call still waiting: end quietly
            finally:
                writer.close()

        return handler

    async def _serve(self, reader, writer):
        released = self.record.hold_token()
        while True:
            next_call = asyncio.ensure_future(self._calls.get())
            await asyncio.wait({next_call, released}, return_when=asyncio.FIRST_COMPLETED)
            if not next_call.done():
                next_call.cancel()
                return
            await next_call.result().run(reader, writer)


# -- for the steps ------------------------------------------------------------------------
#: What a probe client sends to be echoed.
PING = b"ping\n"


async def start_steered(world: World, api: str, small_send_buffer: bool = False, **kwargs: Any) -> Steered:
    """Start a server with *api* (start_server or start_unix_server) whose
    handler is steered; it becomes ``world.steered`` and *the* server."""
    world.steered = Steered(world.loop, world.record, small_send_buffer)
    await world.start(api, world.steered.handler(), **kwargs)
    return world.steered


async def last_outcome(steered: Steered) -> tuple:
    """``(call, outcome)`` of the last call handed to *steered*, once it is
    made -- at once: a prompt wait, which fails if the call keeps waiting."""
    assert steered.calls, "expected a call handed to the handler; none was"
    call = steered.calls[-1]
    outcome = await promptly(asyncio.shield(call.done), f"the handler's call {call.text} to return")
    return call, outcome


async def loop_has_taken_in(world: World) -> None:
    """Let the loop under test take in whatever a client has sent: it runs a
    few times, echoes a probe client on another connection of the same server
    (many more times, and the probe's data came after the client's), then runs
    a few times more."""
    await settle()
    probe = await Client.connect(world.address)
    try:
        reply = await probe.echo(PING)
    finally:
        await probe.close()
    assert reply == PING, f"expected a probe client to be echoed {PING!r}; it got {reply!r}"
    await settle()
