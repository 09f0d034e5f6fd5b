"""Running the spec against an event loop and judging the outcome.

- :mod:`.loops`, :mod:`.versions`, :mod:`.active_tags` -- which loop, which Python, which scenarios apply;
- :mod:`.expectations`, :mod:`.verdicts`, :mod:`.faults` -- known failures, verdicts, who is to blame;
- :mod:`.isolation`, :mod:`.stepping` -- each scenario in its own process; steps run on the loop;
- :mod:`.conformance` -- the behave hooks (environment.py) put together;
- :mod:`.results`, :mod:`.spec_run`, :mod:`.parallel`, :mod:`.behave_run`, :mod:`.formatters`
  -- results logs, running behave in-process, in shards, from anywhere, and its output.
"""
