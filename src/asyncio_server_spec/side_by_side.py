"""Does a verdict depend on the rest of the machine? ``python -m asyncio_server_spec.side_by_side``.

Runs N copies of the spec (``asyncio-server-spec run --jobs 1``) side by side
with K CPU burners (processes that only spin), R rounds one after another,
and prints a line per round: how many runs failed and which scenarios, how
long the round took, and the kernel's count of connections in TIME_WAIT
(``tw`` of /proc/net/sockstat, what ``ss -s`` shows as timewait) before the
round, at its peak and after it.  That count is the whole machine's -- every
process's together, this tool's runs among them -- and the kernel keeps at
most ``net.ipv4.tcp_max_tw_buckets`` of them (shown in the header).  The
runs share nothing but the machine, so on a sound spec every run passes.

It is a tool, not a test: it fails nothing, it reports (its exit status is
0 once every round has run).  It stops by itself: a run still going after
``--run-timeout`` seconds is killed with every process it started (and
counted as failed, "killed"), and the burners end with their round.

    python -m asyncio_server_spec.side_by_side                       # 8 runs, 2 burners, 12 rounds
    python -m asyncio_server_spec.side_by_side --runs 2 --rounds 1 -- --tags=id:load.clients-at-once

Arguments after ``--`` go to every run unchanged (``--loop`` is this tool's own).
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter

from .cli import whole_number
from .harness.results import read_log
from .harness.verdicts import FAILING
from .reference import kernel

#: How often a round looks at its runs and at the TIME_WAIT count, in seconds.
POLL = 0.5
_BURNER = "while True:\n    pass\n"


def _tw_limit():
    try:
        with open("/proc/sys/net/ipv4/tcp_max_tw_buckets", encoding="ascii") as setting:
            return int(setting.read())
    except (OSError, ValueError):
        return None


def _end(proc):
    """Kill *proc* and the processes it started (it leads a session of its own)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
    proc.wait()


class _Run:
    """One ``asyncio-server-spec run --jobs 1``, its output and results log in *scratch*."""

    def __init__(self, number, scratch, loop, extra):
        self.results = os.path.join(scratch, f"run-{number}.jsonl")
        self.output = os.path.join(scratch, f"run-{number}.out")
        command = [sys.executable, "-m", "asyncio_server_spec", "run", "--jobs", "1"]
        command += ["--loop", loop, "--results", self.results, *extra]
        with open(self.output, "w") as output:
            self.proc = subprocess.Popen(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.killed = False

    def failures(self):
        """``{id: "status: message"}`` of the scenarios that failed
        (``"killed"``: the run was, ``"exit N"``: it failed without a failing
        scenario to name)."""
        failed = {
            r["id"]: f"{r['status']}: {r.get('message') or ''}"
            for r in read_log(self.results, missing_ok=True).scenarios
            if r["verdict"] in FAILING
        }
        if self.killed:
            failed["killed"] = "still running at the round's time limit"
        elif self.proc.returncode != 0 and not failed:
            with open(self.output, errors="replace") as output:
                failed[f"exit {self.proc.returncode}"] = " ".join(output.read()[-300:].split())
        return failed


def play_round(runs, burners, loop, extra, run_timeout):
    """One round: *runs* spec runs side by side with *burners* burners.
    Returns ``(seconds, failed runs, Counter of failed scenario ids, {id:
    first message}, (TIME_WAIT before, peak, after))``."""
    before = peak = kernel.time_wait_count()
    started = time.monotonic()
    spinning = [
        subprocess.Popen([sys.executable, "-c", _BURNER], stdin=subprocess.DEVNULL, start_new_session=True)
        for _ in range(burners)
    ]
    going = []
    try:
        with tempfile.TemporaryDirectory(prefix="side-by-side-") as scratch:
            going = [_Run(number, scratch, loop, extra) for number in range(runs)]
            deadline = started + run_timeout
            while True:
                running = [run for run in going if run.proc.poll() is None]
                if not running:
                    break
                if time.monotonic() > deadline:
                    for run in running:
                        run.killed = True
                        _end(run.proc)
                    break
                peak = max(peak, kernel.time_wait_count())
                try:  # (the count is looked at every POLL seconds meanwhile)
                    running[0].proc.wait(timeout=POLL)
                except subprocess.TimeoutExpired:
                    pass
            failures = [run.failures() for run in going]
    finally:
        for proc in spinning + [run.proc for run in going]:
            _end(proc)
    seconds = time.monotonic() - started
    after = kernel.time_wait_count()
    failed = Counter(sid for failed in failures for sid in failed)
    messages = {}
    for failed_here in failures:
        for sid, message in failed_here.items():
            messages.setdefault(sid, message)
    failed_runs = sum(1 for failed_here in failures if failed_here)
    return seconds, failed_runs, failed, messages, (before, max(peak, after), after)


_positive = whole_number(1, "a whole number of at least 1")
_count = whole_number(0, "a whole number of at least 0")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    extra = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1 :]
    parser = argparse.ArgumentParser(
        prog="python -m asyncio_server_spec.side_by_side",
        description=__doc__.split("\n\n")[0],
        epilog="Arguments after -- go to every run unchanged.",
    )
    parser.add_argument("--runs", type=_positive, default=8, help="spec runs side by side (default 8)")
    parser.add_argument("--burners", type=_count, default=2, help="CPU burners beside them (default 2)")
    parser.add_argument("--rounds", type=_positive, default=12, help="rounds, one after another (default 12)")
    parser.add_argument("--loop", default="asyncio", help="the loop every run tests (default asyncio)")
    parser.add_argument(
        "--run-timeout",
        type=_positive,
        default=1800,
        metavar="SECONDS",
        help="a round's runs still going after this long are killed (default 1800)",
    )
    options = parser.parse_args(argv)
    limit = _tw_limit()
    print(
        f"{options.runs} x `asyncio-server-spec run --jobs 1 --loop {options.loop}"
        + (" " + " ".join(extra) if extra else "")
        + f"` beside {options.burners} CPU burner(s), {options.rounds} round(s); "
        f"{os.cpu_count()} CPUs; TIME_WAIT: the machine's count, at most "
        + (str(limit) if limit is not None else "?")
        + " (net.ipv4.tcp_max_tw_buckets)",
        flush=True,
    )
    print(
        f"{'round':>5} {'seconds':>8} {'failed runs':>12} "
        f"{'tw before':>10} {'tw peak':>8} {'tw after':>9}  failures"
    )
    total_failed, total, messages = 0, Counter(), {}
    for number in range(1, options.rounds + 1):
        seconds, failed_runs, failed, said, (before, peak, after) = play_round(
            options.runs, options.burners, options.loop, extra, options.run_timeout
        )
        total_failed += failed_runs
        total += failed
        for sid, message in said.items():
            messages.setdefault(sid, message)
        shown = ", ".join(f"{sid} x{n}" for sid, n in sorted(failed.items())) or "-"
        print(
            f"{number:>5} {seconds:>8.1f} {f'{failed_runs}/{options.runs}':>12} "
            f"{before:>10} {peak:>8} {after:>9}  {shown}",
            flush=True,
        )
    runs = options.runs * options.rounds
    print(f"{total_failed} of {runs} runs failed", flush=True)
    for sid, n in sorted(total.items(), key=lambda item: (-item[1], item[0])):
        message = messages[sid]
        print(f"  {n:>4}  {sid}  (first: {message[:300]}{'...' if len(message) > 300 else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
