"""asyncio-server-spec: an executable specification of asyncio's socket-server API.

The package holds the thin reference module that the behave steps drive:

- :mod:`.waiting`  -- every wait bounded by a timeout that names what it waited for;
- :mod:`.record`   -- an observable record of what the server side saw;
- :mod:`.handlers` -- the named connection handlers the spec uses;
- :mod:`.servers`  -- creating servers the four documented ways;
- :mod:`.client`   -- a loopback client that connects, echoes and detects refusal/EOF;
- :mod:`.loops`    -- choosing the event loop implementation by name;
- :mod:`.cli`      -- ``python -m asyncio_server_spec serve``.
"""

__version__ = "0.1.0"
