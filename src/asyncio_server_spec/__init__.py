"""asyncio-server-spec: an executable specification of asyncio's socket-server API.

The package has three parts, plus the tools at the top:

- :mod:`.reference` -- what the spec drives and observes: servers created the
  documented ways, the named handlers, an independent loopback client, the
  server-side record, bounded waits, TLS material, kernel facts and the
  per-scenario :class:`~.reference.scenario.World`; and the echo server of
  ``python -m asyncio_server_spec serve``;
- :mod:`.harness` -- running the spec against one event loop: loop selection,
  Python versions and active tags, expectation files, verdicts and their
  attribution, isolation, results logs, parallel runs, behave integration;
- :mod:`.report` -- the results site built from results logs;
- :mod:`.features` -- the feature files, read: every scenario with its id,
  title, tags, references, versions, feature and rule (for the tools, the
  report and the harness);
- :mod:`.cli` (``python -m asyncio_server_spec``), :mod:`.traceability`,
  :mod:`.benchmark`.
"""

__version__ = "0.1.0"
