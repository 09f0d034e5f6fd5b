"""``asyncio-server-spec run --jobs N``: the spec's scenarios in N processes
at once, merged into one verdict and one results log.

Each of the N shards is a whole behave run of its own (so its hooks check
the loop, warm it up and isolate scenarios exactly as a sequential run's
do) over the whole spec, writing its own results log; a shard runs a
scenario only if it is the first to *claim* it, by creating the scenario's
file in a shared claims directory (``-D claims=DIR``; the kernel lets
exactly one ``O_CREAT | O_EXCL`` succeed) -- see
:meth:`~.conformance.ConformanceRun.claim`.  So the scenarios are shared
out as the shards become free, whatever each one costs, and each is run
exactly once.  A scenario that waits on purpose runs beside the others, in
a child of its shard (:mod:`.deferred`).

A shard is a child forked from this process once behave and the harness
are imported, and before the loop under test is: the loop's module is
imported, and its factory checked, in a child of its own first
(:func:`~.loops.check_loop_in_child`).  Runs side by side cannot collide:
every server listens on an ephemeral port of its own process's own
loopback address, and Unix sockets live in per-scenario temp dirs.
behave's own runner has no parallel mode, and behavex would replace this
project's hooks with its own; a shard per process keeps the hooks exactly
as they are.
"""

import gc
import importlib
import os
import signal
import sys
import tempfile
import time

from ..features import read_features
from . import behave_run, deferred, isolation, processes
from .results import ResultLog, read_log
from .verdicts import CRASHED, UNEXPECTED_FAILURE, Outcome, Verdicts

#: What every run of the spec needs: imported once, before forking the
#: shards (and by the tests' fork server, before forking its runs).
PRELOAD = (
    "behave.__main__",
    "behave.runner",
    "asyncio_server_spec.harness.conformance",
    "asyncio_server_spec.reference.client",
    "asyncio_server_spec.reference.load_clients",
    "asyncio_server_spec.reference.probes",
    "asyncio_server_spec.reference.handlers",
    "asyncio_server_spec.reference.servers",
    "asyncio_server_spec.reference.tls",
)


def preload():
    """Import :data:`PRELOAD`, before forking the runs that need it."""
    for name in PRELOAD:
        importlib.import_module(name)


def usable_cpus():
    """The number of CPUs this process may run on (its affinity, where the
    system has one; else all of them): ``run --jobs``'s default."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def heaviest_first(features_dir):
    """The feature files of *features_dir* in the order the shards take
    their scenarios: first those with a scenario that waits on purpose (its
    child starts at once and waits beside everything else, see
    :mod:`.deferred`), then those with the most long scenarios (a load,
    ``@long``).  So no long scenario is left to start last while the other
    shards stand idle."""

    def weight(feature):
        return (
            any(deferred.waits(s.parsed) for s in feature.scenarios),
            sum("long" in s.tags for s in feature.scenarios),
        )

    return [feature.path for feature in sorted(read_features(features_dir), key=weight, reverse=True)]


def run(args, jobs, results=None, out=sys.stdout, features=()):
    """Run the spec (behave *args*, then *features*: the paths to run, when
    *args* names none) in *jobs* processes; print one merged verdict; return
    the exit status (behave's meaning: 0 all held, 1 a failing verdict, 2 the
    run was refused).

    Every scenario behave selects is accounted for: one that no shard
    recorded -- its shard died before it could -- is reported as not run,
    and fails the run.  A SIGTERM ends the shards and removes the scratch
    dir, theirs included, before this process ends.
    """
    started = time.monotonic()
    preload()
    # the shards' collectors leave what they inherit alone (and its pages unshared-by-write)
    if hasattr(gc, "freeze"):  # (not on PyPy)
        gc.freeze()
    planned = behave_run.planned(list(args) + list(features))
    replaced = processes.end_on_sigterm()
    try:
        with tempfile.TemporaryDirectory(prefix=f"spec-jobs-{os.getpid()}-", dir=_in_memory_dir()) as scratch:
            merged = _run_shards(args, jobs, features, scratch)
    finally:
        signal.signal(signal.SIGTERM, replaced)
    if merged is None:
        return 2
    headers, records = merged
    return _report(headers, records, results, jobs, time.monotonic() - started, out, planned)


def _run_shards(args, jobs, features, scratch):
    """Run the *jobs* shards in *scratch*; return the headers and scenario
    records of their logs, with a record for each scenario a shard died in --
    or None if the run was refused (its line printed)."""
    claims = os.path.join(scratch, "claims")
    os.mkdir(claims)
    shards = []
    try:
        for number in range(jobs):
            log = os.path.join(scratch, f"shard-{number}.jsonl")
            output = os.path.join(scratch, f"shard-{number}.out")
            temp = os.path.join(scratch, f"t{number}")  # its temp files: removed with the scratch dir
            os.mkdir(temp)
            # (no output capture: nothing shows it, a shard's output is the merged verdict)
            argv = [
                *args,
                "--format",
                "null",
                "--no-capture",
                "--no-capture-stderr",
                "--no-logcapture",
                "-D",
                f"results={log}",
                "-D",
                f"jobs={jobs}",
                "-D",
                f"claims={claims}",
                *features,
            ]
            shards.append((log, output, _fork_shard(argv, output, number, temp)))
        outputs = []
        for log, output, pid in shards:
            status = processes.returncode(os.waitpid(pid, 0)[1])
            with open(output, encoding="utf-8", errors="replace") as text:
                outputs.append((log, status, text.read()))
    except BaseException:  # (a SIGTERM, ^C): leave no shard behind
        processes.end([pid for _, _, pid in shards])
        raise
    refused = [text for _, code, text in outputs if code == 2]
    if refused:  # the loop or an option was refused: every shard says the same
        lines = [line for line in refused[0].splitlines() if line.strip()]
        print(lines[-1] if lines else "the run was refused", file=sys.stderr)
        return None
    headers, records = [], []
    for path, code, text in outputs:
        log = read_log(path, missing_ok=True)
        headers.append(log.header)
        records.extend(log.scenarios)
        if log.running is not None or code not in (0, 1):
            records.append(_died(log.running, code, text, (log.header or {}).get("isolate", True)))
    return headers, records


def _in_memory_dir():
    """Where the shards' claims and logs go: a file system in memory when the
    system has one (/dev/shm on Linux), else None (the temp dir).  A shard
    creates a claim file per scenario it runs, and appends to its log at
    every scenario: in memory that never waits for a disk."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def _fork_shard(argv, output, number, temp):
    """Fork shard *number*: a child that runs behave with the arguments
    *argv* on the spec (:func:`.behave_run.run`, which the parent has checked
    them with), with its output in the file *output*, its temp files in the
    directory *temp*, on a CPU of its own (see :func:`_keep_to_one_cpu`);
    return its pid."""

    def shard():
        _keep_to_one_cpu(number)
        # (what a shard leaves when it dies goes with the run's scratch dir)
        tempfile.tempdir = temp
        return behave_run.run(argv)

    return processes.start(shard, output)


