Feature: Creating a server
  Checks: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_unix_server

  A server is never built by calling asyncio.Server() yourself: one of four
  factory functions binds the listening sockets and hands back a Server.
  The two streams functions take a callback that receives a reader and a
  writer; the two loop methods take a factory that makes a protocol.
  Besides its callback, start_server has one argument of its own, limit:
  the most a connection's StreamReader keeps buffered while it looks for
  the end of a line (64 KiB unless told otherwise).  A longer line makes
  readline() fail with ValueError and readuntil() with LimitOverrunError.
  start_unix_server takes the same limit.  The limit bounds only those
  searches for a separator: read(n) and read() still return up to n bytes,
  or everything up to the end of the stream.
  Everything else is handed on to loop.create_server (see addresses.feature
  and socket_options.feature).

  @id:creating.<api>-serves-at-once
  Scenario Outline: <api> returns a server that serves at once
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server started with <api>
    Then the server is serving
    And a client can connect and is echoed

    Examples:
      | api                |
      | start_server       |
      | create_server      |
      | start_unix_server  |
      | create_unix_server |

  @id:creating.listens-on-host-asked
  Scenario: The server listens on the host it was asked for
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server asked to listen on 127.0.0.1 port 0
    Then the server listens on the host asked for, on a port the system picked
    And a client can connect and is echoed

  @id:creating.port-0-picks-free-port
  Scenario: Port 0 lets the operating system pick a free port
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server asked to listen on 127.0.0.1 port 0
    Then the server listens on the host asked for, on a port the system picked

  @id:creating.port-0-twice-different-ports
  Scenario: Two servers asking for port 0 get different ports and do not collide
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server asked to listen on 127.0.0.1 port 0
    And another server asked to listen on 127.0.0.1 port 0
    Then the two servers listen on different ports
    And each server echoes its own client

  @id:creating.limit-readline
  Scenario: A line longer than start_server's limit makes readline() fail with ValueError
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readline
    Given a server started with a reader limit of 10 bytes whose handler reads one line with readline()
    When a client sends a line of 50 bytes
    Then the handler reports that readline() failed with ValueError

  @id:creating.limit-readuntil
  Scenario: A line longer than start_server's limit makes readuntil() fail with LimitOverrunError
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readuntil
    Given a server started with a reader limit of 10 bytes whose handler reads one line with readuntil()
    When a client sends a line of 50 bytes
    Then the handler reports that readuntil() failed with LimitOverrunError

  @id:creating.limit-line-within
  Scenario: A line within start_server's limit is read whole
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Given a server started with a reader limit of 10 bytes whose handler reads one line with readline()
    When a client sends a line of 8 bytes
    Then the handler reports that readline() returned a line of 8 bytes

  @id:creating.limit-default-<slug>
  Scenario Outline: Without limit, the reader allows lines of up to 64 KiB: <size> bytes <outcome>
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Note: sizes well clear of 65536 on either side; the exact cut-off is not documented.
    Given a server started without a reader limit whose handler reads one line with readline()
    When a client sends a line of <size> bytes
    Then the handler reports that readline() <outcome>

    Examples:
      | size  | outcome                           | slug     |
      | 64000 | returned a line of 64000 bytes    | fits     |
      | 67000 | failed with ValueError            | too-long |

  @id:creating.start_unix_server-limit-readline
  Scenario: A line longer than start_unix_server's limit makes readline() fail with ValueError
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_unix_server
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readline
    Given a server started with start_unix_server and a reader limit of 10 bytes whose handler reads one line with readline()
    When a client sends a line of 50 bytes
    Then the handler reports that readline() failed with ValueError

  @id:creating.start_unix_server-limit-readuntil
  Scenario: A line longer than start_unix_server's limit makes readuntil() fail with LimitOverrunError
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_unix_server
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readuntil
    Given a server started with start_unix_server and a reader limit of 10 bytes whose handler reads one line with readuntil()
    When a client sends a line of 50 bytes
    Then the handler reports that readuntil() failed with LimitOverrunError

  @id:creating.limit-not-for-read-n
  Scenario: start_server's limit does not bound read(n): it returns more than limit bytes when n allows
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.read
    Note: read(n) returns what is buffered, up to n bytes; the 1000 bytes are
          sent in one write and arrive together over loopback.
    Given a server started with a reader limit of 10 bytes whose handler reads once with read(1000)
    When a client sends a line of 1000 bytes
    Then the handler reports that read(1000) returned 1000 bytes

  @id:creating.limit-not-for-read-to-eof
  Scenario: start_server's limit does not bound read(): it returns everything up to the end of the stream
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.read
    Given a server started with a reader limit of 10 bytes whose coroutine handler reads everything the client sends
    When a client connects
    And the client disconnects after sending "forty bytes, four times the reader limit"
    And the handler has ended
    Then the handler read "forty bytes, four times the reader limit" and then the end of the stream

  Rule: repr(server) names the listening sockets
    repr(server) lists the listening sockets with their family and type.
    Up to 3.10 those show as enum names, from 3.11 as plain numbers: 3.11
    changed how the enums of the socket module format themselves (gh-84247).

    Background:
      Given a server asked to listen on 127.0.0.1 port 0

    @use.with_python=..3.10 @id:creating.repr-enum-names
    Scenario: Up to 3.10, repr(server) names the socket family and type by their enum names
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
      CPython: gh-84247 (enum str/format change in 3.11)
      Then repr(server) lists the listening socket with family and type as enum names

    @use.with_python=3.11.. @id:creating.repr-numbers
    Scenario: From 3.11, repr(server) shows the socket family and type as plain numbers
      Docs: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
      CPython: gh-84247 (enum str/format change in 3.11)
      Then repr(server) lists the listening socket with family and type as numbers
