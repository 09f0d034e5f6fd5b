"""A run's ``behave -D NAME=VALUE`` options (``userdata``), checked.

    loop=NAME            asyncio (default), uvloop, rloop or package.module:factory
    expectations=off     the raw verdict: every divergence fails
    expectations=FILE    another expectations file (default: expectations/NAME.toml)
    isolate=on|off       one forked process per scenario (default: on unless asyncio)
    time_limit=SECONDS   how long an isolated scenario may run (default 10)
    load_clients=N       clients features/load.feature connects (default 1000)
    results=PATH         write the results log (JSON lines) to PATH
    label=TEXT           a label for the run in the results log (e.g. the tox env)
    jobs=N, claims=DIR   set by ``run --jobs N`` for each of its shards (see parallel.py)

A value that is not accepted refuses the run (:class:`Refused`, one line)
before any scenario; whether the loop and the expectations file can be used
is checked by the hooks (:mod:`.conformance`).
"""

import os

from .isolation import SCENARIO_TIME_LIMIT

#: Clients features/load.feature connects, unless ``-D load_clients=N`` says otherwise.
DEFAULT_LOAD_CLIENTS = 1000
#: File descriptors kept free besides the two per load client.
FD_MARGIN = 64


class Refused(Exception):
    """The run cannot start; the message is one line saying why."""


class Options:
    """The ``-D`` options of a run, each checked (:class:`Refused` if one is
    not accepted), with their defaults."""

    def __init__(self, userdata):
        self.loop = userdata.get("loop", "asyncio")
        self.claims = userdata.get("claims")
        self.isolate = isolation_setting(userdata.get("isolate"), self.loop)
        self.time_limit = seconds(userdata.get("time_limit"))
        self.load_clients = load_clients(userdata.get("load_clients"))
        self.expectations = userdata.get("expectations")
        self.results = userdata.get("results")
        self.label = userdata.get("label")
        #: (as given: read once a results log is written)
        self.jobs = userdata.get("jobs", 1)


def isolation_setting(setting, loop_name):
    """``-D isolate``: on or off; by default on for every loop but asyncio."""
    if setting in (None, ""):
        return loop_name != "asyncio"
    if setting not in ("on", "off"):
        raise Refused(f"isolate={setting!r} is not accepted; use isolate=on or isolate=off")
    return setting == "on"


def seconds(text):
    """``-D time_limit``: a positive number of seconds."""
    if text is None:
        return SCENARIO_TIME_LIMIT
    try:
        value = float(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise Refused(f"time_limit={text!r} is not accepted; give a positive number of seconds")
    return value


def load_clients(text):
    """``-D load_clients=N``, checked against the process's file-descriptor limit
    (clients connected at the same time need two each: theirs and the server's)."""
    if text is None:
        text = str(DEFAULT_LOAD_CLIENTS)
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise Refused(
            f"load_clients={text!r} is not accepted; give a whole number of clients, "
            f"1 or more (default {DEFAULT_LOAD_CLIENTS})"
        )
    try:
        import resource
    except ImportError:  # not a Unix system: no limit to check against
        return n
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    in_use = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 16
    needed = 2 * n + FD_MARGIN + in_use
    if soft != resource.RLIM_INFINITY and needed > soft:
        fits = (soft - FD_MARGIN - in_use) // 2
        raise Refused(
            f"load_clients={n} needs about {needed} file descriptors (two per client), "
            f"but RLIMIT_NOFILE allows {soft}; give load_clients={fits} or less, or "
            "raise the limit (ulimit -n)"
        )
    return n
