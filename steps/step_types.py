"""The spec's step vocabulary: every custom parse type the steps use, registered
here once.  A type matches one of a fixed set of phrases; what a phrase means
is decided by the step that uses it (a type here only names and converts).
"""

import re

from behave import register_type
from parse import with_pattern

from asyncio_server_spec.reference.handlers import HANDLER_NAMES
from asyncio_server_spec.reference.servers import APIS


def _one_of(phrases):
    """A regular expression that matches exactly one of *phrases*."""
    return "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))


#: How the features name the handlers of asyncio_server_spec.reference.handlers.
HANDLER_PHRASES = {
    "echoes what it receives": "echo",
    "holds each connection open": "hold",
    "closes each connection at once": "close",
    "raises an error": "raise",
}
assert set(HANDLER_PHRASES.values()) == set(HANDLER_NAMES)

#: The coroutine handler bodies of handler_steps, by how the features describe them.
COROUTINE_BODIES = (
    "tells the client whether it runs in a task",
    "fails with an exception",
    "waits for the client to send something",
    "greets the client and returns without closing the writer",
    "does nothing",
    "reads everything the client sends",
)

#: What the loop's exception handler can have been told (handler_steps).
LOOP_REPORTS = (
    "the task's exception was never retrieved",
    "of an unhandled exception in the handler",
    "of the handler's exception as an error in a callback",
    "of a CancelledError raised in a callback",
    "nothing",
)

#: What a scenario can wait for to finish (lifecycle_steps).
AWAITED = ("the serve_forever() task", "leaving the block", "wait_closed()")

#: What can be observed of something a scenario waits for (lifecycle_steps).
AWAITED_OUTCOMES = ("finishes", "has finished by the time the client is echoed",
                    "has not finished while the client is served",
                    "has not finished while the server goes on serving")

#: How start_unix_server can be called to fail (unix_steps).
UNIX_ATTEMPTS = ("with cleanup_socket off", "at that path", "with both a path and that socket")

#: How much of a bulk write the client can receive (lifecycle_steps).
BULK_RECEIVED = ("everything the handler wrote", "less than the handler wrote")

#: Where start_unix_server is asked to listen (unix_steps).
UNIX_STARTS = ("on that socket", "at that path", "at an abstract socket name", "with cleanup_socket off")

TCP_OPTIONS = ("backlog", "reuse_address", "reuse_port", "keep_alive")
SOCKET_OPTIONS = ("SO_KEEPALIVE", "TCP_NODELAY")
CLIENT_METHODS = ("close_clients", "abort_clients")


@with_pattern(_one_of(APIS))
def parse_api(text):
    """A server-creating API: start_server, loop.create_server, ..."""
    return text


@with_pattern(_one_of(HANDLER_PHRASES))
def parse_handler(text):
    """A named handler (see HANDLER_PHRASES) -> its name in reference.handlers."""
    return HANDLER_PHRASES[text]


def _phrase_type(phrases):
    @with_pattern(_one_of(phrases))
    def parse(text):
        return text

    return parse


@with_pattern(r"no listening sockets|\d+ listening sockets?")
def parse_listening_sockets(text):
    """'no listening sockets' -> 0, '1 listening socket' -> 1, '2 listening sockets' -> 2."""
    return 0 if text.startswith("no ") else int(text.split()[0])


@with_pattern(r"with a reader limit of \d+ bytes|with start_unix_server and a reader limit of \d+ bytes"
              r"|without a reader limit")
def parse_reader_limit(text):
    """How a reading server is started -> (api, limit or None)."""
    api = "start_unix_server" if "start_unix_server" in text else "start_server"
    number = re.search(r"\d+", text)
    return api, int(number.group()) if number else None


@with_pattern(r"reads one line with (?:readline|readuntil)\(\)|reads once with read\(\d+\)")
def parse_handler_read(text):
    """What a reading handler does -> ("readline"|"readuntil", None) or ("read", n)."""
    once = re.fullmatch(r"reads once with read\((\d+)\)", text)
    if once:
        return "read", int(once.group(1))
    return re.search(r"readline|readuntil", text).group(), None


_WHOSE_HANDLER = rf"whose handler (?:{_one_of(HANDLER_PHRASES)})"


@with_pattern(rf"started with (?:{_one_of(APIS)})(?: with start_serving off)?(?: {_WHOSE_HANDLER})?"
              rf"|{_WHOSE_HANDLER}")
def parse_server_start(text):
    """How "a server ..." is started -> (api, handler, start_serving):
    'started with API' (else start_server), 'with start_serving off',
    'whose handler HANDLER' (else the echo handler), in that order."""
    api = re.match(r"started with (\S+)", text)
    handler = text.partition("whose handler ")[2]
    return (api.group(1) if api else "start_server",
            HANDLER_PHRASES[handler] if handler else "echo",
            "with start_serving off" not in text)


