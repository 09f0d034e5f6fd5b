"""The connection handlers the spec gives its servers, one module per kind:

- :mod:`.named`     -- ``echo``, ``hold``, ``close``, ``raise``, as streams
  callbacks and as protocols;
- :mod:`.watched`   -- handlers written for one observation each, noted in a
  :class:`~.watched.Watch`;
- :mod:`.reporting` -- handlers that tell the client what a read gave them;
- :mod:`.bulk`      -- a reply queued faster than the client reads it;
- :mod:`.context`   -- which context variables' context a handler runs in;
- :mod:`.protocols` -- protocols that note every callback of the protocol path;
- :mod:`.tls`       -- handlers that note what a TLS connection tells them, or
  switch a plain connection to TLS part way through;
- :mod:`.steered`   -- a handler the steps drive one StreamReader or
  StreamWriter call at a time (:mod:`.reader`, :mod:`.writer`: the calls);
- :mod:`.base`      -- what they share.

The names used across the spec are importable from here.
"""

from .base import READ_SIZE, HandlerFailure, StreamHandler, close_writer
from .bulk import bulk_writer
from .context import PROBE_VARIABLE, context_reporting_handler
from .named import HANDLER_NAMES, RecordingProtocol, protocol_factory, stream_handler
from .protocols import NotingBufferedProtocol, NotingProtocol, ProtocolLog
from .reader import READER_METHODS, reader_call
from .reporting import line_read, reporting_handler, single_read
from .steered import Call, Outcome, Steered
from .tls import (
    GO_AHEAD,
    OVER_TLS,
    STARTTLS,
    TlsNotes,
    switching_handler,
    switching_protocol,
    switching_reading_handler,
    tls_noting_handler,
    tls_noting_protocol,
)
from .watched import (
    GREETING,
    IN_A_TASK,
    NOT_IN_A_TASK,
    PROBE,
    Watch,
    do_nothing,
    fail,
    failing_plain_handler,
    greet_and_return,
    greeting_plain_handler,
    read_everything,
    tell_whether_in_task,
    wait_for_client,
    watched_handler,
)
from .writer import (
    WRITER_METHODS,
    first_difference,
    reply,
    write_in_pieces,
    write_then_writelines,
    writer_call,
)

__all__ = [
    "GO_AHEAD",
    "GREETING",
    "HANDLER_NAMES",
    "IN_A_TASK",
    "NOT_IN_A_TASK",
    "OVER_TLS",
    "PROBE",
    "PROBE_VARIABLE",
    "READER_METHODS",
    "READ_SIZE",
    "STARTTLS",
    "WRITER_METHODS",
    "Call",
    "HandlerFailure",
    "NotingBufferedProtocol",
    "NotingProtocol",
    "Outcome",
    "ProtocolLog",
    "RecordingProtocol",
    "Steered",
    "StreamHandler",
    "TlsNotes",
    "Watch",
    "bulk_writer",
    "close_writer",
    "context_reporting_handler",
    "do_nothing",
    "fail",
    "failing_plain_handler",
    "first_difference",
    "greet_and_return",
    "greeting_plain_handler",
    "line_read",
    "protocol_factory",
    "read_everything",
    "reader_call",
    "reply",
    "reporting_handler",
    "single_read",
    "stream_handler",
    "switching_handler",
    "switching_protocol",
    "switching_reading_handler",
    "tell_whether_in_task",
    "tls_noting_handler",
    "tls_noting_protocol",
    "wait_for_client",
    "watched_handler",
    "write_in_pieces",
    "write_then_writelines",
    "writer_call",
]
