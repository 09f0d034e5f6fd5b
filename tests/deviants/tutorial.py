"""Servers that behave the way the seed tutorial says, where it is wrong.

Where a tutorial claim is also a documented behaviour, the lifecycle deviant
that breaks it is reused there (its Catch names the tutorial scenario too).
"""

import asyncio

from . import deviant, deviant_loop, lifecycle, tracked_clients


@deviant(
    "wait_closed_waits_for_clients",
    "tutorial.wait-closed-returns-with-clients",
    "tutorial.async-with-serve-forever-cancelled-with-client-ends-at-once",
    python="<=3.11",
)
class _WaitClosedWaitsForClients:
    async def wait_closed(self):
        await super().wait_closed()
        while tracked_clients(self):  # a deviant may poll; the spec never does
            await asyncio.sleep(0.01)


@deviant("repr_other_style", "tutorial.repr-enum-names", python="<=3.10")
@deviant("repr_other_style", "tutorial.repr-numbers", python=">=3.11")
class _ReprOtherStyle:
    _STYLES = ("family=2, type=1", "family=AddressFamily.AF_INET, type=SocketKind.SOCK_STREAM")

    def __repr__(self):
        text = super().__repr__()
        new, old = self._STYLES
        if new in text:
            return text.replace(new, old)
        return text.replace(old, new)


@deviant(
    "serve_forever_ignores_close",
    "tutorial.serve-forever-runs-until-cancelled",
    "tutorial.serve-forever-ends-on-close",
    also=("tutorial.async-with-serve-forever-cancelled-closes-clients",),
)
class _ServeForeverIgnoresClose:
    async def serve_forever(self):
        await self.start_serving()
        await asyncio.get_running_loop().create_future()  # close() does not end it


@deviant(
    "server_left_open_everywhere",
    "tutorial.async-with-serve-forever-cancelled",
    also=(
        "tutorial.async-with-closes",
        "tutorial.async-with-serve-forever-cancelled-closes-clients",
        "tutorial.async-with-serve-forever-cancelled-waits-for-client",
        "tutorial.async-with-serve-forever-cancelled-with-client-ends-at-once",
        "tutorial.serve-forever-ends-on-close",
        "tutorial.serve-forever-runs-until-cancelled",
    ),
)
class _LeftOpenEverywhere(lifecycle._AexitLeavesOpen, _ServeForeverIgnoresClose):
    pass


def _no_host_means_loopback(kwargs):
    if kwargs.get("host") is None and kwargs.get("sock") is None and "path" not in kwargs:
        kwargs["host"] = "127.0.0.1"
    return kwargs


def _start_serving_never(kwargs):
    kwargs["start_serving"] = False
    return kwargs


@deviant(
    "hand_made_server",
    "tutorial.made-by-factory",
    also=("tutorial.async-with-closes", "tutorial.repr-enum-names", "tutorial.repr-numbers"),
)
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


deviant("no_host_means_loopback", "tutorial.no-host-every-interface")(
    deviant_loop(adjust_kwargs=_no_host_means_loopback)
)
deviant(
    "never_serves_at_once",
    "tutorial.serves-at-once",
    also=(
        "tutorial.close-keeps-clients",
        "tutorial.handler-may-be-plain-function",
        "tutorial.made-by-factory",
        "tutorial.no-host-every-interface",
        "tutorial.pass-handler-connection-closed",
        "tutorial.pass-handler-leaves-client-connected",
        "tutorial.sockets-are-not-clients",
        "tutorial.wait-closed-returns-with-clients",
        "tutorial.wait-closed-waits-for-clients",
    ),
)(deviant_loop(adjust_kwargs=_start_serving_never))