@with_pattern(r'(?: after sending "[^"]*")?')
def parse_after_sending(text):
    """' after sending "TEXT"' -> TEXT; nothing -> None."""
    return text[len(' after sending "'):-1] if text else None


@with_pattern(r"with an SSL handshake timeout of [\d.]+ seconds but no ssl"
              r"|with ssl and an SSL shutdown timeout of [\d.]+ seconds")
def parse_timeout_attempt(text):
    """How start_server is called with a TLS timeout -> (argument name, seconds)."""
    seconds = float(re.search(r"[\d.]+", text).group())
    name = "ssl_shutdown_timeout" if "shutdown" in text else "ssl_handshake_timeout"
    return name, seconds


@with_pattern(r"on every interface, by host (?:None|'')"
              r"|on every interface, but with family AF_INET6?"
              r"|with host None and getaddrinfo flags \d+")
def parse_every_interface(text):
    """How start_server is asked for every interface -> its keyword arguments
    besides port 0: host None or '', a family, or getaddrinfo flags."""
    if "by host" in text:
        return {"host": None if text.endswith("None") else ""}
    if "family" in text:
        return {"host": None, "family": text.rpartition(" ")[2]}
    return {"host": None, "flags": int(text.rpartition(" ")[2])}


@with_pattern(rf"(?: with (?:{_one_of(TCP_OPTIONS)})=\S+)?")
def parse_option_given(text):
    """' with OPTION=VALUE' -> (OPTION, VALUE as written); nothing -> None."""
    return tuple(text[len(" with "):].split("=", 1)) if text else None


@with_pattern(r"is serving|is not serving|was serving inside the block|was not serving inside the block")
def parse_serving_state(text):
    """'is (not) serving' -> ("now", bool); 'was (not) serving inside the block' -> ("block", bool)."""
    return ("block" if text.startswith("was") else "now"), " not " not in f" {text} "


@with_pattern(r"a client connects|\d+ clients connect")
def parse_clients_connect(text):
    """'a client connects' -> 1, 'N clients connect' -> N."""
    return 1 if text.startswith("a ") else int(text.split()[0])


def _optional(phrase):
    """A type matching *phrase* or nothing (at the end of a pattern) -> whether it was there."""

    @with_pattern(f"(?:{re.escape(phrase)})?")
    def parse(text):
        return bool(text)

    return parse


def _choice(first, second):
    """A type matching *first* (-> True) or *second* (-> False)."""

    @with_pattern(_one_of((first, second)))
    def parse(text):
        return text == first

    return parse


register_type(
    ServerStart=parse_server_start,
    WhichServer=_choice("another server", "a server"),
    ASecondTime=_optional(" a second time"),
    WithoutWaiting=_optional(" without waiting for it"),
    OnTheClosedServer=_optional(" on the closed server"),
    InsideAsyncWith=_optional(" inside an async with block"),
    InATask=_choice("started in a task", "awaited"),
    ItsSide=_choice("its side of the connection", "the connection"),
    ShutdownTimeout=_choice("that closes each connection at once, with an SSL shutdown timeout",
                            "started with an SSL handshake timeout"),
    IsOrWas=_choice("is", "was"),
    CanConnect=_choice("can connect and is echoed", "cannot connect"),
    AfterSending=parse_after_sending,
    TimeoutAttempt=parse_timeout_attempt,
    EveryInterface=parse_every_interface,
    UnixStart=_phrase_type(UNIX_STARTS),
    OptionGiven=parse_option_given,
    BlockRaises=_choice("whose body raises BlockFailure", "that then ends"),
    ServingState=parse_serving_state,
    OneOrNo=_choice("a", "no"),
    PlainRaises=_choice("raises an exception", "greets the client and closes"),
    AwaitedOutcome=_phrase_type(AWAITED_OUTCOMES),
    ConnectionState=_choice(" sees the connection closed", "'s connection is still open"),
    PathHolds=_choice("a socket file exists", "nothing exists"),
    LoadWay=_choice(" one after another, each sending a message and leaving after its echo",
                    ", all staying connected, and then each sends a message at the same time"),
    SamePort=_choice("both servers listen", "the second server listens"),
    ClientsConnect=parse_clients_connect,
    First=_optional("first "),
    Api=parse_api,
    Handler=parse_handler,
    CoroutineBody=_phrase_type(COROUTINE_BODIES),
    LoopReport=_phrase_type(LOOP_REPORTS),
    Awaited=_phrase_type(AWAITED),
    UnixAttempt=_phrase_type(UNIX_ATTEMPTS),
    BulkReceived=_phrase_type(BULK_RECEIVED),
    TcpOption=_phrase_type(TCP_OPTIONS),
    SocketOption=_phrase_type(SOCKET_OPTIONS),
    ClientMethod=_phrase_type(CLIENT_METHODS),
    ListeningSockets=parse_listening_sockets,
    ReaderLimit=parse_reader_limit,
    HandlerRead=parse_handler_read,
)
