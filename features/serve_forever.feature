# Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
Feature: Serving forever
  serve_forever() keeps accepting connections until its task is cancelled;
  cancelling it closes the server.  It starts a server that is not serving
  yet, and only one serve_forever() may run per server at a time.

  @id:serve-forever.accepts
  Scenario: serve_forever() accepts connections while it runs
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Given a server started with start_server
    When serve_forever() runs in a task
    Then the server is serving
    And a client can connect and is echoed

  @id:serve-forever.starts-not-serving-server
  Scenario: serve_forever() starts a server created with start_serving off
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Given a server started with start_serving off
    When serve_forever() runs in a task
    Then the server is serving
    And a client can connect and is echoed

  @id:serve-forever.cancel-closes-server
  Scenario: Cancelling the serve_forever() task closes the server
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Given a server started with start_server
    When serve_forever() runs in a task
    And the serve_forever() task is cancelled
    Then the serve_forever() task ended cancelled
    And the server is not serving
    And a client cannot connect
    And server.sockets is empty

  @id:serve-forever.second-call-runtime-error
  Scenario: A second concurrent serve_forever() is refused with RuntimeError
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Given a server started with start_server
    When serve_forever() runs in a task
    And serve_forever() is awaited a second time
    Then it failed with RuntimeError
    And a client can connect and is echoed
