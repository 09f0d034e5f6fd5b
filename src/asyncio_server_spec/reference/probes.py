"""Probes: does anything in this process accept connections at an address?

A refused connection is the plain answer.  An accepted one is checked
against the kernel's table of listening sockets, so that a port another
process has taken since a server closed is not charged to that server.
"""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Union

from . import kernel
from .client import client_thread, describe, open_connection
from .waiting import DEFAULT_TIMEOUT, PATIENCE, TICK

Address = Union[str, bytes, tuple]

#: What a refused connection looks like: nobody listens on a TCP port, or a
#: Unix socket file has no listener (refused) or is gone (not found).
REFUSALS = (ConnectionRefusedError, FileNotFoundError)


#: What a connection made while its listener closes may meet: the kernel
#: completed the handshake, then dropped it with the listening socket.
CLOSING = (ConnectionResetError,)


async def _probe(address, timeout):
    """Connect and close again; return the refusal or reset (an exception),
    or None when the connection was made."""
    try:
        _, writer = await open_connection(address, timeout)
    except REFUSALS + CLOSING as exc:
        return exc
    writer.transport.abort()
    return None


def judge_accepted(address: Address, after: str | None = None) -> str | None:
    """A connection to *address* was accepted: by whom?  None when the socket
    listening there belongs to another process (the closed server's port was
    taken by someone else since: this process's server is not listening), else
    what was observed, in words.  *after* names what should have stopped the
    listening ("close()"), for the words."""
    when = f" after {after} had returned" if after else ""
    if isinstance(address, (str, bytes)):
        return f"a connection to {describe(address)} was accepted{when}"
    owner = kernel.listener_owner(address)
    if owner == "other process":
        return None
    if owner == "nobody":  # it listened when the client connected; it no longer does
        later = (
            "the listening socket closed only later"
            if after
            else "the listening socket was still open when the client connected, and closed only later"
        )
        gone = "though nothing listens there now"
        return f"a connection to {describe(address)} was still accepted{when}, {gone}: {later}"
    where = (
        "a listening socket of this process"
        if owner == "this process"
        else "something (no /proc to tell what)"
    )
    return f"a connection to {describe(address)} was accepted by {where}{when}"


async def refusal_problem(
    address: Address, timeout: float = DEFAULT_TIMEOUT, after: str | None = None
) -> str | None:
    """None if nothing *in this process* accepts connections at *address*;
    otherwise what was observed (*after*: see :func:`judge_accepted`).

    A refused connection is the plain answer.  An accepted one is checked
    against the kernel's table of listening sockets (:func:`judge_accepted`).
    """
    deadline = time.monotonic() + PATIENCE
    while True:
        refusal = await client_thread().call(_probe(address, timeout))
        if isinstance(refusal, CLOSING):  # the listener closed as the client connected
            when = f" after {after} had returned" if after else ""
            problem = f"a connection to {describe(address)} was taken{when}, then reset ({refusal})"
        else:
            problem = None if refusal is not None else judge_accepted(address, after)
        # A listener that closes a moment after close() returned (the docs
        # call the closing asynchronous) gets a prompt while: the kernel's
        # table is read as the loop runs until this process no longer listens
        # there, then a client tries again -- so the verdict does not depend
        # on who was faster.  closing.refuses-before-any-await is the
        # scenario that demands the listener closed before close() returned.
        if problem is None or not _still_closing(address):
            return problem
        while kernel.listener_owner(address) == "this process" and time.monotonic() < deadline:
            await asyncio.sleep(TICK)
        if time.monotonic() >= deadline:
            return f"{problem}, and still {PATIENCE:g} s later"


def _still_closing(address: Address) -> bool:
    """True if a listener of this process may still be closing at *address*
    (a TCP address where it, or nobody any more, listens)."""
    return not isinstance(address, (str, bytes)) and kernel.listener_owner(address) in (
        "this process",
        "nobody",
    )


async def is_refused(address: Address, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """True if nothing in this process accepts connections at *address*."""
    return await refusal_problem(address, timeout) is None


def blocking_probe(address: tuple, timeout: float, after: str | None = None) -> str:
    """Connect with a plain blocking socket -- the event loop gets no chance to
    run meanwhile -- and say what happened: ``"refused"``, or what was observed."""
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    probe = socket.socket(family, socket.SOCK_STREAM)
    probe.settimeout(timeout)
    try:
        probe.connect(address[:2])
    except ConnectionRefusedError:
        return "refused"
    except OSError as exc:
        return f"failed: {exc!r}"
    finally:
        probe.close()
    return judge_accepted(address, after) or "refused"
