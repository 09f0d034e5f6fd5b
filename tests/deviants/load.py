"""Deviants under load: a server that gives up accepting after a few clients."""

import asyncio

from . import deviant

#: Connections a tired server accepts before it stops.
TIRED_AFTER = 3


def _stops_accepting_after(limit):
    """A loop factory whose servers stop accepting once *limit* connections
    have been made: the listening sockets stay open (the kernel goes on
    completing handshakes and queueing them) and is_serving() stays True,
    but nothing is taken from the queue any more."""

    def factory():
        loop = asyncio.new_event_loop()
        for method in ("create_server", "create_unix_server"):
            _patch(loop, method, limit)
        return loop

    return factory


def _patch(loop, method, limit):
    original = getattr(loop, method)

    async def create(protocol_factory, *args, **kwargs):
        made = []
        server_box = []

        def tiring_factory():
            made.append(None)
            if len(made) == limit and server_box:
                for sock in server_box[0].sockets:
                    loop.remove_reader(sock.fileno())
            return protocol_factory()

        server = await original(tiring_factory, *args, **kwargs)
        server_box.append(server)
        return server

    setattr(loop, method, create)


deviant("stops_accepting_after_three", "load.clients-at-once", "load.clients-one-after-another")(
    _stops_accepting_after(TIRED_AFTER)
)
