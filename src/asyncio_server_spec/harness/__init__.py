"""Running the spec against an event loop and judging the outcome.

- :mod:`.loops`, :mod:`.versions`, :mod:`.active_tags` -- which loop, which Python, which scenarios apply;
- :mod:`.options` -- the run's ``-D`` options, checked;
- :mod:`.expectations`, :mod:`.verdicts`, :mod:`.faults` -- known failures, the status and verdict
  vocabulary, who is to blame;
- :mod:`.isolation`, :mod:`.stepping` -- each scenario in its own process; steps run on the loop;
- :mod:`.processes` -- forking a child, its output in a file, its exit status in words;
- :mod:`.conformance` -- the behave hooks (environment.py) put together;
- :mod:`.results` -- the results log: its header, written and read;
- :mod:`.runner` -- ``asyncio-server-spec run``: the spec in this process or in shards;
- :mod:`.parallel`, :mod:`.deferred` -- the shards of ``run --jobs``, and their scenarios that wait;
- :mod:`.behave_run`, :mod:`.formatters` -- behave on the spec from anywhere, and its output.
"""
