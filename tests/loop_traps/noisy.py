"""A loop whose servers are right but report something to the loop's
exception handler for every connection they accept: the spec must fail the
scenarios where that happens, as divergences naming the report -- a loop
that complains for no reason is not conforming."""

import asyncio


class _NoisyLoop(asyncio.SelectorEventLoop):
    def _accept_connection(self, protocol_factory, sock, *args, **kwargs):
        self.call_exception_handler({"message": "spurious complaint about an accepted connection"})
        return super()._accept_connection(protocol_factory, sock, *args, **kwargs)


def noisy():
    return _NoisyLoop()
