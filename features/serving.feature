Feature: Starting to serve
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.start_serving
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.is_serving
          the start_serving argument of
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server

  A new server accepts connections straight away unless it was created with
  start_serving=False.  Such a server has bound its sockets but does not
  listen on them, so connection attempts are refused until start_serving()
  is awaited.  is_serving() tells which state the server is in: True only
  while connections are accepted -- not before start_serving(), not after
  close() -- with one exception, the known bug recorded at the end.

  @id:serving.serves-by-default
  Scenario: A server serves by default
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server started with start_server
    Then the server is serving
    And a client can connect and is echoed

  @id:serving.off-refuses-clients-<api>
  Scenario Outline: With start_serving off, <api> gives a server that refuses clients
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.is_serving
    Given a server started with <api> with start_serving off
    Then the server is not serving
    And a client cannot connect

    Examples:
      | api                |
      | start_server       |
      | create_server      |
      | start_unix_server  |
      | create_unix_server |

  @id:serving.start-serving-starts
  Scenario: start_serving() makes a server created with start_serving off accept clients
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.start_serving
    Given a server started with start_server with start_serving off
    When start_serving() is awaited
    Then the server is serving
    And a client can connect and is echoed

  @id:serving.start-serving-on-serving-server
  Scenario: Awaiting start_serving() on a server that already serves changes nothing
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.start_serving
    Given a server started with start_server
    When start_serving() is awaited
    Then the server is serving
    And a client can connect and is echoed

  @id:serving.start-serving-twice
  Scenario: Awaiting start_serving() twice is harmless
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.start_serving
    Given a server started with start_server with start_serving off
    When start_serving() is awaited
    And start_serving() is awaited
    Then the server is serving
    And server.sockets holds 1 listening socket
    And a client can connect and is echoed

  @id:serving.not-serving-after-close
  Scenario: is_serving() is False once the server is closed
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.is_serving
    Given a server started with start_server
    When the server is closed
    Then the server is not serving
    And a client cannot connect

  @id:serving.off-then-closed-not-serving
  Scenario: A server created with start_serving off and then closed is not serving
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.is_serving
    Given a server started with start_server with start_serving off
    When the server is closed
    Then the server is not serving
    And a client cannot connect

  @cpython_bug @id:serving.start-serving-after-close-known-bug
  Scenario: Known bug: start_serving() on a closed server fails with TypeError and leaves is_serving() True
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.start_serving
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.is_serving
    Note: the docs are silent about a closed server.  On every version
          start_serving() marks the server as serving before it looks at the
          listening sockets, which close() has dropped: it fails with a
          TypeError (not the RuntimeError serve_forever() gives) and
          is_serving() then claims True although nothing listens.  Recorded
          as it is, so that a fix shows up as a failure here (no CPython
          issue about it was found).
    Given a server started with start_server
    When the server is closed
    And start_serving() is awaited on the closed server
    Then it failed with TypeError
    And the server is serving
    And a client cannot connect
