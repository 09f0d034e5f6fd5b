Feature: The handler's StreamWriter
  Checks: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.write
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.writelines
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.drain
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.can_write_eof
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.write_eof
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.close
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.is_closing
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.wait_closed

  The writer a start_server or start_unix_server handler is given sends to
  its client; every scenario observes what the client receives.  As in
  stream_reader.feature, the steps steer the handler one call at a time.

  write() and writelines() hand the data to the socket at once when they
  can, and keep what the socket does not take in the transport; drain() is
  how a handler waits until the transport has sent enough of it.  To make
  that waiting certain, the scenarios about it give the server's socket a
  small send buffer, have the client take in only a few KiB at a time, and
  send a reply of 384 KiB, far more than the sockets hold: most of it has
  to wait in the server's transport until the client reads.  The reply is
  made of 4-byte words each holding its own index, so a lost or misplaced
  piece shows.

  @id:stream-writer.write-whole-reply-<api>
  Scenario Outline: With <api>, write() and writelines() queue a reply larger than the socket buffers, and the client gets it whole and in order
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.write
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.writelines
    Note: the first half of the reply goes in 32 write() calls, the second
          in one writelines() call of 32 pieces, all before the client reads.
    Given a server started with <api> whose handler is steered by the scenario and has a small send buffer
    When a client that takes in little at a time connects
    And the client stops reading
    And the handler writes a reply of 384 KiB, half in 32 write() calls and half in one writelines() call of 32 pieces
    Then the client, reading slowly, receives the whole reply in order

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  @id:stream-writer.drain-waits-for-client-<api>
  Scenario Outline: With <api>, drain() waits while the client reads nothing, and returns once it has read enough
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.drain
    Note: the reply is far above the transport's high-water mark (64 KiB by
          default); drain() is still waiting after the loop has echoed a
          probe client, and returns while the client reads.
    Given a server started with <api> whose handler is steered by the scenario and has a small send buffer
    When a client that takes in little at a time connects
    And the client stops reading
    And the handler writes a reply of 384 KiB in 64 write() calls
    And the handler calls drain()
    Then the handler's call is still waiting
    And the client, reading slowly, receives the whole reply in order
    And the handler's call returns None

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  @id:stream-writer.write-eof-<api>
  Scenario Outline: With <api>, the writer can write EOF: the client reads the end of the stream, and the handler still reads what the client sends
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.can_write_eof
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.write_eof
    Note: what was written before write_eof() reaches the client first.
    Given a server started with <api> whose handler is steered by the scenario
    When a client connects
    And the handler calls can_write_eof()
    Then the handler's call returns True
    When the handler calls write(b"last words")
    And the handler calls write_eof()
    Then the handler's call returns None
    And the client receives b"last words"
    And the client reads the end of the stream
    When the client sends b"still listening?" and ends its side of the stream
    And the handler calls read()
    Then the handler's call returns b"still listening?"

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  @id:stream-writer.close-<api>
  Scenario Outline: With <api>, the writer is closing as soon as close() returns; wait_closed() returns, and the client gets what was written, then the end of the stream
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.close
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.is_closing
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.wait_closed
    Given a server started with <api> whose handler is steered by the scenario
    When a client connects
    And the handler calls write(b"goodbye")
    And the handler calls close() and at once is_closing()
    Then the handler's call returns True
    When the handler calls wait_closed()
    Then the handler's call returns None
    And the client receives b"goodbye"
    And the client reads the end of the stream

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  @id:stream-writer.write-after-close-<api>
  Scenario Outline: With <api>, write() on a closed writer drops the data without an error; drain() then fails with ConnectionResetError
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.close
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.drain
    Note: the docs do not say what writing to a closed writer does.  The
          same on every version checked (3.8 to 3.15, PyPy).  A write() made
          after close() while earlier data is still queued is sent with it.
    Given a server started with <api> whose handler is steered by the scenario
    When a client connects
    And the handler calls close()
    And the handler calls wait_closed()
    Then the handler's call returns None
    When the handler calls write(b"too late")
    Then the handler's call returns None
    When the handler calls drain()
    Then the handler's call fails with ConnectionResetError
    And the client reads the end of the stream

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |
