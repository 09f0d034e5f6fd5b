"""How long a full verdict takes: ``python -m asyncio_server_spec.benchmark``.

Runs the whole spec (``asyncio-server-spec run``) against each loop, times
it from the outside, and prints a table with the targets next to the
figures.  It is a benchmark, not a test: it fails nothing, it reports.

    python -m asyncio_server_spec.benchmark                  # every loop, default jobs
    python -m asyncio_server_spec.benchmark --jobs 1 --repeat 3 asyncio silent

``silent`` is a loop whose servers accept every connection but never run a
handler -- the worst case for a spec that waits: every scenario that needs a
handler must fail, and fail fast.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time

from .harness.parallel import usable_cpus
from .harness.results import read_log

#: Seconds a full verdict may take, per loop (issue targets on a 2-core machine).
#: ``silent`` fails every scenario that needs a handler, each after one prompt
#: wait (about 0.3 s, see reference/waiting.py), the shards sharing them: 20 s
#: when 87 of 166 scenarios needed a handler, 30 s for the 151 of 242 that do
#: since the connections' scenarios came (what each failure costs is unchanged).
TARGETS = {"asyncio": 1.0, "uvloop": 6.0, "rloop": 10.0, "silent": 30.0}
LOOPS = {
    "asyncio": "asyncio",
    "uvloop": "uvloop",
    "rloop": "rloop",
    "silent": "asyncio_server_spec.benchmark:handlers_never_run",
}


class _Deaf(asyncio.Protocol):
    """A protocol that is never told anything useful: no handler runs."""


class _SilentLoop(asyncio.SelectorEventLoop):
    async def create_server(self, protocol_factory, *args, **kwargs):
        return await super().create_server(_Deaf, *args, **kwargs)

    async def create_unix_server(self, protocol_factory, *args, **kwargs):
        return await super().create_unix_server(_Deaf, *args, **kwargs)


def handlers_never_run():
    """The ``silent`` loop: servers accept connections, handlers never run."""
    return _SilentLoop()


def measure(loop, jobs, extra=()):
    """``(wall seconds, exit status, {verdict: count})`` of one full run."""
    with tempfile.TemporaryDirectory() as scratch:
        results = os.path.join(scratch, "results.jsonl")
        command = [
            sys.executable,
            "-m",
            "asyncio_server_spec",
            "run",
            "--loop",
            LOOPS[loop],
            "--jobs",
            str(jobs),
            "--results",
            results,
            *extra,
        ]
        started = time.monotonic()
        proc = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
        )
        wall = time.monotonic() - started
        counts = {}
        for record in read_log(results, missing_ok=True).scenarios:
            counts[record["verdict"]] = counts.get(record["verdict"], 0) + 1
        return wall, proc.returncode, counts


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m asyncio_server_spec.benchmark", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "loops",
        nargs="*",
        default=list(LOOPS),
        metavar="LOOP",
        help=f"any of {', '.join(LOOPS)} (default: all)",
    )
    parser.add_argument(
        "--jobs", type=int, default=usable_cpus(), help="processes per run (default: the number of CPUs)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per loop (the median is shown)")
    options = parser.parse_args(argv)
    unknown = [loop for loop in options.loops if loop not in LOOPS]
    if unknown:
        parser.error(f"unknown loop(s) {', '.join(unknown)}; accepted: {', '.join(LOOPS)}")
    print(
        f"Python {sys.version.split()[0]}, {usable_cpus()} CPUs, --jobs {options.jobs}, "
        f"{options.repeat} run(s) each"
    )
    print(f"{'loop':<8} {'median s':>9} {'target s':>9} {'within':>7}  {'exit':>4}  verdicts")
    for loop in options.loops:
        runs = [measure(loop, options.jobs) for _ in range(options.repeat)]
        wall = statistics.median(r[0] for r in runs)
        _, status, counts = runs[-1]
        shown = ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items()))
        within = "yes" if wall <= TARGETS[loop] else "NO"
        print(f"{loop:<8} {wall:>9.2f} {TARGETS[loop]:>9.1f} {within:>7}  {status:>4}  {shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
