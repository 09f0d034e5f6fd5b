Feature: Switching a server's connection to TLS part way through
  Checks: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.start_tls
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.start_tls
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.get_extra_info

  A connection a plain server accepted can move to TLS in the middle of the
  stream, as SMTP's or IMAP's STARTTLS does: the client asks in plain text,
  the server agrees, and both start a TLS handshake on the same connection,
  the server taking the server's side.  A start_server handler does it with
  writer.start_tls() (new in 3.11), after which its reader and writer carry
  TLS; a protocol of loop.create_server does it with loop.start_tls(), which
  hands back a new transport for the protocol to use from then on.  Here the
  client asks with the line "STARTTLS", the server answers "OK" in plain
  text before it switches, and the client, which trusts the test CA, drives
  its side of TLS by hand.  No step expects a report to the loop's exception
  handler: a handshake that fails or times out is an OSError, which asyncio
  logs only in debug mode.

  Rule: StreamWriter.start_tls(), new in 3.11
    From 3.11 a handler can switch its connection to TLS with
    writer.start_tls(); up to 3.10 a StreamWriter has no such method.

    Background:
      Given a server whose handler switches its connection to TLS when the client asks

    @use.with_python=3.11.. @id:tls-upgrade.writer-start-tls
    Scenario: From 3.11, a handler switches its connection to TLS with writer.start_tls()
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.start_tls
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.get_extra_info
      Note: once start_tls() has returned, the same reader and writer read and
            write through TLS, and the writer reports the connection's SSLObject.
      When a client asks for TLS, is told to go ahead and completes the TLS handshake
      Then the client is echoed over the TLS it switched to
      And the handler's connection reports an ssl.SSLObject on the server's side, speaking TLS

    @use.with_python=..3.10 @id:tls-upgrade.no-writer-start-tls
    Scenario: Up to 3.10, a StreamWriter has no start_tls()
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.start_tls
      Note: the method is new in 3.11; before that a streams handler could only
            call loop.start_tls() itself and build a new writer around its result.
      When a client asks for TLS and is told to go ahead
      Then the handler's switch to TLS failed with AttributeError

  Rule: A TLS handshake the client sends right behind its request
    A client may send the start of its TLS handshake (its ClientHello) right
    behind its request, without waiting for the answer, so that the server's
    reader has it already when the handler calls writer.start_tls().  Up to
    3.13.12 and 3.14.3 those bytes stayed in the reader and TLS waited for a
    handshake that had already arrived (gh-142352); from 3.13.13 and 3.14.4
    start_tls() hands what the reader holds over to TLS.

    Background:
      Given a server whose handler switches its connection to TLS when the client asks, with an SSL handshake timeout of 0.2 seconds

    @use.with_python=3.11..3.13.12 @use.with_python=3.14.0..3.14.3
    @cpython_bug @id:tls-upgrade.early-handshake-left-in-reader
    Scenario: Up to 3.13.12 and 3.14.3, a TLS handshake sent right behind the request is left in the reader, and the switch times out
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.start_tls
      CPython: gh-142352 (start_tls() left the reader's buffered bytes behind; fixed in 3.13.13, 3.14.4, 3.15.0a7)
      Note: seen on 3.11.7, 3.12.1, 3.13.0, 3.13.5 and PyPy 3.11; no 3.14.0 to
            3.14.3 was installed, that bound comes from the changelog.  Without
            ssl_handshake_timeout the switch would wait 60 seconds.
      When a client sends the start of its TLS handshake right behind its request for TLS
      Then the handler's switch to TLS failed with ConnectionAbortedError, not before 0.2 seconds have passed
      And the client's TLS handshake got no answer before the connection ended

    @use.with_python=3.13.13..3.13 @use.with_python=3.14.4..3.14 @use.with_python=3.15..
    @id:tls-upgrade.early-handshake-passed-to-tls
    Scenario: From 3.13.13 and 3.14.4, a TLS handshake sent right behind the request is passed on to TLS
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.start_tls
      CPython: gh-142352 (start_tls() moves what the reader holds into TLS; in 3.13.13, 3.14.4, 3.15.0a7)
      Note: seen on 3.13.15, 3.13.18, 3.14.8, 3.14.10, 3.15.0 and 3.15.2; no
            3.13.6 to 3.13.14 nor 3.14.0 to 3.14.7 was installed, the bounds
            come from the changelog.
      When a client sends the start of its TLS handshake right behind its request for TLS
      Then the client completes the TLS handshake and is echoed over the TLS it switched to

  Rule: The handler's reader after the switch
    A StreamReader pauses the transport it reads from when more than twice
    its limit waits unread in it, and resumes it once it holds no more than
    its limit.  Up to 3.14.6 (and in every 3.13) the reader of a switched
    connection went on pausing the plain transport under TLS, not the TLS
    transport the writer holds, whose is_reading() therefore stayed True
    (gh-152431); from 3.14.7 the reader follows the switch.

    Background:
      Given a server started with a reader limit of 1024 bytes whose handler switches its connection to TLS when the client asks, then reads 8192 bytes

    @cpython_bug @use.with_python=3.11..3.14.6 @id:tls-upgrade.full-reader-pauses-plain-transport
    Scenario: Up to 3.14.6, a full reader pauses the plain transport under TLS, and the TLS transport says it is reading
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.start_tls
      CPython: gh-152431 (the reader kept the plain transport after start_tls(); fixed in 3.14.7 and 3.15.0rc1, not in 3.13)
      Note: seen on 3.11.7, 3.12.1, every 3.13 installed and PyPy 3.11; no 3.14.0
            to 3.14.7 was installed, the bound comes from the changelog.
      When a client switches to TLS and then sends 8192 bytes at once
      Then while the handler's reader held more than twice its limit, its TLS transport said it was reading
      And once the handler had read everything, its TLS transport said it was reading

    @use.with_python=3.14.7..3.14 @use.with_python=3.15.. @id:tls-upgrade.full-reader-pauses-tls-transport
    Scenario: From 3.14.7, a full reader pauses the TLS transport it reads from
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.start_tls
      CPython: gh-152431 (the reader now takes the TLS transport too; in 3.14.7 and 3.15.0rc1)
      Note: seen on 3.14.8, 3.14.10, 3.15.0 and 3.15.2.
      When a client switches to TLS and then sends 8192 bytes at once
      Then while the handler's reader held more than twice its limit, its TLS transport said it was not reading
      And once the handler had read everything, its TLS transport said it was reading

  @id:tls-upgrade.loop-start-tls
  Scenario: A protocol of create_server switches its connection to TLS with loop.start_tls() and talks through the transport it returns
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.start_tls
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the docs ask the protocol to use the returned transport at once and
          never the one it passed in again; what arrives over TLS reaches the
          same protocol's data_received(), decrypted.
    Given a server made with create_server whose protocol switches its connection to TLS with loop.start_tls() when the client asks
    When a client asks for TLS, is told to go ahead and completes the TLS handshake
    Then the client is echoed over the TLS it switched to
    And loop.start_tls() returned a new transport, which reports an ssl.SSLObject on the server's side
