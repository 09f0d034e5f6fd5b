# Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
#         https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
Feature: Closing a server
  close() stops listening: new connections are refused at once, while
  connections already accepted stay open.  wait_closed() is where the
  versions differ: up to 3.11 it returns as soon as the server is closed,
  even with clients still connected; from 3.12.1 on it waits until every
  client connection has ended (gh-79033).  3.12.0 is not covered here.

  @id:closing.stops-new-connections
  Scenario: close() stops new connections
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Given a server started with start_server
    When the server is closed
    Then a client cannot connect
    And the server is not serving

  @id:closing.leaves-clients-open
  Scenario: close() leaves connected clients open
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Given a server whose handler echoes what it receives
    When a client connects
    And the server is closed
    Then the connected client is still echoed

  @id:closing.close-twice
  Scenario: close() can be called twice
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Given a server started with start_server
    When the server is closed
    And the server is closed again
    Then a client cannot connect
    And server.sockets is empty

  @id:closing.wait-closed-no-clients
  Scenario: With no clients, wait_closed() returns once the server is closed
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
    Given a server started with start_server
    When the server is closed
    And wait_closed() is awaited
    Then a client cannot connect

  @use.with_python.max_version=3.11 @id:closing.wait-closed-returns-with-client
  Scenario: Up to 3.11, wait_closed() returns while a client is still connected
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
    # cpython: gh-79033
    Given a server whose handler echoes what it receives
    When a client connects
    And the server is closed
    And wait_closed() is awaited
    Then the connected client is still echoed

  @use.with_python.min_version=3.12.1 @id:closing.wait-closed-waits-for-client
  Scenario: From 3.12.1, wait_closed() waits until connected clients have gone
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
    # cpython: gh-79033
    Given a server whose handler echoes what it receives
    When a client connects
    And the server is closed
    And wait_closed() is started in a task
    Then wait_closed() has not returned while the client is served
    When the client disconnects
    Then wait_closed() returns
