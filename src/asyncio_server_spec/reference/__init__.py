"""What the spec drives and observes.

- :mod:`.waiting`  -- every wait bounded by a timeout that names what it waited for;
- :mod:`.record`   -- an observable record of what the server side saw;
- :mod:`.handlers` -- the named connection handlers the spec uses;
- :mod:`.servers`  -- creating servers the four documented ways;
- :mod:`.client`   -- a loopback client on its own thread that connects, echoes and detects refusal/EOF;
- :mod:`.kernel`   -- facts about the kernel and sockets (loopback addresses, buffer sizes);
- :mod:`.tls`      -- the test certificates in ``certs/`` and SSL contexts;
- :mod:`.scenario` -- the per-scenario :class:`~.scenario.World` and its cleanup.
"""
