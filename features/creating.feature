# Checks: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
#         https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
#         https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
#         https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_unix_server
Feature: Creating a server
  A server is never built by calling asyncio.Server() yourself: one of four
  factory functions binds the listening sockets and hands back a Server.
  The two streams functions take a callback that receives a reader and a
  writer; the two loop methods take a factory that makes a protocol.

  Scenario Outline: <api> returns a server that serves at once
    # https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
    Given a server started with <api>
    Then the server is serving
    And a client can connect and is echoed

    Examples:
      | api                |
      | start_server       |
      | create_server      |
      | start_unix_server  |
      | create_unix_server |

  Scenario: The server listens on the host it was asked for
    # https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server asked to listen on 127.0.0.1 port 0
    Then the server listens on the host asked for, on a port the system picked
    And a client can connect and is echoed

  Scenario: Port 0 lets the operating system pick a free port
    # https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server asked to listen on 127.0.0.1 port 0
    Then the server listens on the host asked for, on a port the system picked

  Scenario: Two servers asking for port 0 get different ports and do not collide
    # https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server asked to listen on 127.0.0.1 port 0
    And another server asked to listen on 127.0.0.1 port 0
    Then the two servers listen on different ports
    And each server echoes its own client

  @use.with_python.max_version=3.10
  Scenario: Up to 3.10, repr(server) names the socket family and type by their enum names
    # repr() of asyncio.Server and of the TransportSocket it lists; the enum
    # formatting changed with the enum rework in 3.11 (gh-84247).
    Given a server asked to listen on 127.0.0.1 port 0
    Then repr(server) lists the listening socket with family and type as enum names

  @use.with_python.min_version=3.11
  Scenario: From 3.11, repr(server) shows the socket family and type as plain numbers
    # repr() of asyncio.Server and of the TransportSocket it lists; the enum
    # formatting changed with the enum rework in 3.11 (gh-84247).
    Given a server asked to listen on 127.0.0.1 port 0
    Then repr(server) lists the listening socket with family and type as numbers
