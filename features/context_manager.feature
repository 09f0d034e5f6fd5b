# Checks: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
#         (Server is an asynchronous context manager)
Feature: Using a server in async with
  Leaving an "async with server:" block closes the server: after it, the
  server neither serves nor accepts connections.

  @id:async-with.exit-closes
  Scenario: Leaving async with closes the server
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Given a server started with start_server
    When the server is used in an async with block that then ends
    Then the server is not serving
    And a client cannot connect
    And server.sockets is empty

  @id:async-with.serves-inside
  Scenario: The server serves inside the async with block
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Given a server started with start_server
    When the server is used in an async with block that then ends
    Then the server was serving inside the block
