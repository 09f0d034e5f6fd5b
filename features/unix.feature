Feature: Unix socket servers
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_unix_server

  A Unix server listens on a socket file at a path, or on a Unix socket the
  caller has bound already.  On Linux a name that starts with a NUL byte is
  bound in the abstract namespace instead, where no file is made.  Before
  binding, a socket file already at the path is removed; any other kind of
  file makes creation fail.  What happens to the socket file when the server
  closes changed in 3.13 (the rules at the end); either way, a file that has
  taken the socket file's place since the server started -- a regular file,
  another server's socket -- is left alone.

  @id:unix.path-makes-socket-file
  Scenario: start_unix_server makes a socket file at the path and serves through it
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_unix_server
    Given a server started with start_unix_server
    Then a socket file exists at the server's path
    And a client can connect and is echoed

  @id:unix.caller-bound-socket
  Scenario: A Unix server can listen on a socket the caller has already bound
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    Given a Unix socket bound by the caller at a path
    And a server started with start_unix_server on that socket
    Then a client can connect and is echoed

  @id:unix.path-and-sock-value-error
  Scenario: Giving both a path and a socket is rejected with ValueError
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    Given a Unix socket bound by the caller at a path
    When start_unix_server is called with both a path and that socket
    Then it failed with ValueError

  @use.with_os=linux @id:unix.abstract-name-no-file
  Scenario: On Linux, a name starting with a NUL byte is bound in the abstract namespace, with no file
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    Docs: https://docs.python.org/3/library/socket.html#socket-families
    Given a server started with start_unix_server at an abstract socket name
    Then no file was made for the abstract name
    And the listening socket reports the abstract name, as bytes
    And a client can connect and is echoed

  @id:unix.stale-socket-file-replaced
  Scenario: A socket file left behind by a server that has gone is replaced
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    CPython: bpo-28399 (stale socket files are removed before binding)
    Given a socket file left at a path by a server that has gone
    And a server started with start_unix_server at that path
    Then a client can connect and is echoed

  @id:unix.regular-file-in-the-way
  Scenario: A regular file at the path makes creation fail, and the file is left alone
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    CPython: bpo-28399 (only socket files are removed before binding)
    Given a regular file at a path
    When start_unix_server is called at that path
    Then the error is EADDRINUSE (address already in use)
    And the regular file is still there, unchanged

  @id:unix.live-path-taken-over
  Scenario: A second server at the path of a live server silently takes the path over
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    CPython: gh-121252 (open: the live socket of another server is removed like a stale one)
    Note: no error warns that the path was in use; new clients reach the second server.
    Given a server started with start_unix_server whose handler closes each connection at once
    And another server, which echoes what it receives, started with start_unix_server at the same path
    Then a client can connect and is echoed

  @id:unix.replaced-file-left-on-close
  Scenario: Closing the server leaves alone a regular file put in place of its socket file
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    CPython: gh-111246 (from 3.13, close() removes the socket file only if it is still the one the server made)
    Note: up to 3.12 close() removes nothing at the path; from 3.13 it first
          compares the file's inode with the one it noted when it started.
    Given a server started with start_unix_server
    When a regular file is put in place of the server's socket file
    And the server is closed
    Then the regular file is still there, unchanged

  @id:unix.taken-over-path-kept-on-close
  Scenario: Closing a server whose path another server has taken over leaves the other server's socket file
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    CPython: gh-111246 (from 3.13, close() removes the socket file only if it is still the one the server made)
    CPython: gh-121252 (open: a live server's socket file is replaced like a stale one)
    Given a server started with start_unix_server whose handler closes each connection at once
    And another server, which echoes what it receives, started with start_unix_server at the same path
    When the first server is closed
    Then a socket file exists at the server's path
    And a client can connect and is echoed

  Rule: Closing the server and its socket file
    Up to 3.12 the socket file stays behind when the server closes; from
    3.13 on the server removes it (gh-111246), even when the caller bound
    the socket and handed it over (gh-133354 asks not to).

    @use.with_python=..3.12 @id:unix.file-stays-after-close
    Scenario: Up to 3.12, the socket file stays behind when the server is closed
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
      CPython: gh-111246 (removal on close came in 3.13)
      Given a server started with start_unix_server
      When the server is closed
      Then a socket file exists at the server's path
      And a client cannot connect

    @use.with_python=3.13.. @id:unix.file-removed-on-close
    Scenario: From 3.13, closing the server removes its socket file
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
      CPython: gh-111246 (removal on close came in 3.13)
      Given a server started with start_unix_server
      When the server is closed
      Then nothing exists at the server's path
      And a client cannot connect

    @use.with_python=..3.12 @id:unix.caller-socket-file-stays-after-close
    Scenario: Up to 3.12, closing a server on a caller's socket leaves the socket file
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
      Given a Unix socket bound by the caller at a path
      And a server started with start_unix_server on that socket
      When the server is closed
      Then a socket file exists at the server's path
      And a client cannot connect

    @use.with_python=3.13.. @id:unix.caller-socket-file-removed-on-close
    Scenario: From 3.13, closing removes the socket file even when the caller bound the socket
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
      CPython: gh-133354 (open: asks not to remove a socket the caller passed in)
      Given a Unix socket bound by the caller at a path
      And a server started with start_unix_server on that socket
      When the server is closed
      Then nothing exists at the server's path
      And a client cannot connect

  Rule: cleanup_socket, new in 3.13
    cleanup_socket=False keeps the socket file when the server closes; up to
    3.12 the argument does not exist.

    @use.with_python=3.13.. @id:unix.cleanup-socket-off-keeps-file
    Scenario: From 3.13, cleanup_socket=False keeps the socket file after close
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
      CPython: gh-111246
      Given a server started with start_unix_server with cleanup_socket off
      When the server is closed
      Then a socket file exists at the server's path
      And a client cannot connect

    @use.with_python=..3.12 @id:unix.cleanup-socket-type-error
    Scenario: Up to 3.12, cleanup_socket is rejected with TypeError
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
      Note: the argument does not exist before 3.13.
      When start_unix_server is called with cleanup_socket off
      Then it failed with TypeError
