"""A loop that dies like a Rust extension with RUST_BACKTRACE=1: a panic
message with its source location, a long backtrace, then SIGABRT."""

import asyncio
import os


class _PanicsLoop(asyncio.SelectorEventLoop):
    async def create_unix_server(self, *args, **kwargs):
        # straight to file descriptor 2, as native code writes, past any capture
        os.write(
            2,
            b"thread '<unnamed>' panicked at src/server.rs:1173:22:\n"
            b"called `Option::unwrap()` on a `None` value\nstack backtrace:\n",
        )
        for n in range(40):
            os.write(2, f"  {n:2}: loop::frame_{n}\n             at src/frames.rs:{n}:1\n".encode())
        os.abort()


def panics():
    return _PanicsLoop()
