"""A loop that says something on its standard error, through ``sys.stderr``
as Python code does, then hangs for good in ``create_server()``: a timeout
must quote those words and say where the loop hung."""

import asyncio
import sys
import threading


class _HangsWithWordsLoop(asyncio.SelectorEventLoop):
    async def create_server(self, *args, **kwargs):
        print("hangs_with_words: no free submission slot for the listener", file=sys.stderr)
        threading.Event().wait()  # never set: hangs here


def hangs_with_words():
    return _HangsWithWordsLoop()
