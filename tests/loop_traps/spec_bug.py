"""A correct loop, and a bug in the spec's own code: importing this module
breaks a module global of the spec's kernel reader, as a slip of ours
would.  The scenarios that read the listen backlog then fail inside the
spec's own code: a harness error, never the loop's divergence."""

import asyncio

from asyncio_server_spec.reference import kernel

kernel.struct = None  # the bug: listen_backlog() packs its netlink request with it


def spec_bug():
    return asyncio.new_event_loop()
