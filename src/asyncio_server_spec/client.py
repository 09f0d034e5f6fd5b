"""A loopback client: connect, echo, detect refusal and EOF -- every wait bounded."""

import asyncio

from .waiting import DEFAULT_TIMEOUT, within

#: What a refused connection looks like: nobody listens on a TCP port, or a
#: Unix socket file has no listener (refused) or is gone (not found).
REFUSALS = (ConnectionRefusedError, FileNotFoundError)


def describe(address):
    if isinstance(address, (str, bytes)):
        return "unix:{!r}".format(address)
    return "{}:{}".format(address[0], address[1])


async def open_connection(address, timeout=DEFAULT_TIMEOUT, **kwargs):
    """Open a stream connection to a ``(host, port)`` tuple or a Unix path."""
    if isinstance(address, (str, bytes)):
        coro = asyncio.open_unix_connection(address, **kwargs)
    else:
        coro = asyncio.open_connection(address[0], address[1], **kwargs)
    return await within(coro, "a connection to " + describe(address), timeout)


class Client:
    """One client connection, with bounded operations."""

    def __init__(self, address, reader, writer):
        self.address = address
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, address, timeout=DEFAULT_TIMEOUT, **kwargs):
        reader, writer = await open_connection(address, timeout, **kwargs)
        return cls(address, reader, writer)

    async def send(self, data):
        self.writer.write(data)
        await within(self.writer.drain(), "sending {} bytes".format(len(data)))

    async def receive_exactly(self, n, timeout=DEFAULT_TIMEOUT):
        try:
            return await within(
                self.reader.readexactly(n), "{} bytes from the server".format(n), timeout
            )
        except asyncio.IncompleteReadError as exc:
            raise AssertionError(
                "the server ended the connection after {} of {} bytes".format(
                    len(exc.partial), n
                )
            ) from None
        except ConnectionError as exc:
            raise AssertionError("the connection failed while reading: {!r}".format(exc)) from None

    async def echo(self, data, timeout=DEFAULT_TIMEOUT):
        """Send *data* and return what comes back (as many bytes as were sent)."""
        await self.send(data)
        return await self.receive_exactly(len(data), timeout)

    async def sees_eof(self, timeout=DEFAULT_TIMEOUT):
        """Wait until the server ends the connection; True on EOF or reset."""
        async def drain_to_eof():
            try:
                while await self.reader.read(65536):
                    pass
            except (ConnectionError, OSError):
                pass
            return True

        return await within(drain_to_eof(), "the server to end the connection", timeout)

    async def close(self):
        self.writer.close()
        try:
            await within(self.writer.wait_closed(), "the client connection to close")
        except (ConnectionError, OSError):
            pass


async def is_refused(address, timeout=DEFAULT_TIMEOUT):
    """True if a connection to *address* is refused; False if it is accepted.

    An accepted probe connection is closed again before returning.
    """
    try:
        client = await Client.connect(address, timeout)
    except REFUSALS:
        return True
    await client.close()
    return False