def _keep_to_one_cpu(number):
    """Keep this shard's threads on one of the CPUs this process may use,
    shard *number* on the *number*-th (round robin when there are more shards
    than CPUs).

    A scenario's threads -- the loop under test, the client thread, a load's
    client workers -- hand work to each other at every step, thousands of
    times in a load.  On one CPU a hand-over is a switch between threads; on
    two it wakes the other CPU, which costs more, and far more on a virtual
    machine.  With as many shards as CPUs, each still keeps a CPU busy.
    Where the system cannot pin (not Linux), nothing changes.
    """
    if not hasattr(os, "sched_setaffinity"):
        return
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) > 1:
        os.sched_setaffinity(0, {cpus[number % len(cpus)]})


def _died(sid, code, text, isolate):
    """A shard that died in (or outside) a scenario, as an unexpected failure
    of that scenario, saying what is known: the shard died while running it
    (with *isolate* off, the loop ran in the shard's own process)."""
    how = f"was killed by {_signal_name(-code)}" if code < 0 else f"exited with status {code}"
    # (behave's own lines about the scenarios other shards ran are not its last words)
    said = "\n".join(line for line in text.splitlines() if not line.startswith("SKIP "))
    words = isolation.last_words(said.encode())
    whose = "" if isolate else " (with isolate=off, the loop's process too)"
    where = "while running it" if sid else "between scenarios"
    return Outcome(
        sid or "(no scenario)",
        "",
        "",
        CRASHED,
        UNEXPECTED_FAILURE,
        f"the process of run --jobs that ran this scenario{whose} died {where}: it {how}"
        + (f"; its last words: {words}" if words else ""),
    ).record()


def _signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


#: How many of the scenarios that did not run the summary names.
NOT_RUN_SHOWN = 10


def _report(headers, records, results, jobs, elapsed, out, planned=()):
    header = next((h for h in headers if h), {})
    verdicts = Verdicts()
    for r in records:
        verdicts.add(Outcome.from_record(r))
    recorded = {r["id"] for r in records}
    not_run = [sid for sid, _, _ in planned if sid not in recorded]
    if results:
        log = ResultLog(
            results, {k: v for k, v in header.items() if k not in ("record", "schema", "started", "ended")}
        )
        log.header["jobs"] = jobs
        log.header["started"] = min((h["started"] for h in headers if h), default=None)
        log.header["not_run"] = not_run
        for r in records:
            log.scenario(**{k: v for k, v in r.items() if k != "record"})
        log.close()
    loop = header.get("loop", {})
    python = header.get("python", {})
    heading = (
        f"loop={loop.get('name')}{' ' + loop['version'] if loop.get('version') else ''}, "
        f"{python.get('implementation')} {python.get('version')}, "
        f"expectations: {header.get('expectations') or 'none'}, "
        f"isolation {'on' if header.get('isolate') else 'off'}, {jobs} jobs"
    )
    print(verdicts.summary(heading), file=out)
    if not_run:
        shown = ", ".join(not_run[:NOT_RUN_SHOWN])
        more = f" and {len(not_run) - NOT_RUN_SHOWN} more" if len(not_run) > NOT_RUN_SHOWN else ""
        print(
            f"\nNOT RUN: {len(not_run)} scenario(s) did not run -- the processes of the run that were "
            f"to run them died before they could (see the crashes above); the run is incomplete: "
            f"{shown}{more}",
            file=out,
        )
    print(f"{len(records)} scenarios in {elapsed:.1f} s", file=out)
    return 1 if verdicts.failed or not_run else 0
