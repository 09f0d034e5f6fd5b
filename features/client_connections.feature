Feature: Ending the client connections of a server
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close_clients
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.abort_clients

  close() leaves accepted connections open.  From 3.13 on the server can
  end them itself: close_clients() closes each client transport the polite
  way, so data the handler has written but not yet sent still reaches the
  client before the end of the connection; abort_clients() ends them at
  once and throws unsent data away.  Neither stops the server listening --
  the docs advise calling close() first.  Before 3.13 the server has no
  such methods: the handlers must end their connections themselves.

  To make "unsent data" certain, the handler below shrinks its socket's
  send buffer and writes 4 MiB to a client that reads nothing until the
  server has acted; whatever the kernel has not taken stays in the
  transport, and the client then counts what arrives.

  @use.with_python=..3.12 @id:clients.no-<method>-before-3-13
  Scenario Outline: Before 3.13, a server has no <method>()
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close_clients
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.abort_clients
    CPython: gh-113538 (added in 3.13)
    Given a server whose handler echoes what it receives
    When a client connects
    And <method>() is called on the server
    Then it failed with AttributeError
    And the connected client is still echoed

    Examples:
      | method        |
      | close_clients |
      | abort_clients |

  @use.with_python=3.13.. @id:clients.close-clients-flushes
  Scenario: From 3.13, close_clients() lets unsent data reach the client, then ends the connection
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close_clients
    CPython: gh-113538
    Given a server whose handler writes 4 MiB that the client does not read yet
    When a client connects
    And the server is closed
    And close_clients() is called on the server
    Then the call returned normally
    And the client receives everything the handler wrote, then the end of the connection

  @use.with_python=3.13.. @id:clients.abort-clients-drops-unsent
  Scenario: From 3.13, abort_clients() ends the connection at once, dropping unsent data
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.abort_clients
    CPython: gh-113538
    Note: what the kernel had already taken is still delivered; the
          client sees the end of the connection after less than was written.
    Given a server whose handler writes 4 MiB that the client does not read yet
    When a client connects
    And the server is closed
    And abort_clients() is called on the server
    Then the call returned normally
    And the client receives less than the handler wrote, then the end of the connection

  @use.with_python=3.13.. @id:clients.<method>-keeps-serving
  Scenario Outline: From 3.13, <method>() without close() ends the connections but the server goes on serving
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close_clients
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.abort_clients
    CPython: gh-113538
    Given a server whose handler echoes what it receives
    When a client connects
    And <method>() is called on the server
    Then the call returned normally
    And the client sees the connection closed
    And the server is serving
    And a client can connect and is echoed

    Examples:
      | method        |
      | close_clients |
      | abort_clients |

  @use.with_python=3.13.. @id:clients.<method>-ends-every-client
  Scenario Outline: From 3.13, <method>() ends the connection of every connected client
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close_clients
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.abort_clients
    CPython: gh-113538
    Given a server whose handler echoes what it receives
    When 3 clients connect
    And <method>() is called on the server
    Then the call returned normally
    And every client sees the connection closed

    Examples:
      | method        |
      | close_clients |
      | abort_clients |
