Feature: The protocol path of loop.create_server
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.connect_accepted_socket
          https://docs.python.org/3/library/asyncio-protocol.html#base-protocol
          https://docs.python.org/3/library/asyncio-protocol.html#streaming-protocols
          https://docs.python.org/3/library/asyncio-protocol.html#buffered-streaming-protocols
          https://docs.python.org/3/library/asyncio-protocol.html#read-only-transports
          https://docs.python.org/3/library/asyncio-protocol.html#write-only-transports

  loop.create_server and loop.create_unix_server take a protocol factory
  instead of a streams callback: the server calls it for every connection it
  accepts and drives the protocol it returns through its callbacks --
  connection_made() first, then data_received() as often as data comes,
  eof_received() when the client ends its stream, and connection_lost() last,
  once.  What eof_received() returns decides whether the connection is closed
  for the protocol or left half open.  The transport lets the protocol stop
  and restart reading, and tells it, through pause_writing() and
  resume_writing(), when what it has written piles up past the high-water
  mark and drains back under the low one.  A BufferedProtocol receives the
  bytes in a buffer of its own instead.  connect_accepted_socket() serves one
  connection that something else accepted, with the same protocol machinery.

  The protocols of these scenarios (reference/handlers/protocols.py) note
  every callback they get, in order; the steps read those notes.  Whether the
  loop held bytes back is seen without a clock: the kernel counts them unread
  in the connection's socket (FIONREAD) after another connection has been
  served in the meantime.

  @id:protocols.factory-per-connection-<api>
  Scenario Outline: The protocol factory is called once per connection, and each connection has a protocol of its own (<api>)
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseProtocol.connection_made
    Given a server made with <api> whose protocol echoes what it receives
    When 3 clients connect
    Then the protocol factory was called 3 times, once per connection
    And each connection was made on a protocol instance of its own
    And each client is echoed by a protocol of its own

    Examples:
      | api                |
      | create_server      |
      | create_unix_server |

  @id:protocols.callback-order-<api>
  Scenario Outline: The callbacks come in order: connection_made, data_received, eof_received, connection_lost (<api>)
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseProtocol.connection_made
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.Protocol.data_received
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.Protocol.eof_received
    Given a server made with <api> whose protocol echoes what it receives
    When a client connects
    And the client sends "hello"
    And the client ends its side of the stream
    Then the client receives "hello" and then the end of the stream
    When the protocol has lost its connection
    Then the protocol's callbacks came in the order connection_made, data_received, eof_received, connection_lost
    And the protocol received "hello"
    And the protocol's connection_lost() was called once, with None

    Examples:
      | api                |
      | create_server      |
      | create_unix_server |

  @id:protocols.eof-false-closes-<api>
  Scenario Outline: An eof_received() that returns a false value lets the transport close the connection (<api>)
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.Protocol.eof_received
    Note: the protocol returns None, the default of Protocol.eof_received().
    Given a server made with <api> whose protocol echoes what it receives
    When a client connects
    And the client ends its side of the stream
    Then the client sees the connection closed
    And the protocol's connection_lost() was called once, with None

    Examples:
      | api                |
      | create_server      |
      | create_unix_server |

  @id:protocols.eof-true-half-open-<api>
  Scenario Outline: An eof_received() that returns True keeps the connection half open: the protocol can still write, then close it (<api>)
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.Protocol.eof_received
    Given a server made with <api> whose protocol keeps the connection open after the client's end of stream
    When a client connects
    And the client ends its side of the stream
    And the protocol has received the end of the stream
    And the protocol writes a reply and closes its transport
    Then the client receives the reply and then the end of the stream
    And the protocol's connection_lost() was called once, with None

    Examples:
      | api                |
      | create_server      |
      | create_unix_server |

  @id:protocols.lost-once-server-closes-<api>
  Scenario Outline: When the protocol closes its transport, connection_lost() is called once, with None (<api>)
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseProtocol.connection_lost
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseTransport.close
    Given a server made with <api> whose protocol echoes what it receives
    When a client connects
    And the protocol closes its transport
    Then the client sees the connection closed
    And the protocol's connection_lost() was called once, with None

    Examples:
      | api                |
      | create_server      |
      | create_unix_server |

  @id:protocols.lost-with-error-on-reset
  Scenario: A client that resets the connection makes connection_lost() be called once, with the error
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseProtocol.connection_lost
    Note: the client resets by closing with SO_LINGER set to a timeout of 0;
          a Unix socket has no reset, so this is TCP only.
    Given a server made with create_server whose protocol echoes what it receives
    When a client connects
    And the client resets the connection
    And the protocol has lost its connection
    Then the protocol's connection_lost() was called once, with a ConnectionResetError

  @id:protocols.pause-reading-<api>
  Scenario Outline: pause_reading() holds data_received() back while the client goes on sending; resume_reading() delivers it all, in order (<api>)
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.ReadTransport.pause_reading
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.ReadTransport.resume_reading
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.ReadTransport.is_reading
    Given a server made with <api> whose protocol echoes what it receives
    When 2 clients connect
    And reading is paused on the first client's connection
    Then the first client's transport is not reading
    When the first client sends "sent while reading was paused"
    Then the first client's bytes wait unread in the server's socket while the second client is echoed
    When reading is resumed on the first client's connection
    Then the first client's transport is reading
    And the first client's protocol receives "sent while reading was paused"

    Examples:
      | api                |
      | create_server      |
      | create_unix_server |

  @id:protocols.pause-writing-<api>
  Scenario Outline: Writing past the high-water mark calls pause_writing() once; draining under the low one calls resume_writing() once (<api>)
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseProtocol.pause_writing
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseProtocol.resume_writing
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.WriteTransport.set_write_buffer_limits
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.WriteTransport.get_write_buffer_limits
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.WriteTransport.get_write_buffer_size
    Note: the server's socket gets a small send buffer, so what the kernel
          does not take stays queued in the transport.  The limits differ
          from the defaults (64 KiB high, a quarter of it low).
    Given a server made with <api> whose protocol sets its write buffer limits to 32 KiB high and 8 KiB low
    When a client connects
    Then the transport's write buffer limits are 8 KiB low and 32 KiB high
    When the protocol writes 16 KiB chunks until writing is paused
    And the protocol writes 2 more chunks of 16 KiB
    Then pause_writing() was called once, when more than 32 KiB were queued
    And each chunk written while data was queued added its size to get_write_buffer_size()
    When the client reads everything the protocol wrote
    Then the client received every byte written, in order
    And resume_writing() was called once, when 8 KiB or less were queued
    And nothing is queued in the transport any more

    Examples:
      | api                |
      | create_server      |
      | create_unix_server |

  @id:protocols.buffered-<api>
  Scenario Outline: A BufferedProtocol receives the client's bytes in order, in a buffer of its own (<api>)
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BufferedProtocol
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BufferedProtocol.get_buffer
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BufferedProtocol.buffer_updated
    Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BufferedProtocol.eof_received
    Note: the protocol's buffer holds 1000 bytes, so 20000 bytes take many
          get_buffer() / buffer_updated() rounds.
    Given a server made with <api> whose protocol is a BufferedProtocol with a small buffer of its own
    When a client connects
    And the client sends 20000 numbered bytes and ends its side of the stream
    And the protocol has lost its connection
    Then the protocol read every byte from its own buffer, in order
    And each buffer_updated() counted no more bytes than the buffer get_buffer() handed out
    And the protocol's callbacks came in the order connection_made, then get_buffer each followed by at most one buffer_updated, then eof_received, then connection_lost
    And the protocol's connection_lost() was called once, with None

    Examples:
      | api                |
      | create_server      |
      | create_unix_server |

  @id:protocols.connect-accepted-socket
  Scenario: connect_accepted_socket() serves a connection accepted elsewhere with a protocol
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.connect_accepted_socket
    Note: the listening socket is a plain one of the scenario's own; the loop
          only gets the connection it accepted.
    Given a plain TCP socket listening on loopback
    When a client connects to the plain listening socket
    And the connection it accepted is handed to connect_accepted_socket() with a protocol that echoes what it receives
    Then connect_accepted_socket() returned the transport and the protocol the factory made
    And the connected client is still echoed
    When the client disconnects
    And the protocol has lost its connection
    Then the protocol's connection_lost() was called once, with None

  Rule: writelines() with an empty last chunk
    Up to 3.11 WriteTransport.writelines() joined its chunks and wrote them
    at once.  From 3.12.0 it hands them to the kernel in one sendmsg() call
    and keeps what was not sent (gh-91166); an empty chunk at the end was kept for ever,
    so a transport closed after it never finished closing: the client got
    the data but not the end of the stream, and connection_lost() never came
    (gh-155888; fixed in 3.14.8 and 3.15.0).

    @use.with_python=..3.11 @use.with_python=3.14.8..3.14 @use.with_python=3.15..
    @id:protocols.writelines-empty-last-chunk-<api>
    Scenario Outline: A transport closed after writelines() with an empty last chunk sends the data and ends the connection (<api>)
      Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.WriteTransport.writelines
      CPython: gh-155888 (an empty last chunk hung the transport from 3.12.0; fixed in 3.14.8, 3.15.0rc2)
      Given a server made with <api> whose protocol answers with writelines() ending in an empty chunk, then closes
      When a client connects
      And the client sends "hello"
      Then the client receives "hello" and then the end of the stream
      And the protocol's connection_lost() was called once, with None

      Examples:
        | api                |
        | create_server      |
        | create_unix_server |

    @use.with_python=3.12..3.14.7
    @cpython_bug @id:protocols.writelines-empty-last-chunk-hangs-<api>
    Scenario Outline: From 3.12 to 3.14.7, a transport closed after writelines() with an empty last chunk never finishes closing (<api>)
      Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.WriteTransport.writelines
      CPython: gh-91166 (from 3.12.0 writelines() writes the chunks with one sendmsg() call and keeps the rest)
      CPython: gh-155888 (the empty chunk stayed queued, so the closing transport waited for it for ever)
      Note: every 3.13.x so far behaves so; the loop goes on serving the other connections.
      Given a server made with <api> whose protocol answers with writelines() ending in an empty chunk, then closes
      When a client connects
      And the client sends "hello"
      Then the client receives "hello"
      And once a new client has been answered, the first transport is closing but its protocol has not lost the connection

      Examples:
        | api                |
        | create_server      |
        | create_unix_server |

  Rule: A transport closed by resume_writing()
    When resume_writing() closes the transport as the last queued bytes go
    out, up to 3.14.7 (every 3.13.x so far) the transport ended the connection
    twice: the protocol's connection_lost() was called once, but the second
    attempt failed with an AttributeError that the loop reported.  From 3.14.8
    and 3.15.0 the connection ends once, quietly (gh-156512).

    @use.with_python=..3.14.7
    @cpython_bug @id:protocols.close-in-resume-writing-reported-<api>
    Scenario Outline: Up to 3.14.7, closing the transport in resume_writing() ends the connection, and the loop reports a second, failing attempt (<api>)
      Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseProtocol.resume_writing
      Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseProtocol.connection_lost
      CPython: gh-156512 (the transport ended the connection twice; fixed in 3.14.8, 3.15.0rc3)
      Note: the protocol's write buffer limits are 64 KiB high and 0 low, so
            resume_writing() comes when the last byte has gone.
      Given a server made with <api> whose protocol closes its transport when writing resumes
      When a client connects
      And the protocol writes 16 KiB chunks until writing is paused
      And the client reads everything the protocol wrote
      Then the client sees the connection closed
      And resume_writing() was called once, when 0 KiB or less were queued
      And the protocol's connection_lost() was called once, with None
      And the loop's exception handler was told of an AttributeError from ending the connection a second time

      Examples:
        | api                |
        | create_server      |
        | create_unix_server |

    @use.with_python=3.14.8..3.14 @use.with_python=3.15..
    @id:protocols.close-in-resume-writing-<api>
    Scenario Outline: From 3.14.8 and 3.15, closing the transport in resume_writing() ends the connection once, quietly (<api>)
      Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseProtocol.resume_writing
      Docs: https://docs.python.org/3/library/asyncio-protocol.html#asyncio.BaseProtocol.connection_lost
      CPython: gh-156512 (the transport no longer ends the connection a second time)
      Given a server made with <api> whose protocol closes its transport when writing resumes
      When a client connects
      And the protocol writes 16 KiB chunks until writing is paused
      And the client reads everything the protocol wrote
      Then the client sees the connection closed
      And resume_writing() was called once, when 0 KiB or less were queued
      And the protocol's connection_lost() was called once, with None
      And the loop's exception handler was told nothing

      Examples:
        | api                |
        | create_server      |
        | create_unix_server |
