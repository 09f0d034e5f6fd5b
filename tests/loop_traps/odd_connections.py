"""Loops whose server connections hand out what asyncio never does, each as
a compiled loop was seen to: a transport that tells None for its peer and
its socket; a "socket" extra info that has a file descriptor but none of a
socket's methods; a transport without
get_write_buffer_limits().  The spec's checks then meet an object they do
not expect: that is the loop's divergence, said in words, never a harness
error."""

import asyncio
import operator
from asyncio import selector_events


class _SocketWrapper:
    """A file descriptor and nothing else of a socket (a compiled loop's wrapper)."""

    __slots__ = ("_fd",)

    def __init__(self, fd):
        self._fd = fd

    def fileno(self):
        return self._fd


class _BareTransport(selector_events._SelectorSocketTransport):
    # missing as a compiled class's attribute is: an AttributeError raised
    # from native code, with no frame of the loop's own
    get_write_buffer_limits = property(operator.attrgetter("_no_get_write_buffer_limits"))


class _OddConnectionsLoop(asyncio.SelectorEventLoop):
    odd = None

    def _make_socket_transport(self, sock, protocol, waiter=None, *, extra=None, server=None):
        if self.odd == "bare":
            return _BareTransport(self, sock, protocol, waiter, extra, server)
        transport = super()._make_socket_transport(sock, protocol, waiter, extra=extra, server=server)
        if self.odd == "none":
            transport._extra["peername"] = None
            transport._extra["socket"] = None
        elif self.odd == "wrapper":
            transport._extra["socket"] = _SocketWrapper(sock.fileno())
        return transport


def _loop(odd):
    loop = _OddConnectionsLoop()
    loop.odd = odd
    return loop


def none_info():
    return _loop("none")


def socket_wrapper():
    return _loop("wrapper")


def bare_transport():
    return _loop("bare")
