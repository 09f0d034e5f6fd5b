# Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
Feature: The listening sockets of a server
  server.sockets lists the sockets the server listens on -- one per bound
  address -- and nothing else.  Connected clients are not in it: their count
  cannot be read from it.  Once the server is closed, the list is empty.

  Scenario: sockets holds one listening socket for one address
    Given a server started with start_server
    Then server.sockets holds 1 listening socket

  Scenario: sockets does not grow as clients connect
    # Contrary to the tutorial in the project's seed material, which reads
    # len(server.sockets) as the number of connected clients.
    Given a server whose handler holds each connection open
    When 3 clients connect
    Then server.sockets holds 1 listening socket

  Scenario: sockets is empty after close(), though clients are still connected
    Given a server whose handler echoes what it receives
    When a client connects
    And the server is closed
    Then server.sockets is empty
    And the connected client is still echoed

  Scenario: repr(server) lists no sockets after close()
    Given a server started with start_server
    When the server is closed
    Then repr(server) lists no sockets
