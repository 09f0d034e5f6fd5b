"""Running the spec against an event loop and judging the outcome.

- :mod:`.loops`, :mod:`.versions`, :mod:`.active_tags` -- which loop, which Python, which scenarios apply;
- :mod:`.expectations`, :mod:`.verdicts`, :mod:`.faults` -- known failures, the status and verdict
  vocabulary, who is to blame;
- :mod:`.isolation`, :mod:`.stepping` -- each scenario in its own process; steps run on the loop;
- :mod:`.processes` -- forking a child, its output in a file, its exit status in words;
- :mod:`.conformance` -- the behave hooks (environment.py) put together;
- :mod:`.results` -- the results log, written and read;
- :mod:`.parallel`, :mod:`.deferred`, :mod:`.behave_run`, :mod:`.formatters` -- running behave
  in shards (and a shard's scenarios that wait), from anywhere, and its output.
"""
