"""A loop package that, at import, replaces asyncio.set_event_loop and the
policy's loop so that code asking asyncio for "the current loop" gets a plain
stdlib loop -- not the loop its factory makes.  Its own servers keep their
listening sockets open after close().  A harness that ran steps on whatever
loop asyncio hands out would measure the stdlib loop and find nothing wrong."""

import asyncio
import os
import socket

_decoy = asyncio.SelectorEventLoop()
_original_set = asyncio.set_event_loop


def _swapped_set_event_loop(loop):
    """Whatever loop is asked for, make the decoy the current one."""
    _original_set(_decoy if loop is not None else None)


asyncio.set_event_loop = asyncio.events.set_event_loop = _swapped_set_event_loop


class _KeepsListening(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        server = await super().create_server(*args, **kwargs)
        close = server.close

        def keep_listening():
            server._kept = [socket.socket(fileno=os.dup(s.fileno())) for s in server.sockets]
            close()

        server.close = keep_listening
        return server


def keeps_listening():
    return _KeepsListening()
