Feature: What a server's connection tells about itself
  Checks: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server

  The transport of every connection a server hands out answers
  get_extra_info() about the socket underneath it: 'sockname' is the
  connection's own local address, 'socket' the socket itself, and
  'peername' the client's address (that one is checked on a streams handler
  by handlers.peername-is-client).  A connection's local address is where
  the client actually arrived, which on a server listening on every
  interface is a concrete address, never the wildcard the server listens on.

  Every client connects over loopback; the protocol is the noting one of
  reference/handlers/protocols.py.

  @id:connection-info.sockname-is-local-address
  Scenario: sockname is the address the client connected to
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
    Given a server made with create_server whose protocol echoes what it receives
    When a client connects
    Then the connection's sockname is the address the client connected to

  @id:connection-info.sockname-every-interface
  Scenario: On a server listening on every interface, sockname is the loopback address each client reached, not the wildcard
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the server listens on 0.0.0.0 and :: (host None); one client
          reaches it over 127.0.0.1, the other over ::1.
    Given a server made with create_server on every interface whose protocol echoes what it receives
    When a client connects to each listening socket over loopback
    Then each connection's sockname is the loopback address its client reached

  @id:connection-info.sockname-unix
  Scenario: On a Unix server, sockname is the server's socket path
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    Given a server made with create_unix_server whose protocol echoes what it receives
    When a client connects
    Then the connection's sockname is the server's path

  @id:connection-info.socket-is-the-connection
  Scenario: socket is the connection's own socket, whose peer is the client
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
    Note: what the transport hands out may be a wrapper of the socket (asyncio's
          TransportSocket, uvloop's PseudoSocket); its file descriptor is read
          through a duplicate to see which connection it is.
    Given a server made with create_server whose protocol echoes what it receives
    When a client connects
    Then the connection's socket is not a listening socket of the server
    And the connection's socket has the client as its peer and the server's address as its own
