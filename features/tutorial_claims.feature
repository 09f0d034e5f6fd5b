Feature: What an asyncio server tutorial claims, checked
  Checks: the claims of the seed tutorial "Asyncio Socket Servers" (March 2024),
          against https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
          and https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server

  A reader who learnt asyncio servers from the seed tutorial can look up each
  of its claims here: whether it holds, on which Python versions, and what
  holds instead.  Most hold.  Three do not, or not everywhere:

  - server.sockets does not list client connections; its length is the
    number of listening sockets, whatever the number of clients.
  - wait_closed() waits for the clients to go only from 3.12 on (3.12.0
    began it, 3.12.1 refined it); up to 3.11 it returns as soon as the
    server is closed (gh-79033).
  - the printed repr shows family=2, type=1 only from 3.11 on; before, it
    shows the enum names.

  Two more things the tutorial's examples rely on without saying: leaving
  out the host listens on every interface, not only on loopback; and a
  handler that does nothing leaves each client connected (up to 3.12) until
  the client itself hangs up.  The tutorial's examples listen on the fixed
  port 8888; the spec always asks for port 0, so that the system picks a
  free port.  3.12.0 is not covered.

  @id:tutorial.made-by-factory
  Scenario: A server comes from a factory function, not from calling Server()
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Note: tutorial says one never instantiates the server class but gets a
          server from a helper such as start_server.  Holds: the class needs
          the loop's own internals (loop, bound sockets, protocol factory...).
    Given a server started with start_server
    Then the server is an asyncio Server object
    And a client can connect and is echoed
    When asyncio's Server class is called without arguments
    Then it failed with TypeError

  @id:tutorial.serves-at-once
  Scenario: start_server returns a server that already accepts clients
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: tutorial says a new server listens and accepts connections straight
          away, unless told otherwise.  Holds.
    Given a server started with start_server
    Then the server is serving
    And a client can connect and is echoed

  @id:tutorial.start-serving-later
  Scenario: With start_serving=False, clients are refused until start_serving() is awaited
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.start_serving
    Note: tutorial says start_serving=False holds the server back until its
          start_serving() method is awaited.  Holds -- and until then the
          socket does not even listen: connections are refused, not queued.
    Given a server started with start_server with start_serving off
    Then the server is not serving
    And a client cannot connect
    When start_serving() is awaited
    Then the server is serving
    And a client can connect and is echoed

  @id:tutorial.is-serving-states
  Scenario: is_serving() is False before start_serving(), True after, False after close()
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.is_serving
    Note: tutorial says is_serving() tells whether the server accepts
          connections at the moment.  Holds.
    Given a server started with start_server with start_serving off
    Then the server is not serving
    When start_serving() is awaited
    Then the server is serving
    When the server is closed
    Then the server is not serving
    And a client cannot connect

  @id:tutorial.serve-forever-runs-until-cancelled
  Scenario: serve_forever() does not return while it serves; cancelling it closes the server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Note: tutorial says serve_forever() never returns and keeps the program
          accepting clients.  Holds: it ends only by cancellation, which
          also closes the server.
    Given a server started with start_server
    When serve_forever() runs in a task
    Then a client can connect and is echoed
    And the serve_forever() task has not finished while the client is served
    When the client disconnects
    And the serve_forever() task is cancelled
    Then the serve_forever() task finishes cancelled
    And the server is not serving
    And a client cannot connect

  @id:tutorial.serve-forever-ends-on-close
  Scenario: serve_forever() also ends, as cancelled, when the server is closed elsewhere
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Note: tutorial says serve_forever() never returns.  It never returns
          normally, but close() called from elsewhere ends it with
          CancelledError -- not documented.
    Given a server started with start_server
    When serve_forever() runs in a task
    And the server is closed
    Then the serve_forever() task finishes cancelled
    And a client cannot connect

  @id:tutorial.sockets-are-not-clients
  Scenario: server.sockets lists the listening sockets, not the connected clients
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
    Note: tutorial says server.sockets gives access to the clients' sockets and
          that its length is the number of clients connected.  False on
          every version: it holds one socket per listening address.
    Given a server whose handler holds each connection open
    When 3 clients connect
    Then server.sockets holds 1 listening socket
    And every socket in server.sockets listens on the server's address and none is a client

  @id:tutorial.close-keeps-clients
  Scenario: close() stops new connections and leaves connected clients alone
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
    Note: tutorial says after close() the server takes no new clients but
          may still have some connected.  Holds.
    Given a server whose handler echoes what it receives
    When a client connects
    And the server is closed
    Then a client cannot connect
    And the connected client is still echoed

  @id:tutorial.no-host-every-interface
  Scenario: start_server with a port but no host listens on every interface
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: tutorial says nothing about the host, yet one of its examples gives
          only a port.  Such a server is not on loopback alone: it binds the
          IPv4 and IPv6 wildcard addresses, so other machines can reach it.
          Traffic here goes to loopback only.
    Given a server started with start_server with a port but no host
    Then the server listens exactly on IPv4 0.0.0.0 and IPv6 ::
    And a client reaching each listening socket is echoed

  @id:tutorial.async-with-closes
  Scenario: Leaving async with closes the server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Note: tutorial says the server is an async context manager that closes
          it on exit.  Holds.
    Given a server started with start_server
    When the server is used in an async with block that then ends
    Then the server is not serving
    And a client cannot connect
    And repr(server) lists no sockets

  @id:tutorial.async-with-serve-forever-cancelled
  Scenario: Cancelling serve_forever() inside async with closes the server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Note: tutorial says async with around serve_forever() makes sure the
          server is closed when serve_forever() is cancelled.  Holds.
    Given a server started with start_server
    When serve_forever() runs in a task inside an async with block
    And the serve_forever() task is cancelled without waiting for it
    Then the serve_forever() task finishes cancelled
    And the server is not serving
    And a client cannot connect

  @id:tutorial.handler-may-be-plain-function
  Scenario: The handler gets a reader and a writer, and need not be a coroutine
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Note: tutorial says the handler is a coroutine taking a StreamReader and a
          StreamWriter.  The arguments hold; a plain function works as well.
    Given a server whose handler is a plain function that greets the client and closes
    When a client connects
    Then the client receives the greeting
    And the client sees the connection closed
    And the handler was given a StreamReader and a StreamWriter, in that order

  Rule: Claim: once wait_closed() returns, every client connection is closed
    It holds from 3.12.1 only; up to 3.11 wait_closed() returns as soon as
    the server is closed (gh-79033).

    Background:
      Given a server whose handler echoes what it receives

    @use.with_python=..3.11 @id:tutorial.wait-closed-returns-with-clients
    Scenario: Up to 3.11, wait_closed() returns while clients are still connected
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
      CPython: gh-79033 (wait_closed() did not wait for connections; fixed in 3.12.0, refined in 3.12.1)
      Note: tutorial says once wait_closed() returns, every client connection
            is closed.  False up to 3.11: after close() it returns at once.
      When a client connects
      And the server is closed
      And wait_closed() is awaited
      Then the connected client is still echoed

    @use.with_python=3.12.1.. @id:tutorial.wait-closed-waits-for-clients
    Scenario: From 3.12.1, wait_closed() returns only once the clients have gone
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
      CPython: gh-79033 (PR #111424)
      Note: tutorial says once wait_closed() returns, every client connection
            is closed.  Holds from 3.12.1 on.
      When a client connects
      And the server is closed
      And wait_closed() is started in a task
      Then wait_closed() has not finished while the client is served
      When the client disconnects
      Then wait_closed() finishes

  Rule: Claim: printing a server shows family=2, type=1
    It holds from 3.11; up to 3.10 the family and type print as enum names
    (gh-84247).

    Background:
      Given a server asked to listen on 127.0.0.1 port 0

    @use.with_python=3.11.. @id:tutorial.repr-numbers
    Scenario: From 3.11, printing a server shows family=2, type=1, as the tutorial's output does
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
      CPython: gh-84247 (enum str/format change in 3.11)
      Note: tutorial says printing a server shows the socket family and type as
            numbers (family=2, type=1), and an empty tuple once closed.  Holds
            from 3.11 on.
      Then repr(server) lists the listening socket with family and type as numbers
      When the server is closed
      Then repr(server) lists no sockets

    @use.with_python=..3.10 @id:tutorial.repr-enum-names
    Scenario: Up to 3.10, printing a server shows the family and type by enum name
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
      CPython: gh-84247 (enum str/format change in 3.11)
      Note: tutorial says printing a server shows family=2, type=1.  Not up to
            3.10: there it reads AddressFamily.AF_INET, SocketKind.SOCK_STREAM.
      Then repr(server) lists the listening socket with family and type as enum names
      When the server is closed
      Then repr(server) lists no sockets

  Rule: Claim: Control-C stops the serve_forever() example
    Control-C cancels the task that runs serve_forever() inside async with.
    With a client connected, what that does depends on the version
    (gh-79033, gh-123720).

    Background:
      Given a server whose handler echoes what it receives

    @use.with_python=..3.11 @id:tutorial.async-with-serve-forever-cancelled-with-client-ends-at-once
    Scenario: Up to 3.11, that cancellation ends at once though a client is connected
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
      CPython: gh-123720 (from 3.12 the cancellation waited for the clients)
      Note: tutorial says to stop its serve_forever() example with Control-C,
            which cancels the task; with a client connected that ends at once.
      When serve_forever() runs in a task inside an async with block
      And a client connects
      And the serve_forever() task is cancelled without waiting for it
      Then the serve_forever() task has finished by the time the client is echoed
      And the serve_forever() task finishes cancelled
      And a client cannot connect

    @use.with_python=3.12.1..3.12 @use.with_python=3.13.0..3.13.14 @use.with_python=3.14.0..3.14.6
    @cpython_bug @id:tutorial.async-with-serve-forever-cancelled-waits-for-client
    Scenario: From 3.12.1 to 3.13.14 and 3.14.6, that cancellation stops listening but ends only when the last client has gone
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
      CPython: gh-79033 (from 3.12.0 wait_closed() waits for the clients; PR #111336 in 3.12.1)
      CPython: gh-123720 (the cancellation hangs on connected clients; fixed in 3.13.15, 3.14.7, 3.15.0a8)
      Note: tutorial says to stop its serve_forever() example with Control-C;
            on these versions the program then waits for every client to hang up.
      When serve_forever() runs in a task inside an async with block
      And a client connects
      And the serve_forever() task is cancelled without waiting for it
      Then the serve_forever() task has not finished while the client is served
      And a client cannot connect
      When the client disconnects
      Then the serve_forever() task finishes cancelled

    @use.with_python=3.13.15..3.13 @use.with_python=3.14.7..3.14 @use.with_python=3.15..
    @id:tutorial.async-with-serve-forever-cancelled-closes-clients
    Scenario: From 3.13.15, 3.14.7 and 3.15, that cancellation closes the connected clients and ends
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close_clients
      CPython: gh-123720 (cancelling serve_forever() calls close_clients() before wait_closed())
      Note: tutorial says to stop its serve_forever() example with Control-C;
            on these versions each connected client then sees the end of the stream.
      When serve_forever() runs in a task inside an async with block
      And a client connects
      And the serve_forever() task is cancelled without waiting for it
      Then the serve_forever() task finishes cancelled
      And the client sees the connection closed
      And a client cannot connect

  Rule: Claim: a handler whose body is just pass
    The tutorial says nothing of closing.  Up to 3.12 such a handler leaves
    each client connected until the client hangs up; from 3.13 the writer it
    drops closes the connection (gh-114914).

    Background:
      Given a server whose coroutine handler does nothing

    @use.with_python=..3.12 @id:tutorial.pass-handler-leaves-client-connected
    Scenario: Up to 3.12, the tutorial's do-nothing handler leaves each client connected
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.close
      CPython: gh-114914 (up to 3.12 the protocol keeps the writer alive)
      Note: tutorial says nothing of closing: its handler's body is just pass.
            The server never closes those connections; only the client can.
      When a client connects
      And the handler has ended
      And garbage is collected
      Then the client's connection is still open

    @use.with_python=3.13.. @id:tutorial.pass-handler-connection-closed
    Scenario: From 3.13, the tutorial's do-nothing handler has its connection closed once it returns
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.close
      CPython: gh-114914 (PR #115661: a dropped writer closes its connection, with a ResourceWarning)
      Note: tutorial says nothing of closing: its handler's body is just pass.
            From 3.13 the dropped writer closes the connection.
      When a client connects
      And the handler has ended
      And garbage is collected
      Then the client sees the connection closed
