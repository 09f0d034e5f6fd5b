Feature: Many clients
  Checks: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
          https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server

  A server accepts every client that connects, for as long as it serves:
  its callback runs once per connection, however many connections are open
  together or follow one another.  These scenarios put one server under a
  bounded load on loopback: N clients connected at the same time, and N
  clients one after another, each echoed its own message in full.

  N is set with behave -D load_clients=N (1000 unless told otherwise).
  Clients connected together hold two file descriptors each, the client's
  and the server's, so N must leave room under the process's limit on open
  files (RLIMIT_NOFILE); a larger N is refused with a message saying so.
  Each client's every step is bounded by the usual timeout, and the whole
  load by 5 seconds plus 10 ms per client.  A client leaves by resetting its
  connection once it has read its echo in full: one that closed first would
  keep its end in TIME_WAIT for a minute, in a table every process of the
  machine shares, and a load of them could fill it for everyone.

  @long @id:load.clients-at-once
  Scenario: A server echoes every one of many clients connected at the same time
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Note: the clients connect in waves of 50, below the default backlog of
          100, each wave once the server has accepted the last, so the
          kernel's accept queue never overflows; all stay connected, then all
          send before any echo is read.
    Given a server started with start_server
    When as many clients as the load size connect, all staying connected, and then each sends a message at the same time
    Then each of them is echoed its own message in full
    And the server has accepted exactly one connection per client

  @long @id:load.clients-one-after-another
  Scenario: A server echoes every one of many clients that connect one after another
    Docs: https://docs.python.org/3/library/asyncio-stream.html#asyncio.start_server
    Docs: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_server
    Given a server started with start_server
    When as many clients as the load size connect one after another, each sending a message and leaving after its echo
    Then each of them was echoed its own message in full
    And the server has accepted exactly one connection per client
