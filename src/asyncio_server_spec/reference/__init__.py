"""What the spec drives and observes.

- :mod:`.servers`      -- creating servers the four documented ways;
- :mod:`.handlers`     -- the connection handlers the spec gives its servers;
- :mod:`.record`       -- an observable record of what the server side saw;
- :mod:`.client`       -- the scenario's client, on a thread of its own (never the loop under test);
- :mod:`.load_clients` -- many clients at once, on plain blocking sockets;
- :mod:`.probes`       -- does anything in this process accept connections at an address?
- :mod:`.waiting`      -- every wait bounded by a timeout that names what it waited for;
- :mod:`.sockets`      -- sockets a scenario makes itself (a caller's socket, a small send buffer);
- :mod:`.kernel`       -- facts read from the kernel (who listens on a port, the accept-queue limit);
- :mod:`.tls`          -- the test certificates in ``certs/`` and SSL contexts;
- :mod:`.scenario`     -- the per-scenario :class:`~.scenario.World` and its cleanup;
- :mod:`.echo_server`  -- the echo server of ``python -m asyncio_server_spec serve``.
"""
