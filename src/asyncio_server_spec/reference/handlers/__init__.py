"""The connection handlers the spec gives its servers, one module per kind:

- :mod:`.named`     -- ``echo``, ``hold``, ``close``, ``raise``, as streams
  callbacks and as protocols;
- :mod:`.watched`   -- handlers written for one observation each, noted in a
  :class:`~.watched.Watch`;
- :mod:`.reporting` -- handlers that tell the client what a read gave them;
- :mod:`.bulk`      -- a reply queued faster than the client reads it;
- :mod:`.context`   -- which context variables' context a handler runs in;
- :mod:`.base`      -- what they share.

The names used across the spec are importable from here.
"""

from .base import READ_SIZE, HandlerFailure, StreamHandler, close_writer
from .bulk import bulk_writer
from .context import PROBE_VARIABLE, context_reporting_handler
from .named import HANDLER_NAMES, RecordingProtocol, protocol_factory, stream_handler
from .reporting import line_read, reporting_handler, single_read
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

__all__ = [
    "GREETING", "HANDLER_NAMES", "IN_A_TASK", "NOT_IN_A_TASK", "PROBE", "PROBE_VARIABLE",
    "READ_SIZE", "HandlerFailure", "RecordingProtocol", "StreamHandler", "Watch", "bulk_writer",
    "close_writer", "context_reporting_handler", "do_nothing", "fail", "failing_plain_handler",
    "greet_and_return", "greeting_plain_handler", "line_read", "protocol_factory",
    "read_everything", "reporting_handler", "single_read", "stream_handler",
    "tell_whether_in_task", "wait_for_client", "watched_handler",
]

# -- issue 18, the handler's StreamReader and StreamWriter (steered handlers) --------------
from .reader import READER_METHODS, reader_call
from .steered import Call, Outcome, Steered
from .writer import (
    WRITER_METHODS,
    first_difference,
    reply,
    write_in_pieces,
    write_then_writelines,
    writer_call,
)

__all__ += [
    "READER_METHODS", "WRITER_METHODS", "Call", "Outcome", "Steered", "first_difference",
    "reader_call", "reply", "write_in_pieces", "write_then_writelines", "writer_call",
]
