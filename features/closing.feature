Feature: Closing a server
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed

  close() stops listening: new connections are refused at once, while
  connections already accepted stay open.  wait_closed() is where the
  versions differ (the rule below).  close() is documented as completing
  asynchronously, yet the listening sockets are closed before it returns.

  @id:closing.stops-new-connections
  Scenario: close() stops new connections
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Given a server started with start_server
    When the server is closed
    Then a client cannot connect
    And the server is not serving

  @id:closing.refuses-before-any-await
  Scenario: close() stops listening before it returns, without any await
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Note: the docs call the closing asynchronous; what is left for later is
          only the waiting for connected clients, not the listening sockets.
    Given a server started with start_server
    When the server is closed and a client tries to connect before anything else runs
    Then that client was refused
    And the server is not serving

  @id:closing.leaves-clients-open
  Scenario: close() leaves connected clients open
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Given a server whose handler echoes what it receives
    When a client connects
    And the server is closed
    Then the connected client is still echoed

  @id:closing.close-twice
  Scenario: close() can be called twice
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Given a server started with start_server
    When the server is closed
    And the server is closed
    Then a client cannot connect
    And server.sockets holds no listening sockets

  @id:closing.wait-closed-no-clients
  Scenario: With no clients, wait_closed() returns once the server is closed
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
    Given a server started with start_server
    When the server is closed
    And wait_closed() is awaited
    Then a client cannot connect

  Rule: wait_closed() with a client still connected
    Up to 3.11 wait_closed() returns as soon as the server is closed, even
    with clients still connected; from 3.12.1 on it waits until every client
    connection has ended (gh-79033).  On every version, a wait_closed() that
    was already waiting when close() was called waits for the clients too.
    3.12.0 had a behaviour of its own (wait_closed() gave up whenever no
    connection was active, even on a server still open); it is not covered.

    The docs followed: the 3.8-era text only promised that wait_closed()
    waits for close() to complete; the 3.12 docs add that it waits for the
    active connections to finish too, and the 3.14 and 3.15 docs carry a
    "changed in version 3.12" note about it (gh-120866).

    Background:
      Given a server whose handler echoes what it receives

    @use.with_python=..3.11 @id:closing.wait-closed-returns-with-client
    Scenario: Up to 3.11, wait_closed() returns while a client is still connected
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
      CPython: gh-79033
      When a client connects
      And the server is closed
      And wait_closed() is awaited
      Then the connected client is still echoed

    @use.with_python=3.12.1.. @id:closing.wait-closed-waits-for-client
    Scenario: From 3.12.1, wait_closed() waits until connected clients have gone
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
      CPython: gh-79033
      When a client connects
      And the server is closed
      And wait_closed() is started in a task
      Then wait_closed() has not finished while the client is served
      When the client disconnects
      Then wait_closed() finishes

    @id:closing.wait-closed-before-close-waits-for-close
    Scenario: wait_closed() awaited before close() does not return while the server is open
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
      CPython: gh-79033 (3.12.0 returned at once here; fixed in 3.12.1 by gh-111336)
      When wait_closed() is started in a task
      Then wait_closed() has not finished while the server goes on serving
      When the server is closed
      Then wait_closed() finishes

    @id:closing.wait-closed-before-close-waits-for-clients
    Scenario: wait_closed() awaited before close() also waits for connected clients, on every version
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
      CPython: gh-79033 (up to 3.11 only a wait started after close() skips the clients)
      When a client connects
      And wait_closed() is started in a task
      And the server is closed
      Then wait_closed() has not finished while the client is served
      When the client disconnects
      Then wait_closed() finishes
