Feature: Connection handlers of start_server
  Checks: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter

  start_server calls its handler with a reader and a writer for every new
  connection.  A coroutine function is run as a Task of its own; a plain
  function is simply called.  The documentation says nothing about what
  happens when a handler fails, is cancelled or forgets to close its
  writer, and each of those has changed between versions: each rule below
  gives the variants, one scenario per version range.

  The failing and the cancelled handlers keep a reference to their writer,
  as a server that tracks its clients would: their connection can then
  only be closed by the server's own reaction, not by the writer being
  dropped.  Not covered: 3.10.0 to 3.10.6 (they kept no reference to the
  handler's task) and 3.12.0.

  @id:handlers.coroutine-runs-as-task
  Scenario: A coroutine handler runs as a Task of its own
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Given a server whose coroutine handler tells the client whether it runs in a task
    When a client connects
    Then the client is told the handler runs in a task
    And the handler was given a StreamReader and a StreamWriter, in that order

  @id:handlers.plain-function-is-called
  Scenario: A plain function works as a handler
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Given a server whose handler is a plain function that greets the client and closes
    When a client connects
    Then the client receives the greeting
    And the client sees the connection closed
    And the handler was given a StreamReader and a StreamWriter, in that order

  @id:handlers.reader-sees-eof
  Scenario: The handler's reader reaches the end of the stream when the client leaves
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.read
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.at_eof
    Given a server whose coroutine handler reads everything the client sends
    When a client connects
    And the client disconnects after sending "hello"
    And the handler has ended
    Then the handler read "hello" and then the end of the stream

  @id:handlers.peername-is-client
  Scenario: The writer's peername is the client's own address
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.get_extra_info
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
    Given a server whose handler echoes what it receives
    When a client connects
    Then the handler's peer address is the client's own address

  Rule: A coroutine handler that raises
    Up to 3.9 the error surfaces only as a task exception that was never
    retrieved, and the connection stays open; from 3.10.7 to 3.11.6 nothing
    is reported at all and the connection stays open; from 3.11.7 and
    3.12.1 on the server reports the error and closes the connection
    (gh-110894).

    Background:
      Given a server whose coroutine handler fails with an exception

    @use.with_python=..3.9 @id:handlers.raise-never-retrieved
    Scenario: Up to 3.9, a failing handler is reported only as a task exception never retrieved
      Docs: https://docs.python.org/3/library/asyncio-dev.html#detect-never-retrieved-exceptions
      CPython: gh-90467 (from 3.10.7 the protocol keeps the handler's task alive)
      Note: the report comes when the finished task is garbage collected; the
            server never closes the connection.
      When a client connects
      And the handler has ended
      And garbage is collected
      Then the loop's exception handler was told the task's exception was never retrieved
      And the client's connection is still open
      And a new client is accepted

    @use.with_python=3.10.7..3.11.6 @id:handlers.raise-unreported
    Scenario: From 3.10.7 to 3.11.6, a failing handler goes unreported and its connection stays open
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
      CPython: gh-90467 (the protocol holds the task, so it is not collected while connected)
      CPython: gh-110894 (the report and the closing came in 3.11.7 and 3.12.1)
      When a client connects
      And the handler has ended
      And garbage is collected
      Then the loop's exception handler was told nothing
      And the client's connection is still open
      And a new client is accepted

    @use.with_python=3.11.7..3.11 @id:handlers.raise-reported-and-closed-py311
    Scenario: On 3.11 from 3.11.7, a failing handler is reported and its connection closed
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
      CPython: gh-110894 (close the transport and report the error, PR #111601)
      When a client connects
      And the handler has ended
      And garbage is collected
      Then the loop's exception handler was told of an unhandled exception in the handler
      And the client sees the connection closed
      And a new client is accepted

    @use.with_python=3.12.1.. @id:handlers.raise-reported-and-closed-py312up
    Scenario: From 3.12.1, a failing handler is reported and its connection closed
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
      CPython: gh-110894 (close the transport and report the error, PR #111601)
      When a client connects
      And the handler has ended
      And garbage is collected
      Then the loop's exception handler was told of an unhandled exception in the handler
      And the client sees the connection closed
      And a new client is accepted

  Rule: A plain-function handler that raises
    The error escapes the protocol's connection_made(): up to 3.14.7 (every
    3.13.x so far) and on 3.15.0 the loop reports it as a failed callback and
    the connection stays open; from 3.14.8 and 3.15.1 it is reported like a
    coroutine's and the connection is closed (gh-155941).

    Background:
      Given a server whose handler is a plain function that raises an exception

    @cpython_bug @use.with_python=..3.14.7 @use.with_python=3.15.0 @id:handlers.plain-raise-left-open
    Scenario: Up to 3.14.7 and on 3.15.0, a failing plain-function handler is reported as a failed callback and its connection stays open
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
      CPython: gh-155941 (the error escaped connection_made() and the connection stayed open; fixed in 3.14.8 and 3.15.1)
      Note: the report is the loop's generic one for any callback that raises.
            From 3.12.1 the connection left open also keeps wait_closed() waiting.
      When a client connects
      And garbage is collected
      Then the loop's exception handler was told of the handler's exception as an error in a callback
      And the client's connection is still open
      And a new client is accepted

    @use.with_python=3.14.8..3.14 @use.with_python=3.15.1.. @id:handlers.plain-raise-reported-and-closed
    Scenario: From 3.14.8 and 3.15.1, a failing plain-function handler is reported like a coroutine handler and its connection closed
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
      CPython: gh-155941 (report the error and close the transport, as for a coroutine handler)
      When a client connects
      And garbage is collected
      Then the loop's exception handler was told of an unhandled exception in the handler
      And the client sees the connection closed
      When the server is closed
      And wait_closed() is started in a task
      Then wait_closed() finishes

  Rule: A cancelled handler
    Up to 3.11.6 the connection stays open; 3.11.7 and 3.12.1 also report a
    spurious CancelledError from their own callback; from 3.11.8 and 3.12.2
    on the connection is closed, quietly (gh-113538).

    Background:
      Given a server whose coroutine handler waits for the client to send something

    @use.with_python=..3.11.6 @id:handlers.cancelled-left-open
    Scenario: Up to 3.11.6, cancelling a handler's task leaves its connection open, quietly
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
      Docs: https://docs.python.org/3/library/asyncio-task.html#asyncio.Task.cancel
      When a client connects
      And the handler's task is cancelled
      And garbage is collected
      Then the handler saw the cancellation
      And the loop's exception handler was told nothing
      And the client's connection is still open

    @cpython_bug @use.with_python=3.11.7 @id:handlers.cancelled-spurious-report-py311
    Scenario: On 3.11.7, cancelling a handler's task makes the server report a CancelledError
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
      CPython: gh-113538 (the new callback asked a cancelled task for its exception; fixed by PR #113690)
      Note: the connection stays open as well.
      When a client connects
      And the handler's task is cancelled
      And garbage is collected
      Then the handler saw the cancellation
      And the loop's exception handler was told of a CancelledError raised in a callback
      And the client's connection is still open

    @cpython_bug @use.with_python=3.12.1 @id:handlers.cancelled-spurious-report-py312
    Scenario: On 3.12.1, cancelling a handler's task makes the server report a CancelledError
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
      CPython: gh-113538 (the new callback asked a cancelled task for its exception; fixed by PR #113690)
      Note: the connection stays open as well.
      When a client connects
      And the handler's task is cancelled
      And garbage is collected
      Then the handler saw the cancellation
      And the loop's exception handler was told of a CancelledError raised in a callback
      And the client's connection is still open

    @use.with_python=3.11.8..3.11 @id:handlers.cancelled-closed-py311
    Scenario: On 3.11 from 3.11.8, cancelling a handler's task closes its connection, quietly
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
      CPython: gh-113538 (PR #113690: close the transport when the task was cancelled)
      When a client connects
      And the handler's task is cancelled
      And garbage is collected
      Then the handler saw the cancellation
      And the loop's exception handler was told nothing
      And the client sees the connection closed

    @use.with_python=3.12.2.. @id:handlers.cancelled-closed-py312up
    Scenario: From 3.12.2, cancelling a handler's task closes its connection, quietly
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
      CPython: gh-113538 (PR #113690: close the transport when the task was cancelled)
      When a client connects
      And the handler's task is cancelled
      And garbage is collected
      Then the handler saw the cancellation
      And the loop's exception handler was told nothing
      And the client sees the connection closed

  Rule: A handler that returns without closing its writer
    Up to 3.12 the connection stays open until the client leaves; from 3.13
    dropping the writer closes it, with a ResourceWarning (gh-114914).

    Background:
      Given ResourceWarnings are recorded
      And a server whose coroutine handler greets the client and returns without closing the writer

    @use.with_python=..3.12 @id:handlers.unclosed-writer-stays-open
    Scenario: Up to 3.12, a handler that returns without closing its writer leaves the connection open
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.close
      CPython: gh-114914 (up to 3.12 the protocol keeps the writer alive while connected)
      Note: only the client leaving ends such a connection.
      When a client connects
      And the handler has ended
      And garbage is collected
      Then the client receives the greeting
      And the client's connection is still open
      And no ResourceWarning named an unclosed StreamWriter

    @use.with_python=3.13.. @id:handlers.unclosed-writer-closed-when-dropped
    Scenario: From 3.13, a writer the handler drops unclosed is closed, with a ResourceWarning
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.close
      Docs: https://docs.python.org/3/library/exceptions.html#ResourceWarning
      CPython: gh-114914 (PR #115661: the protocol no longer keeps the writer alive)
      Note: in CPython the writer goes as soon as the handler returns (reference
            counting); collecting garbage only makes sure of it.
      When a client connects
      And the handler has ended
      And garbage is collected
      Then the client receives the greeting
      And the client sees the connection closed
      And a ResourceWarning named an unclosed StreamWriter
