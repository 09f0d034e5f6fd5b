"""Running the behave spec in a child process and reading what each scenario did."""

import os
import signal
import subprocess
import sys
import tempfile

from .results import read_log

#: Verdicts that fail a run.
FAILING = ("unexpected-failure", "unexpected-pass", "harness-error")


class SpecRun:
    """The result of one behave process: exit code, output, and per scenario
    its status and verdict (from the run's results log)."""

    def __init__(self, returncode, output, header, scenarios, running=None):
        self.returncode = returncode
        self.output = output
        self.header = header
        self.records = {r["id"]: r for r in scenarios}
        self.outcomes = {sid: r["status"] for sid, r in self.records.items()}
        self.verdicts = {sid: r["verdict"] for sid, r in self.records.items()}
        if running is not None:  # the run died inside this scenario
            self.outcomes[running], self.verdicts[running] = "crashed", "unexpected-failure"

    def with_verdict(self, *verdicts):
        return {sid for sid, verdict in self.verdicts.items() if verdict in verdicts}

    def with_status(self, *statuses):
        return {sid for sid, status in self.outcomes.items() if status in statuses}

    @property
    def failed(self):
        return self.with_verdict(*FAILING)

    @property
    def passed(self):
        return self.with_verdict("pass")


def run_spec(args=(), cwd=None, timeout=300, env=None):
    """Run ``python -m behave ARGS`` in *cwd* and return a :class:`SpecRun`.

    A run that outlives *timeout* seconds is killed; its output then ends
    with a line saying so and its return code is -9.
    """
    fd, results = tempfile.mkstemp(prefix="spec-", suffix=".jsonl")
    os.close(fd)
    command = [sys.executable, "-m", "behave", "--format", "progress",
               "-D", "results=" + results] + list(args)
    # its own process group, so that a timeout ends the scenario children too
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
        returncode = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        returncode, output = -9, (output or "") + f"\nkilled after {timeout} s\n"
    finally:
        if proc.poll() is None:  # interrupted: leave nothing running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    try:
        header, scenarios, _, running = read_log(results)
        return SpecRun(returncode, output, header, scenarios, running)
    finally:
        os.unlink(results)
