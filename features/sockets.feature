Feature: The listening sockets of a server
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets

  server.sockets lists the sockets the server listens on -- one per bound
  address -- and nothing else.  Connected clients are not in it: their count
  cannot be read from it.  Once the server is closed, the list is empty.

  Docs against reality, on every version covered: the docs call it a list
  (of socket.socket objects in the 3.8-3.10 docs; of socket-like
  asyncio.trsock.TransportSocket objects from the 3.11 docs on, gh-101786),
  handed out as a copy since 3.7, and say close() sets it to None.  asyncio
  really returns a new tuple of TransportSocket wrappers on each access --
  an immutable snapshot, so changing it cannot touch the server -- and an
  empty tuple, never None, once the server is closed (bpo-36074).

  @id:sockets.one-per-address
  Scenario: sockets holds one listening socket for one address
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    Given a server started with start_server
    Then server.sockets holds 1 listening socket

  @id:sockets.not-clients
  Scenario: sockets does not grow as clients connect
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    Note: the seed tutorial reads len(server.sockets) as the number of
          connected clients; it is the number of listening sockets.
    Given a server whose handler holds each connection open
    When 3 clients connect
    Then server.sockets holds 1 listening socket

  @id:sockets.empty-after-close
  Scenario: sockets is empty after close(), though clients are still connected
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    Given a server whose handler echoes what it receives
    When a client connects
    And the server is closed
    Then server.sockets holds no listening sockets
    And the connected client is still echoed

  @id:sockets.repr-empty-after-close
  Scenario: repr(server) lists no sockets after close()
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Given a server started with start_server
    When the server is closed
    Then repr(server) lists no sockets

  @id:sockets.fresh-tuple-each-access
  Scenario: Each access to sockets builds a new tuple of the same listening sockets
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    Note: documented as a copied list; it is a tuple, rebuilt on every access.
    Given a server started with start_server
    Then server.sockets is a tuple built afresh on each access
    And every access lists the same listening sockets

  @id:sockets.transport-socket-wrappers
  Scenario: sockets holds TransportSocket wrappers, not the socket.socket objects themselves
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    CPython: gh-101786 (docs corrected from socket.socket to TransportSocket)
    Given a server started with start_server
    Then the listening sockets are asyncio TransportSocket wrappers, not socket.socket objects

  @id:sockets.empty-tuple-after-close
  Scenario: After close(), sockets is an empty tuple, not None as the docs of close() say
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    CPython: bpo-36074 (the property maps the closed state to an empty sequence)
    Given a server started with start_server
    When the server is closed
    Then server.sockets is an empty tuple, not None
