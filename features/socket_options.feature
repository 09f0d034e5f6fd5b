Feature: Socket options of a TCP server
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
          (backlog, reuse_address, reuse_port, keep_alive; TCP_NODELAY on connections;
          start_server hands them on: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server)

  backlog is handed to listen(): it caps how many connections the kernel
  keeps waiting to be accepted (100 unless told otherwise).  reuse_address,
  on by default on Unix, lets a new server bind a port whose old connections
  are still there (in TIME_WAIT, or still open).  reuse_port lets several servers listen on one
  port, provided every one of them asks for it.  keep_alive, new in 3.13,
  turns TCP keep-alive on for the accepted connections (the rule at the
  end).  Accepted connections have TCP_NODELAY set.

  Options are read from the kernel: the accept-queue cap through Linux
  sock_diag (what `ss -lt` shows as Send-Q), the rest with getsockopt().
  Filling the accept queue to watch it overflow is not done: the kernel drops
  the extra handshakes silently and the client retries after a second, so
  the outcome would depend on timing.  Keep-alive probes are not awaited
  either: the shortest idle time before the first probe is a second.  The
  old connections that hold a port are open ones, not ones in TIME_WAIT: the
  kernel keeps those in one table for the whole machine and keeps none once
  it is full, and the port would then simply be free.

  @id:socket-options.backlog-default
  Scenario: By default at most 100 connections wait to be accepted
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server started with start_server
    Then the listening socket lets at most 100 connections wait to be accepted

  @id:socket-options.backlog-given
  Scenario: backlog sets how many connections may wait to be accepted
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server started with backlog=3
    Then the listening socket lets at most 3 connections wait to be accepted
    And a client can connect and is echoed

  @id:socket-options.reuse-address-default
  Scenario: By default a new server can take a port an old server's connection still holds
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the docs speak of old connections in TIME_WAIT.  Linux treats every
          socket on a port that is not listening alike, open or in TIME_WAIT:
          a new server may bind the port only if both it and the old socket
          set SO_REUSEADDR.  The old listener sets it, as asyncio does on
          every listening socket by default; so must the new server.
    Given a port whose listener was closed while a connection it accepted stays open
    When another server is created on the same port
    Then the second server listens on the same port
    And a client can connect and is echoed

  @id:socket-options.reuse-address-off
  Scenario: With reuse_address=False a port an old server's connection still holds cannot be bound
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a port whose listener was closed while a connection it accepted stays open
    When another server is created on the same port with reuse_address=False
    Then it failed with OSError
    And the error is EADDRINUSE (address already in use)

  @id:socket-options.reuse-port-shares-port
  Scenario: Two servers that both ask for reuse_port listen on the same port
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server started with reuse_port=True
    When another server is created on the same port with reuse_port=True
    Then both servers listen on the same port
    And a client can connect and is echoed

  @id:socket-options.reuse-port-needed-by-all
  Scenario: A server without reuse_port cannot join a port shared with reuse_port
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server started with reuse_port=True
    When another server is created on the same port
    Then it failed with OSError
    And the error is EADDRINUSE (address already in use)

  @id:socket-options.keep-alive-off-by-default
  Scenario: Without keep_alive, accepted connections have keep-alive off
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server started with start_server
    When a client connects
    Then the accepted connection has SO_KEEPALIVE off

  @id:socket-options.tcp-nodelay
  Scenario: Accepted connections have TCP_NODELAY set
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the docs list this under "changed in 3.6" (TCP_NODELAY for every TCP connection).
    Given a server started with start_server
    When a client connects
    Then the accepted connection has TCP_NODELAY on

  Rule: keep_alive, new in 3.13
    From 3.13 keep_alive=True turns TCP keep-alive on for every accepted
    connection (gh-101336); up to 3.12 the argument does not exist.

    @use.with_python=3.13.. @id:socket-options.keep-alive-on
    Scenario: From 3.13, keep_alive=True turns keep-alive on for accepted connections
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
      CPython: gh-101336 (keep_alive added to create_server and start_server in 3.13)
      Given a server started with keep_alive=True
      When a client connects
      Then the accepted connection has SO_KEEPALIVE on

    @use.with_python=..3.12 @id:socket-options.keep-alive-unknown
    Scenario: Up to 3.12, keep_alive is not an argument and is refused with TypeError
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
      CPython: gh-101336 (keep_alive added to create_server and start_server in 3.13)
      When a server is created with keep_alive=True
      Then it failed with TypeError
