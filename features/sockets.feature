# Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
Feature: The listening sockets of a server
  server.sockets lists the sockets the server listens on -- one per bound
  address -- and nothing else.  Connected clients are not in it: their count
  cannot be read from it.  Once the server is closed, the list is empty.

  @id:sockets.one-per-address
  Scenario: sockets holds one listening socket for one address
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    Given a server started with start_server
    Then server.sockets holds 1 listening socket

  @id:sockets.not-clients
  Scenario: sockets does not grow as clients connect
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    # note: the seed tutorial reads len(server.sockets) as the number of
    #       connected clients; it is the number of listening sockets.
    Given a server whose handler holds each connection open
    When 3 clients connect
    Then server.sockets holds 1 listening socket

  @id:sockets.empty-after-close
  Scenario: sockets is empty after close(), though clients are still connected
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    Given a server whose handler echoes what it receives
    When a client connects
    And the server is closed
    Then server.sockets is empty
    And the connected client is still echoed

  @id:sockets.repr-empty-after-close
  Scenario: repr(server) lists no sockets after close()
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    # docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Given a server started with start_server
    When the server is closed
    Then repr(server) lists no sockets
