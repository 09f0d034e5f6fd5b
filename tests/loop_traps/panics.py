"""A loop that dies like a Rust extension with RUST_BACKTRACE=1: a panic
message with its source location, a long backtrace, then SIGABRT."""

import asyncio
import os
import sys


class _PanicsLoop(asyncio.SelectorEventLoop):
    async def create_unix_server(self, *args, **kwargs):
        sys.stderr.write("thread '<unnamed>' panicked at src/server.rs:1173:22:\n"
                         "called `Option::unwrap()` on a `None` value\nstack backtrace:\n")
        for n in range(40):
            sys.stderr.write(f"  {n:2}: loop::frame_{n}\n             at src/frames.rs:{n}:1\n")
        sys.stderr.flush()
        os.abort()


def panics():
    return _PanicsLoop()
