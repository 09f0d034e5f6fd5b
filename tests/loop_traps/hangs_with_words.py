"""A loop that says something on its standard error, through ``sys.stderr``
as Python code does, then hangs for good when asked for a TLS server (its
plain servers work, so a run in one process gets past its warm-up): a
timeout must quote those words and say where the loop hung.  With
``HANGS_WITH_WORDS_FIFO`` set, it also says it is hanging into that FIFO (a
test waits for it there)."""

import asyncio
import os
import sys
import threading


class _HangsWithWordsLoop(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        if kwargs.get("ssl") is not None:
            print("hangs_with_words: no free submission slot for the listener", file=sys.stderr)
            fifo = os.environ.get("HANGS_WITH_WORDS_FIFO")
            if fifo:
                fd = os.open(fifo, os.O_WRONLY)
                os.write(fd, b"hanging\n")
                os.close(fd)
            threading.Event().wait()  # never set: hangs here
        return await super().create_server(*args, **kwargs)


def hangs_with_words():
    return _HangsWithWordsLoop()
