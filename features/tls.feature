Feature: TLS servers
  Checks: the ssl, ssl_handshake_timeout and ssl_shutdown_timeout arguments of
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_unix_server

  Given an SSLContext as ssl, a server -- TCP or Unix -- wraps every accepted connection in
  TLS before the handler sees it: the handler only ever gets decrypted data,
  and a client that cannot complete the handshake is dropped.  Two timeouts
  bound the parts of a connection that the handler never sees:
  ssl_handshake_timeout (the handshake) and, from 3.11 on,
  ssl_shutdown_timeout (waiting for the client to answer the server's TLS
  close; the rules at the end).  The certificates come from a test CA that
  ships with the spec and is trusted by nothing else.

  @id:tls.<api>-echoes-trusting-client
  Scenario Outline: A TLS server made with <api> echoes a client that trusts its certificate
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Given a TLS server started with <api>
    Then a client that trusts the test CA is echoed over TLS

    Examples:
      | api           |
      | start_server  |
      | create_server |

  @id:tls.<api>-echoes-trusting-client
  Scenario Outline: A Unix server made with <api> and given ssl speaks TLS on its socket file
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_unix_server
    Note: the Unix APIs take ssl with the same meaning as create_server; the
          client checks the certificate as if it had reached 127.0.0.1.
    Given a TLS server started with <api>
    Then a client that trusts the test CA is echoed over TLS

    Examples:
      | api                |
      | start_unix_server  |
      | create_unix_server |

  @id:tls.<api>-plain-client-dropped
  Scenario Outline: A Unix server made with <api> and given ssl drops a client that sends plain text
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_unix_server
    Given a TLS server started with <api>
    When a client without TLS sends a line of text
    Then the client sees the connection closed
    And the plain text never reached the handler

    Examples:
      | api                |
      | start_unix_server  |
      | create_unix_server |

  @id:tls.untrusting-client-fails-verification
  Scenario: A client that does not trust the server's CA fails certificate verification
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Docs: https://docs.python.org/3/library/ssl.html#ssl.SSLCertVerificationError
    Given a TLS server started with start_server
    When a client that trusts another CA connects over TLS
    Then it failed with SSLCertVerificationError
    And a client that trusts the test CA is echoed over TLS

  @id:tls.plain-client-dropped
  Scenario: A client that sends plain text instead of a TLS handshake is disconnected
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the server drops only that connection and goes on serving.
    Given a TLS server started with start_server
    When a client without TLS sends a line of text
    Then the client sees the connection closed
    And the plain text never reached the handler
    And a client that trusts the test CA is echoed over TLS

  @id:tls.handshake-timeout-drops-silent-client
  Scenario: ssl_handshake_timeout drops a client that never starts the handshake
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the default is 60 seconds; the timer starts when the connection is accepted.
    Given a TLS server started with an SSL handshake timeout of 0.2 seconds
    When a plain TCP client connects and sends nothing
    Then the server ends the connection, not before 0.2 seconds have passed

  @id:tls.handshake-timeout-needs-ssl
  Scenario: ssl_handshake_timeout without ssl is rejected with ValueError
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    When start_server is called with an SSL handshake timeout of 0.1 seconds but no ssl
    Then it failed with ValueError

  Rule: ssl_shutdown_timeout, new in 3.11
    From 3.11 ssl_shutdown_timeout bounds how long the server waits for the
    client to answer its TLS close (30 seconds unless told otherwise); up to
    3.10 the argument does not exist.

    @use.with_python=3.11.. @id:tls.shutdown-timeout-drops-silent-client
    Scenario: From 3.11, ssl_shutdown_timeout ends a connection whose client never answers the TLS close
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
      Note: ssl_shutdown_timeout is new in 3.11 (default 30 seconds); the timer
            starts when the server begins its TLS close.
      Given a TLS server that closes each connection at once, with an SSL shutdown timeout of 0.2 seconds
      When a client completes the TLS handshake but never answers the server's TLS close
      Then the client receives the server's TLS close
      And the server ends the connection, not before 0.2 seconds have passed

    @use.with_python=..3.10 @id:tls.shutdown-timeout-type-error
    Scenario: Up to 3.10, ssl_shutdown_timeout is rejected with TypeError
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
      Note: the argument does not exist before 3.11.
      When start_server is called with ssl and an SSL shutdown timeout of 0.1 seconds
      Then it failed with TypeError

  Rule: ssl_shutdown_timeout once the client has half-closed
    Until 3.14.10 and 3.15.2 the shutdown timeout did not apply once the
    client had half-closed the connection (gh-160520): the server's close
    waited for its unsent data to drain, which a client that reads nothing
    never allows.

    @use.with_python=3.11..3.14.9 @use.with_python=3.15.0..3.15.1
    @cpython_bug @id:tls.shutdown-timeout-ignored-after-client-eof
    Scenario: Up to 3.14.9 and 3.15.1, ssl_shutdown_timeout does not end a connection whose client half-closed and reads nothing
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
      CPython: gh-160520 (the timeout was not applied once the peer had sent EOF; fixed in 3.14.10 and 3.15.2)
      Note: the server's close waits for its unsent data to drain, which a
            client that does not read never allows; checked for five times
            the timeout.
      Given a TLS server whose handler writes 4 MiB that the client does not read, with an SSL shutdown timeout of 0.02 seconds
      When a client completes the TLS handshake, then half-closes its side and reads nothing
      Then the server's side of the connection is still open 0.1 seconds later

    @use.with_python=3.14.10..3.14 @use.with_python=3.15.2..
    @id:tls.shutdown-timeout-after-client-eof
    Scenario: From 3.14.10 and 3.15.2, ssl_shutdown_timeout also ends a connection whose client half-closed and reads nothing
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
      CPython: gh-160520 (the shutdown timeout now also bounds the flush after the peer's EOF)
      Note: the handler's writer.wait_closed() raises TimeoutError then.
      Given a TLS server whose handler writes 4 MiB that the client does not read, with an SSL shutdown timeout of 0.2 seconds
      When a client completes the TLS handshake, then half-closes its side and reads nothing
      Then the server ends its side of the connection, not before 0.2 seconds have passed
