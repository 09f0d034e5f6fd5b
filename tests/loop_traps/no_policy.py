"""Python 3.16 as far as the harness is concerned: the event-loop policy API
(deprecated in 3.14, removed in 3.16) is gone once this module is imported.
behave 1.3 runs async steps through that API; the spec's harness must not."""

import asyncio

for name in ("get_event_loop_policy", "set_event_loop_policy"):
    if hasattr(asyncio, name):
        delattr(asyncio, name)
    if hasattr(asyncio.events, name):
        delattr(asyncio.events, name)


def selector_loop():
    return asyncio.SelectorEventLoop()
