Feature: Using a server in async with
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
          (Server is an asynchronous context manager)

  Leaving an "async with server:" block closes the server, whether the
  block ends normally or by an exception (which goes on out of the
  statement): after it, the server neither serves nor accepts connections.
  Entering the block does not start a server created with start_serving off.

  @id:async-with.exit-closes
  Scenario: Leaving async with closes the server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Given a server started with start_server
    When the server is used in an async with block that then ends
    Then the server is not serving
    And a client cannot connect
    And server.sockets holds no listening sockets

  @id:async-with.exit-by-exception-closes
  Scenario: Leaving async with by an exception closes the server, and the exception propagates
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Note: the docs promise a closed server after the statement, however it completes.
    Given a server started with start_server
    When the server is used in an async with block whose body raises BlockFailure
    Then it failed with BlockFailure
    And the server is not serving
    And a client cannot connect
    And server.sockets holds no listening sockets

  @id:async-with.serves-inside
  Scenario: The server serves inside the async with block
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Given a server started with start_server
    When the server is used in an async with block that then ends
    Then the server was serving inside the block

  @id:async-with.entering-does-not-start
  Scenario: Entering async with does not start a server created with start_serving off
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.start_serving
    Given a server started with start_server with start_serving off
    When the server is used in an async with block that then ends
    Then the server was not serving inside the block
    And a client cannot connect

  Rule: Leaving the block while a client is connected
    Leaving the block closes the server and then awaits wait_closed(), so it
    follows wait_closed() across versions: up to 3.11 it returns at once even
    with clients connected; from 3.12.1 on it waits until the last client
    has gone (gh-79033).  3.12.0 is not covered.

    Background:
      Given a server whose handler echoes what it receives

    @use.with_python=..3.11 @id:async-with.exit-returns-with-client
    Scenario: Up to 3.11, leaving async with returns at once while a client is still connected
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
      CPython: gh-79033 (wait_closed() after close() did not wait for clients)
      When a client connects
      And an async with block on the server ends while the client is connected
      Then leaving the block has finished by the time the client is echoed
      And a client cannot connect

    @use.with_python=3.12.1.. @id:async-with.exit-waits-for-client
    Scenario: From 3.12.1, leaving async with waits until the connected client has gone
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
      CPython: gh-79033 (fixed in 3.12.1 by gh-111336)
      Note: the docs promise only that the server is closed after the block;
            it is, at once, but the block is not left until the client goes.
      When a client connects
      And an async with block on the server ends while the client is connected
      Then leaving the block has not finished while the client is served
      And a client cannot connect
      When the client disconnects
      Then leaving the block finishes
