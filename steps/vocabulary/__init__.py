"""The custom parse types of the step vocabulary, registered here once.

A custom type stands for an *open set* only: the names of code (a
server-creating API, a socket option, a server or reader method), or three
or more phrases that one step handles alike by looking their meaning up
here.  A choice between two phrases, or a phrase that may be left out, is
two sentences -- two steps sharing a helper -- never a type.
``tests/test_step_vocabulary.py`` holds every type to that rule.

This package is not a step module: behave loads the ``*.py`` files of
``steps/`` only, so it is imported once, by the step modules that use it.
"""

import ast
import asyncio
import re
import socket
from typing import NamedTuple

from behave import register_type
from parse import with_pattern

from asyncio_server_spec.reference import handlers
from asyncio_server_spec.reference.handlers import (
    READER_METHODS,
    WRITER_METHODS,
    protocols,
    reader_call,
    writer_call,
)
from asyncio_server_spec.reference.servers import APIS


def _one_of(phrases):
    """A regular expression that matches exactly one of *phrases*."""
    return "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))


def names_of_code(*names):
    """A type for the names of code (an API, an option, a method): each name
    converts to itself."""

    @with_pattern(_one_of(names))
    def parse(text):
        return text

    parse.names = names
    return parse


def code_table(table):
    """A type for the names of code, each converting to its meaning in *table*."""

    @with_pattern(_one_of(table))
    def parse(text):
        return table[text]

    parse.names = tuple(table)
    return parse


def phrases(table):
    """A type for three or more phrases, each converting to its meaning in
    *table* (phrase -> meaning)."""
    if len(table) < 3:
        raise ValueError(f"{sorted(table)}: fewer than three phrases are sentences, not a type")

    @with_pattern(_one_of(table))
    def parse(text):
        return table[text]

    parse.phrases = tuple(table)
    return parse


#: How the features name the named handlers of reference/handlers.py.
HANDLERS = {
    "echoes what it receives": "echo",
    "holds each connection open": "hold",
    "closes each connection at once": "close",
    "raises an error": "raise",
}

#: The bodies of the watched coroutine handlers of reference/handlers.py.
COROUTINE_BODIES = {
    "tells the client whether it runs in a task": handlers.tell_whether_in_task,
    "fails with an exception": handlers.fail,
    "waits for the client to send something": handlers.wait_for_client,
    "greets the client and returns without closing the writer": handlers.greet_and_return,
    "does nothing": handlers.do_nothing,
    "reads everything the client sends": handlers.read_everything,
}


#: The protocols of reference/handlers/protocols.py, by what the features say they do.
PROTOCOLS = {
    "echoes what it receives": protocols.echoing,
    "keeps the connection open after the client's end of stream": protocols.half_open,
    "closes its transport when writing resumes": protocols.closing_on_resume,
    "answers with writelines() ending in an empty chunk, then closes": protocols.answering_with_writelines,
    "is a BufferedProtocol with a small buffer of its own": protocols.buffered,
}


class Awaited:
    """Something a scenario started and waits for: the world attribute that
    holds its task, and how a message names it."""

    def __init__(self, attribute, name, raises_on_failure):
        self.attribute = attribute
        self.name = name
        #: whether what went wrong in it fails the step (not for serve_forever(),
        #: which only ever ends by cancellation)
        self.raises_on_failure = raises_on_failure

    def task(self, world):
        return getattr(world, self.attribute)


#: What a scenario can have started and wait for.
AWAITED = {
    "the serve_forever() task": Awaited("serve_forever_task", "serve_forever()", False),
    "wait_closed()": Awaited("wait_closed_task", "wait_closed()", True),
    "leaving the block": Awaited("leave_task", "leaving async with", True),
}


@with_pattern(r"""b?"(?:[^"\\]|\\.)*"|b?'(?:[^'\\]|\\.)*'|\((?:[^()]|\([^()]*\))*\)|[^\s,()]+""")
def python_literal(text):
    """A Python literal written in a step: 0, None, True, '', b"a b", (b"|", b"END")."""
    return ast.literal_eval(text)


python_literal.free_text = True


@with_pattern(r"b?\"(?:[^\"\\]|\\.)*\"")
def some_bytes(text):
    """Bytes written in a step: quoted text ("hello", sent as UTF-8) or a
    bytes literal with its escapes (b"one\\ntwo")."""
    return ast.literal_eval(text) if text.startswith("b") else text[1:-1].encode()


some_bytes.free_text = True


class StreamCall(NamedTuple):
    """A call of a StreamReader or StreamWriter method as a step writes it
    (``readuntil(b"|END|")``): its text, and the operation a steered handler
    makes of it (reference/handlers/steered.py)."""

    text: str
    operation: object


def calls_of(methods):
    """A type for a call of one of *methods* (names of code, each mapped to
    the function that makes its operation from the arguments), with Python
    literals as arguments: ``read(5)``, ``readuntil((b"\\n", b"END"))``."""
    # a call's parentheses, with at most one level of parentheses (a tuple) inside
    pattern = rf"(?:{_one_of(methods)})\((?:[^()]|\([^()]*\))*\)"

    @with_pattern(pattern)
    def parse(text):
        node = ast.parse(text, mode="eval").body
        args = [ast.literal_eval(arg) for arg in node.args]
        return StreamCall(text, methods[node.func.id](node.func.id, args))

    parse.names = tuple(methods)
    return parse


class SocketOption(NamedTuple):
    """A socket option a step reads with getsockopt()."""

    name: str
    level: int
    option: int


#: The options of an accepted connection's socket a step may read.
SOCKET_OPTIONS = {
    name: SocketOption(name, level, option)
    for name, level, option in (
        ("SO_KEEPALIVE", socket.SOL_SOCKET, socket.SO_KEEPALIVE),
        ("TCP_NODELAY", socket.IPPROTO_TCP, socket.TCP_NODELAY),
    )
}


#: The exceptions a stream call may fail with, by name.
STREAM_ERRORS = {
    error.__name__: error
    for error in (
        asyncio.IncompleteReadError,
        asyncio.LimitOverrunError,
        ValueError,
        TypeError,
        ConnectionResetError,
        RuntimeError,
    )
}


register_type(
    Api=names_of_code(*APIS),
    Handler=phrases(HANDLERS),
    CoroutineBody=phrases(COROUTINE_BODIES),
    Awaited=phrases(AWAITED),
    TcpOption=names_of_code("backlog", "reuse_address", "reuse_port", "keep_alive"),
    SocketOption=code_table(SOCKET_OPTIONS),
    ClientMethod=names_of_code("close_clients", "abort_clients"),
    LineMethod=names_of_code("readline", "readuntil"),
    Literal=python_literal,
    Family=code_table({"AF_INET": socket.AF_INET, "AF_INET6": socket.AF_INET6}),
    ProtocolApi=names_of_code("create_server", "create_unix_server"),
    Protocol=phrases(PROTOCOLS),
    StreamCall=calls_of(
        {**{name: reader_call for name in READER_METHODS}, **{name: writer_call for name in WRITER_METHODS}}
    ),
    StreamError=code_table(STREAM_ERRORS),
    Bytes=some_bytes,
)
