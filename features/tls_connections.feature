Feature: What a TLS server's connections tell their handler
  Checks: the TLS names of get_extra_info() on a TLS server's connections, and client certificates:
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.get_extra_info
          https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
          https://docs.python.org/3/library/ssl.html#ssl.SSLSocket.getpeercert
          https://docs.python.org/3/library/ssl.html#ssl.SSLContext.verify_mode
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server

  A handler learns about the TLS side of its connection by asking the writer
  (or, for a protocol, the transport) with get_extra_info(): "ssl_object" is
  the SSL object the server's end of the connection runs on, "cipher" the
  cipher both ends agreed on, "peercert" the client's certificate -- only
  when the server's SSLContext asked the client for one.  A context that
  requires client certificates makes the server turn away, during the
  handshake, a client that has none: no handler ever sees it.  The client
  certificate comes from a client CA of its own, which only the server
  requiring client certificates trusts.

  @id:tls-connections.<api>-ssl-object
  Scenario Outline: A connection of a TLS server made with <api> reports an SSL object on the server's side
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.get_extra_info
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
    Note: asyncio runs TLS through memory BIOs, so the object is an ssl.SSLObject,
          not an ssl.SSLSocket; its server_side attribute tells which end it is.
    Given a TLS server started with <api> whose handler notes what its connection tells about TLS
    When a client that trusts the test CA connects over TLS
    Then the handler's connection reports an ssl.SSLObject on the server's side, speaking TLS

    Examples:
      | api           |
      | start_server  |
      | create_server |

  @id:tls-connections.<api>-cipher-agreed
  Scenario Outline: A connection of a TLS server made with <api> reports the cipher the client agreed on
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.get_extra_info
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
    Note: "cipher" is a tuple of the cipher's name, the protocol version and the
          number of secret bits, as ssl.SSLSocket.cipher() gives it.
    Given a TLS server started with <api> whose handler notes what its connection tells about TLS
    When a client that trusts the test CA connects over TLS
    Then the handler's connection reports the cipher the client sees

    Examples:
      | api           |
      | start_server  |
      | create_server |

  @id:tls-connections.no-peercert-without-client-certs
  Scenario: A server that asks for no client certificate reports no peer certificate
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
    Docs: https://docs.python.org/3/library/ssl.html#ssl.SSLSocket.getpeercert
    Note: the server's context comes from ssl.create_default_context(ssl.Purpose.CLIENT_AUTH),
          whose verify_mode is CERT_NONE: the client is never asked for a certificate.
    Given a TLS server started with start_server whose handler notes what its connection tells about TLS
    When a client that trusts the test CA connects over TLS
    Then the handler's connection reports no peer certificate

  @id:tls-connections.<api>-client-cert-seen
  Scenario Outline: A server made with <api> that requires client certificates accepts a client whose certificate it trusts, and its handler sees that certificate
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.get_extra_info
    Docs: https://docs.python.org/3/library/ssl.html#ssl.SSLSocket.getpeercert
    Docs: https://docs.python.org/3/library/ssl.html#ssl.SSLContext.verify_mode
    Note: "peercert" is getpeercert()'s dictionary; the server's context has
          verify_mode CERT_REQUIRED and trusts the client CA.
    Given a TLS server started with <api> that requires client certificates from the client CA, whose handler notes what its connection tells about TLS
    When a client with a certificate from the client CA connects over TLS
    Then the handler's connection reports the client's certificate as its peer certificate
    And a client with a certificate from the client CA is echoed over TLS

    Examples:
      | api           |
      | start_server  |
      | create_server |

  @id:tls-connections.client-without-cert-refused
  Scenario: A server that requires client certificates turns away a client without one before its handler runs
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Docs: https://docs.python.org/3/library/ssl.html#ssl.SSLContext.verify_mode
    Note: with TLS 1.3 the client has finished its part of the handshake before
          the server checks for a certificate, so the client may see its
          connection made and then ended rather than a failed handshake; either
          way nothing reaches it.  The loop's exception handler is told
          nothing: the failed handshake is an ssl.SSLError, an OSError, which
          asyncio logs only in debug mode.
    Given a TLS server started with start_server that requires client certificates from the client CA, whose handler notes what its connection tells about TLS
    When a client without a certificate of its own connects over TLS
    Then the client's connection ended before anything reached it
    And no handler has run
    And the loop's exception handler was told nothing
    And a client with a certificate from the client CA is echoed over TLS
