Feature: Serving forever
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever

  serve_forever() keeps accepting connections until its task is cancelled;
  cancelling it closes the server.  It starts a server that is not serving
  yet, and only one serve_forever() may run per server at a time.

  Not in the docs: a closed server cannot serve forever (RuntimeError), and
  close() called from elsewhere ends a running serve_forever() as if it had
  been cancelled.  What a cancellation does to connected clients, and the
  context the handlers run in, changed between versions (the rules below).

  @id:serve-forever.accepts
  Scenario: serve_forever() accepts connections while it runs
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Given a server started with start_server
    When serve_forever() runs in a task
    Then the server is serving
    And a client can connect and is echoed

  @id:serve-forever.starts-not-serving-server
  Scenario: serve_forever() starts a server created with start_serving off
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Given a server started with start_server with start_serving off
    When serve_forever() runs in a task
    Then the server is serving
    And a client can connect and is echoed

  @id:serve-forever.cancel-closes-server
  Scenario: Cancelling the serve_forever() task closes the server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Given a server started with start_server
    When serve_forever() runs in a task
    And the serve_forever() task is cancelled
    Then the serve_forever() task finishes cancelled
    And the server is not serving
    And a client cannot connect
    And server.sockets holds no listening sockets

  @id:serve-forever.second-call-runtime-error
  Scenario: A second concurrent serve_forever() is refused with RuntimeError
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Given a server started with start_server
    When serve_forever() runs in a task
    And serve_forever() is awaited a second time
    Then it failed with RuntimeError
    And a client can connect and is echoed

  @id:serve-forever.closed-server-runtime-error
  Scenario: serve_forever() on a closed server fails with RuntimeError
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Note: the docs do not say what happens on a closed server; asyncio
          refuses at once instead of waiting for a cancellation.
    Given a server started with start_server
    When the server is closed
    And serve_forever() is awaited
    Then it failed with RuntimeError
    And a client cannot connect

  @id:serve-forever.close-ends-it
  Scenario: close() called while serve_forever() runs ends it as cancelled
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Note: undocumented; close() cancels what serve_forever() waits on.
    Given a server started with start_server
    When serve_forever() runs in a task
    And the server is closed
    Then the serve_forever() task finishes cancelled
    And a client cannot connect

  Rule: Cancelling serve_forever() while a client is connected
    Versions differ in three steps.  Up to 3.11 the cancellation closes the
    server and ends at once, leaving the clients connected.  3.12 made it
    wait, like wait_closed(), until the last client has gone: wait_closed()
    began waiting for clients in 3.12.0 (gh-79033) and 3.12.1 changed it
    once more (PR #111336); this holds for every 3.12.x, for 3.13.0 to
    3.13.14 and for 3.14.0 to 3.14.6.  From 3.13.15, 3.14.7 and 3.15.0 it
    also closes the connected clients (close_clients()), so it ends promptly
    and each client sees the end of the stream (gh-123720); that variant is
    checked with three clients, every one of which must be closed.  3.12.0 is not
    covered: the waiting scenario starts at 3.12.1.

    Background:
      Given a server whose handler echoes what it receives

    @use.with_python=..3.11 @id:serve-forever.cancel-with-client-ends-at-once
    Scenario: Up to 3.11, cancelling serve_forever() ends it at once though a client is connected
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
      CPython: gh-79033 (wait_closed() did not wait for connected clients before 3.12)
      CPython: gh-123720 (from 3.12 the cancellation waited for the clients)
      When serve_forever() runs in a task
      And a client connects
      And the serve_forever() task is cancelled without waiting for it
      Then the serve_forever() task has finished by the time the client is echoed
      And the serve_forever() task finishes cancelled
      And a client cannot connect

    @use.with_python=3.12.1..3.12 @use.with_python=3.13.0..3.13.14 @use.with_python=3.14.0..3.14.6
    @cpython_bug @id:serve-forever.cancel-waits-for-client
    Scenario: From 3.12.1 to 3.13.14 and 3.14.6, a cancelled serve_forever() stops listening but ends only when the last client has gone
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
      CPython: gh-79033 (from 3.12.0 wait_closed() waits for the clients; PR #111336 in 3.12.1)
      CPython: gh-123720 (the cancellation hangs on connected clients; fixed in 3.13.15, 3.14.7, 3.15.0a8)
      When serve_forever() runs in a task
      And a client connects
      And the serve_forever() task is cancelled without waiting for it
      Then the serve_forever() task has not finished while the client is served
      And a client cannot connect
      When the client disconnects
      Then the serve_forever() task finishes cancelled

    @use.with_python=3.13.15..3.13 @use.with_python=3.14.7..3.14 @use.with_python=3.15..
    @id:serve-forever.cancel-closes-clients
    Scenario: From 3.13.15, 3.14.7 and 3.15, a cancelled serve_forever() closes the connected clients and ends
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close_clients
      CPython: gh-123720 (cancelling serve_forever() calls close_clients() before wait_closed())
      Note: the docs say only that cancelling the task closes the server.
      When serve_forever() runs in a task
      And 3 clients connect
      And the serve_forever() task is cancelled without waiting for it
      Then the serve_forever() task finishes cancelled
      And every client sees the connection closed
      And a client cannot connect

  Rule: The context connection handlers run in
    Not in the docs: up to 3.14 handlers run in the context (contextvars)
    of the task that started serving; from 3.15 in the one the server was
    created in (gh-140947).

    Background:
      Given a server started with start_serving off while a context variable holds "at creation"

    @use.with_python=..3.14 @id:serve-forever.handler-context-from-serving-task
    Scenario: Up to 3.14, handlers run in the context of the task that started serving
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
      Docs: https://docs.python.org/3/library/contextvars.html#asyncio-support
      CPython: gh-140947 (server tasks took the context of whoever started serving; the server's own from 3.15.0a8)
      Note: the docs do not say which context a connection handler runs in.
      When serve_forever() runs in a task that sets the context variable to "in the serving task"
      Then a client is told the context variable holds "in the serving task"

    @use.with_python=3.15.. @id:serve-forever.handler-context-from-creation
    Scenario: From 3.15, handlers run in the context the server was created in
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
      Docs: https://docs.python.org/3/library/contextvars.html#asyncio-support
      CPython: gh-140947 (the server copies the context when it is created and starts its tasks in it)
      Note: the docs do not say which context a connection handler runs in.
      When serve_forever() runs in a task that sets the context variable to "in the serving task"
      Then a client is told the context variable holds "at creation"
