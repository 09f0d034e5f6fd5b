Feature: Where a TCP server listens
  Checks: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
          (the host, port, family and sock arguments; start_server hands them on:
          https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server)

  The host argument decides which addresses get a listening socket: a
  string is one address, a sequence of strings is each of its addresses,
  and None or an empty string means every interface -- one IPv4 and one
  IPv6 wildcard socket on a machine with both.  With port 0 or None the
  system picks a free port, for each listening socket separately.  family
  keeps only the IPv4 or only the IPv6 addresses, and flags go to
  getaddrinfo() (AI_PASSIVE by default, which is what makes "no host" mean
  every interface).  Instead of host and
  port, a socket the caller has already bound can be handed over with sock;
  the server then owns it and closes it.

  Every client connects over loopback (127.0.0.1 or ::1), also to a server
  listening on every interface.

  @id:addresses.host-sequence-<api>
  Scenario Outline: A sequence of hosts gives one listening socket per address (<api>)
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: a sequence of hosts is accepted since 3.5.1.
    Given a server started with <api> on 127.0.0.1 and ::1 at port 0
    Then server.sockets holds 2 listening sockets
    And the server listens exactly on IPv4 127.0.0.1 and IPv6 ::1
    And a client reaching each listening socket is echoed

    Examples:
      | api           |
      | start_server  |
      | create_server |

  @id:addresses.port-0-per-socket
  Scenario: With port 0 and several addresses, each socket gets a free port of its own
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the ports are picked independently, so they may coincide by chance;
          the step then makes the server again (at most twice) before failing.
    Given a server started with start_server on 127.0.0.1 and ::1 at port 0
    Then each listening socket has a port of its own, picked by the system

  @id:addresses.duplicate-hosts-merged
  Scenario: A host named twice in the sequence still gets one listening socket
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: not in the docs. asyncio resolves every host and binds each distinct
          address once; uvloop binds one socket per entry (two ports).
    Given a server started with start_server on 127.0.0.1 and 127.0.0.1 at port 0
    Then server.sockets holds 1 listening socket
    And a client can connect and is echoed

  @id:addresses.every-interface-<slug>
  Scenario Outline: Host <host> listens on every interface, over IPv4 and IPv6
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the bound addresses are checked; traffic goes to loopback only.
    Given a server started with start_server on every interface, by host <host>
    Then server.sockets holds 2 listening sockets
    And the server listens exactly on IPv4 0.0.0.0 and IPv6 ::
    And a client reaching each listening socket is echoed

    Examples:
      | host | slug         |
      | None | none         |
      | ''   | empty-string |

  @id:addresses.every-interface-fixed-port
  Scenario: Host None with a fixed port listens on that one port over IPv4 and IPv6
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the docs do not say how two sockets share one port.  asyncio sets
          IPV6_V6ONLY on the IPv6 socket, so that it leaves IPv4 to the other
          one (a Linux IPv6 socket takes IPv4 too unless told not to), and
          SO_REUSEADDR on both (reuse_address defaults to True on Unix).
          The port is one that a bind probe found free on 0.0.0.0 and ::; if
          another process takes it first, the step picks another.
    Given a server started with start_server on every interface, by host None, at a port free on both IPv4 and IPv6
    Then server.sockets holds 2 listening sockets
    And both listening sockets are on the port asked for
    And the IPv6 listening socket has IPV6_V6ONLY set
    And every listening socket has SO_REUSEADDR set
    And a client reaching each listening socket is echoed

  @id:addresses.family-<slug>
  Scenario Outline: family=<family> keeps only the <version> addresses
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: every interface is used because it resolves to both families here;
          'localhost' maps to 127.0.0.1 only on this machine (/etc/hosts).
    Given a server started with start_server on every interface, but with family <family>
    Then server.sockets holds 1 listening socket
    And the server listens exactly on <version> <address>
    And a client reaching each listening socket is echoed

    Examples:
      | family   | version | address | slug     |
      | AF_INET  | IPv4    | 0.0.0.0 | af-inet  |
      | AF_INET6 | IPv6    | ::      | af-inet6 |

  @id:addresses.flags-without-passive
  Scenario: Host None means every interface only because flags defaults to AI_PASSIVE
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: flags goes to getaddrinfo(), which gives the wildcard addresses for
          a missing host only with AI_PASSIVE; without it, the loopback ones.
    Given a server started with start_server with host None and getaddrinfo flags 0
    Then the server listens exactly on IPv4 127.0.0.1 and IPv6 ::1
    And a client reaching each listening socket is echoed

  @id:addresses.ipv6-loopback
  Scenario: A server on ::1 listens on an IPv6 socket and serves IPv6 clients
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server asked to listen on ::1 port 0
    Then the server listens exactly on IPv6 ::1
    And the server listens on the host asked for, on a port the system picked
    And a client can connect and is echoed

  @id:addresses.port-none-picks-free-port
  Scenario: Port None, like port 0, lets the system pick a free port
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server started with start_server on 127.0.0.1 at port None
    Then the server listens on the host asked for, on a port the system picked
    And a client can connect and is echoed

  @id:addresses.needs-host-port-or-sock
  Scenario: Leaving out host, port and sock altogether is refused with ValueError
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: None is the documented default of both host and port, and each alone
          means "every interface" or "a free port"; leaving out both (and sock)
          is an error, which the docs do not say.
    When a server is created with start_server without host, port or sock
    Then it failed with ValueError

  @id:addresses.port-in-use
  Scenario: A port another server listens on cannot be bound again
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the message changed in 3.13 ("[errno 98] address already in use" after
          the address); only the exception type and errno are checked.
    Given a server started with start_server on 127.0.0.1 at port 0
    When another server is created on the same port
    Then it failed with OSError
    And the error is EADDRINUSE (address already in use)
    And a client can connect and is echoed

  @id:addresses.sock-<api>-listens
  Scenario Outline: A bound socket handed over with sock is where the server listens (<api>)
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a TCP socket the caller has bound to 127.0.0.1 but not made listen
    When a server is started with <api> on that socket
    Then the server listens on the caller's socket
    And a client can connect and is echoed

    Examples:
      | api           |
      | start_server  |
      | create_server |

  @id:addresses.sock-owned-by-server
  Scenario: Closing the server closes the socket handed over with sock
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Note: the docs say sock hands the socket over to the server; closing the
          server is the way to close it.
    Given a TCP socket the caller has bound to 127.0.0.1 but not made listen
    When a server is started with start_server on that socket
    And the server is closed
    Then the caller's socket is closed
    And a client cannot connect

  @id:addresses.sock-with-<slug>
  Scenario Outline: sock together with <what> is refused with ValueError
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a TCP socket the caller has bound to 127.0.0.1 but not made listen
    When a server is created with start_server on that socket and also <what>
    Then it failed with ValueError

    Examples:
      | what           | slug |
      | host 127.0.0.1 | host |
      | port 0         | port |
