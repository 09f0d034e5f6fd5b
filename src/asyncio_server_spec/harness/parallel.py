"""``asyncio-server-spec run --jobs N``: the spec's scenarios in N processes
at once, merged into one verdict and one results log.

The scenarios are dealt round-robin into N shards, each named to behave by
``file:line``; each shard is a whole ``asyncio-server-spec run`` of its own
(so it checks the loop, warms it up and isolates scenarios exactly as a
sequential run does) writing its own results log.  Runs side by side cannot
collide: every server listens on an ephemeral port of its own process's own
loopback address, and Unix sockets live in per-scenario temp dirs.  behave's
own runner has no parallel mode, and behavex would replace this project's
hooks with its own; a shard per process keeps the hooks exactly as they are.
"""

import os
import subprocess
import sys
import tempfile
import time

from behave.configuration import setup_parser
from behave.parser import parse_file

from .results import ResultLog, read_log
from .verdicts import FAILING, Outcome, Verdicts

#: Set in a shard's environment: a shard never starts shards of its own.
SHARD = "ASYNCIO_SERVER_SPEC_SHARD"


def _features_in(path):
    if os.path.isdir(path):
        return sorted(os.path.join(path, name) for name in os.listdir(path)
                      if name.endswith(".feature"))
    return [path]


def locations(paths):
    """``file:line`` of every scenario under *paths* (outlines: one per example row)."""
    found = []
    for path in paths:
        _name, sep, line = path.rpartition(":")
        if sep and line.isdigit():
            found.append(path)  # one scenario named by the user
            continue
        for feature in _features_in(path):
            found.extend(f"{feature}:{s.line}" for s in parse_file(feature).walk_scenarios())
    return found


def deal(items, jobs):
    """*items* dealt round-robin into at most *jobs* non-empty shards."""
    shards = [items[i::jobs] for i in range(jobs)]
    return [shard for shard in shards if shard]


def without_paths(args):
    """behave's *args* without the feature paths, and the paths."""
    paths = list(setup_parser().parse_args(list(args)).paths or [])
    rest, pending = [], list(paths)
    for arg in args:
        if arg in pending:
            pending.remove(arg)
        else:
            rest.append(arg)
    return rest, paths


def run(args, root, jobs, results=None, out=sys.stdout):
    """Run the spec (behave *args*) on the spec in *root* in *jobs* processes;
    print one merged verdict; return the exit status (behave's meaning: 0 all
    held, 1 a failing verdict, 2 the run was refused)."""
    rest, paths = without_paths(args)
    from .behave_run import resolve_path

    resolved = [resolve_path(p, root) for p in paths] or [os.path.join(root, "features")]
    shards = deal(locations(resolved), jobs)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="spec-jobs-") as scratch:
        procs = []
        for number, shard in enumerate(shards):
            log = os.path.join(scratch, f"shard-{number}.jsonl")
            # --jobs 1: a shard runs its scenarios itself, never shards again
            command = [sys.executable, "-m", "asyncio_server_spec", "run", "--jobs", "1", "--", *rest,
                       "--format", "null", "-D", f"results={log}", "-D", f"jobs={len(shards)}",
                       *shard]
            env = dict(os.environ, **{SHARD: "1"})
            procs.append((log, subprocess.Popen(command, stdout=subprocess.PIPE,
                                                stderr=subprocess.STDOUT, env=env,
                                                universal_newlines=True)))
        outputs = [(log, proc, proc.communicate()[0]) for log, proc in procs]
        refused = [text for _, proc, text in outputs if proc.returncode == 2]
        if refused:  # the loop or an option was refused: every shard says the same
            lines = [line for line in refused[0].splitlines() if line.strip()]
            print(lines[-1] if lines else "the run was refused", file=sys.stderr)
            return 2
        headers, records = [], []
        for log, proc, text in outputs:
            header, scenarios, _, running = read_log(log)
            headers.append(header)
            records.extend(scenarios)
            if running is not None or proc.returncode not in (0, 1):
                records.append(_died(running, proc.returncode, text))
    return _report(headers, records, results, jobs, time.monotonic() - started, out)


def _died(sid, returncode, text):
    """A shard that died in (or outside) a scenario: an unexpected failure."""
    tail = " | ".join(line for line in text.splitlines()[-3:] if line.strip())
    return Outcome(sid or "(no scenario)", "", "", "crashed", "unexpected-failure",
                   f"the process running this shard ended with status {returncode}: {tail}"
                   ).record()


def _report(headers, records, results, jobs, elapsed, out):
    header = next((h for h in headers if h), {})
    verdicts = Verdicts()
    for r in records:
        verdicts.add(Outcome(**{k: r.get(k) for k in (
            "id", "feature", "name", "status", "verdict", "message", "step", "expectation",
            "duration")}))
    if results:
        log = ResultLog(results, {k: v for k, v in header.items()
                                  if k not in ("record", "schema", "started", "ended")})
        log.header["jobs"] = jobs
        log.header["started"] = min((h["started"] for h in headers if h), default=None)
        for r in records:
            log.scenario(**{k: v for k, v in r.items() if k != "record"})
        log.close()
    loop = header.get("loop", {})
    python = header.get("python", {})
    heading = (f"loop={loop.get('name')}{' ' + loop['version'] if loop.get('version') else ''}, "
               f"{python.get('implementation')} {python.get('version')}, "
               f"expectations: {header.get('expectations') or 'none'}, "
               f"isolation {'on' if header.get('isolate') else 'off'}, {jobs} jobs")
    print(verdicts.summary(heading), file=out)
    print(f"{len(records)} scenarios in {elapsed:.1f} s", file=out)
    return 1 if any(r["verdict"] in FAILING for r in records) else 0

