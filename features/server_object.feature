Feature: The server object
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.get_loop

  A Server knows the event loop it was created on, and says so for its
  whole life, closed or not (get_loop(), new in 3.7).

  @id:server.get-loop
  Scenario: get_loop() gives the loop the server runs on, before and after close()
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.get_loop
    Given a server started with start_server
    Then get_loop() returns the loop the server runs on
    When the server is closed
    Then get_loop() returns the loop the server runs on
