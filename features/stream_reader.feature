Feature: The handler's StreamReader
  Checks: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.read
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readline
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readuntil
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readexactly
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.at_eof
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_unix_server

  The reader a start_server or start_unix_server handler is given takes in
  what its client sends, and each reading method hands it out in its own
  way.  Every scenario below steers the handler one call at a time: the
  client sends some bytes, the handler makes one call on its reader, and the
  step looks at what the call returned or raised -- or, for a call that
  should wait for more, that it is still waiting once the loop has taken in
  everything the client sent (a probe client is echoed by the same server
  first; it has a connection of its own).

  Ending its side of the stream (a half-close) is how a client says it will
  send nothing more: the scenarios check that the bytes it sent just before
  reach each method, and what each method does at the end of the stream.

  The limit given to start_server (or start_unix_server) bounds how far
  readline() and readuntil() look for their separator; creating.feature
  checks which error each raises, the scenarios here what is left to read
  afterwards.

  @id:stream-reader.read-<api>
  Scenario Outline: With <api>, read(n) hands out what has arrived, at most n bytes; read() waits for the end of the stream and hands out the rest; at the end both give b""
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.read
    Given a server started with <api> whose handler is steered by the scenario
    When a client connects
    And the handler calls read(100)
    Then the handler's call is still waiting
    When the client sends b"abc"
    Then the handler's call returns b"abc"
    When the client sends b"defgh"
    And the handler calls read(2)
    Then the handler's call returns b"de"
    When the handler calls read()
    Then the handler's call is still waiting
    When the client sends b", last" and ends its side of the stream
    Then the handler's call returns b"fgh, last"
    When the handler calls read()
    Then the handler's call returns b""
    When the handler calls read(10)
    Then the handler's call returns b""

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  @id:stream-reader.readline-<api>
  Scenario Outline: With <api>, readline() hands out one line at a time, newline included, waiting for the rest of a line; at the end, the last bytes without a newline, then b""
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readline
    Given a server started with <api> whose handler is steered by the scenario
    When a client connects
    And the client sends b"one\nthr"
    And the handler calls readline()
    Then the handler's call returns b"one\n"
    When the handler calls readline()
    Then the handler's call is still waiting
    When the client sends b"ee\nno newline" and ends its side of the stream
    Then the handler's call returns b"three\n"
    When the handler calls readline()
    Then the handler's call returns b"no newline"
    When the handler calls readline()
    Then the handler's call returns b""

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  @id:stream-reader.readuntil-<api>
  Scenario Outline: With <api>, readuntil() hands out everything up to its separator, separator included; at the end before a separator it fails with IncompleteReadError and empties the buffer
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readuntil
    Docs: https://docs.python.org/3/library/asyncio-exceptions.html#asyncio.IncompleteReadError
    Note: without an argument the separator is a newline.  A separator of
          several bytes is found even when it arrives in two pieces.  The
          error's partial holds everything that was buffered, here the start
          of the separator; its expected is None.
    Given a server started with <api> whose handler is steered by the scenario
    When a client connects
    And the client sends b"one\ntwo|EN"
    And the handler calls readuntil()
    Then the handler's call returns b"one\n"
    When the handler calls readuntil(b"|END|")
    Then the handler's call is still waiting
    When the client sends b"D|"
    Then the handler's call returns b"two|END|"
    When the client sends b"abc|EN" and ends its side of the stream
    And the handler calls readuntil(b"|END|")
    Then the handler's call fails with IncompleteReadError whose partial is b"abc|EN" and whose expected is None
    When the handler calls at_eof()
    Then the handler's call returns True
    When the handler calls read()
    Then the handler's call returns b""

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  @id:stream-reader.readexactly-<api>
  Scenario Outline: With <api>, readexactly(n) waits for n bytes, in as many pieces as they come; at the end before n bytes it fails with IncompleteReadError carrying what came
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readexactly
    Docs: https://docs.python.org/3/library/asyncio-exceptions.html#asyncio.IncompleteReadError
    Given a server started with <api> whose handler is steered by the scenario
    When a client connects
    And the handler calls readexactly(10)
    And the client sends b"abcd"
    Then the handler's call is still waiting
    When the client sends b"efghijkl"
    Then the handler's call returns b"abcdefghij"
    When the client sends b"m" and ends its side of the stream
    And the handler calls readexactly(5)
    Then the handler's call fails with IncompleteReadError whose partial is b"klm" and whose expected is 5
    When the handler calls read()
    Then the handler's call returns b""

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  @id:stream-reader.at-eof-<api>
  Scenario Outline: With <api>, at_eof() becomes True only once the client has ended its side and every byte has been read
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.at_eof
    Given a server started with <api> whose handler is steered by the scenario
    When a client connects
    And the handler calls at_eof()
    Then the handler's call returns False
    When the client sends b"abc" and ends its side of the stream
    And the server has echoed another client
    And the handler calls at_eof()
    Then the handler's call returns False
    When the handler calls readexactly(2)
    Then the handler's call returns b"ab"
    When the handler calls at_eof()
    Then the handler's call returns False
    When the handler calls readexactly(1)
    Then the handler's call returns b"c"
    When the handler calls at_eof()
    Then the handler's call returns True

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  @id:stream-reader.limit-readuntil-keeps-data-<api>
  Scenario Outline: With <api>, a chunk longer than the limit makes readuntil() fail with LimitOverrunError and leaves the data to read
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readuntil
    Docs: https://docs.python.org/3/library/asyncio-exceptions.html#asyncio.LimitOverrunError
    Note: consumed is where the separator starts (32), the length of the
          chunk the limit refused.
    Given a server started with <api> and a reader limit of 10 bytes whose handler is steered by the scenario
    When a client connects
    And the client sends b"a line far longer than ten bytes\nshort\n"
    And the handler calls readuntil()
    Then the handler's call fails with LimitOverrunError whose consumed is 32
    When the handler calls read(100)
    Then the handler's call returns b"a line far longer than ten bytes\nshort\n"

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  @id:stream-reader.limit-readline-drops-<api>
  Scenario Outline: With <api>, readline() fails with ValueError on more than the limit, and drops the line, newline included -- or all it had, when no newline came
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readline
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Note: the docs do not say what is left to read after the error.
    Given a server started with <api> and a reader limit of 10 bytes whose handler is steered by the scenario
    When a client connects
    And the client sends b"a line far longer than ten bytes\nshort\n"
    And the handler calls readline()
    Then the handler's call fails with ValueError
    When the handler calls readline()
    Then the handler's call returns b"short\n"
    When the client sends b"thirty bytes and not a newline"
    And the handler calls readline()
    Then the handler's call fails with ValueError
    When the client sends b"next\n"
    And the handler calls readline()
    Then the handler's call returns b"next\n"

    Examples:
      | api               |
      | start_server      |
      | start_unix_server |

  Rule: readuntil() with a tuple of separators
    From 3.13 the separator may be a tuple: the call ends at whichever of
    them comes first in the data (gh-81322).  Before, a tuple is not a
    separator: the call fails with TypeError as soon as there is data to
    search, and leaves that data in the buffer.

    @use.with_python=3.13.. @id:stream-reader.readuntil-tuple-<api>
    Scenario Outline: From 3.13, with <api>, readuntil() with a tuple of separators ends at the first one the data holds
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readuntil
      CPython: gh-81322 (a tuple of separators, in 3.13; PR #16429, tuples only since PR #117723)
      Note: the shortest chunk that ends with any of the separators wins,
            whatever their order in the tuple.
      Given a server started with <api> whose handler is steered by the scenario
      When a client connects
      And the client sends b"oneENDtwo\n"
      And the handler calls readuntil((b"\n", b"END"))
      Then the handler's call returns b"oneEND"
      When the handler calls readuntil((b"\n", b"END"))
      Then the handler's call returns b"two\n"

      Examples:
        | api               |
        | start_server      |
        | start_unix_server |

    @use.with_python=..3.12 @id:stream-reader.readuntil-tuple-type-error-<api>
    Scenario Outline: Up to 3.12, with <api>, readuntil() with a tuple fails with TypeError and leaves the data to read
      Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamReader.readuntil
      CPython: gh-81322 (tuples of separators came in 3.13)
      Note: the TypeError is bytearray.find()'s, raised once data has arrived.
      Given a server started with <api> whose handler is steered by the scenario
      When a client connects
      And the client sends b"oneENDtwo\n"
      And the handler calls readuntil((b"\n", b"END"))
      Then the handler's call fails with TypeError
      When the handler calls read(100)
      Then the handler's call returns b"oneENDtwo\n"

      Examples:
        | api               |
        | start_server      |
        | start_unix_server |
