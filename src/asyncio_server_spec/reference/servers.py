"""Creating servers the four documented ways, keyword arguments passed straight through."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from .handlers import StreamHandler, protocol_factory, stream_handler
from .record import ServerRecord

TCP_APIS = ("start_server", "create_server")
UNIX_APIS = ("start_unix_server", "create_unix_server")
APIS = TCP_APIS + UNIX_APIS


async def create(
    api: str, handler: str | StreamHandler | Callable[..., Any], record: ServerRecord, **kwargs: Any
) -> asyncio.AbstractServer:
    """Create a server with *api* whose connections run *handler*.

    *api* is one of :data:`APIS`.  *handler* names one of the reference
    handlers (``start_*`` APIs get it as a streams callback, ``create_*`` APIs
    as a protocol factory), or is a streams callback itself (``start_*`` APIs
    only); everything else in *kwargs* (host, port, path, sock, ssl,
    start_serving, limit, ...) goes to the API as is.
    """
    if callable(handler):
        if api not in ("start_server", "start_unix_server"):
            raise ValueError(f"{api} takes a protocol factory, not a streams callback")
        callback = handler
    else:
        callback = stream_handler(handler, record)
    if api == "start_server":
        return await asyncio.start_server(callback, **kwargs)
    if api == "start_unix_server":
        return await asyncio.start_unix_server(callback, **kwargs)
    loop = asyncio.get_running_loop()
    if api == "create_server":
        return await loop.create_server(protocol_factory(handler, record), **kwargs)
    if api == "create_unix_server":
        return await loop.create_unix_server(protocol_factory(handler, record), **kwargs)
    raise ValueError("unknown server API {!r}; known: {}".format(api, ", ".join(APIS)))


def listening_addresses(server: asyncio.AbstractServer) -> list:
    """The addresses the server's listening sockets are bound to (public API only)."""
    return [sock.getsockname() for sock in server.sockets or ()]


# -- protocol servers: the protocol path of create_server -----------------------------------
async def start_protocol_server(
    world: Any, api: str, protocol_factory: Callable[[], asyncio.BaseProtocol], **kwargs: Any
) -> asyncio.AbstractServer:
    """Create a server with ``loop.create_server`` or ``loop.create_unix_server``
    (*api*) and *protocol_factory*, where :meth:`World.start` would put it
    (this process's loopback address and port 0, or a path in the temp dir,
    unless *kwargs* say otherwise); it becomes *world*'s server.  What the
    loop raises, calling or awaiting, is a divergence that says no server
    could be created (:func:`~.loop_errors.calling`)."""
    from . import kernel
    from .loop_errors import calling
    from .waiting import within

    loop = asyncio.get_running_loop()
    if api == "create_server":
        if "sock" not in kwargs:
            kwargs.setdefault("host", kernel.loopback_address())
            kwargs.setdefault("port", 0)
    elif api == "create_unix_server":
        kwargs.setdefault("path", world.temp_path("server.sock"))
    else:
        raise ValueError(f"{api} takes no protocol factory; create_server or create_unix_server does")
    with calling(f"no server could be created with {api}()"):
        server = await within(getattr(loop, api)(protocol_factory, **kwargs), "the server to be created")
    return world.adopt(server, kwargs.get("path"))
