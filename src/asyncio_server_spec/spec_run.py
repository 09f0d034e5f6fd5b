"""Running the behave spec in a child process and reading what each scenario did."""

import os
import signal
import subprocess
import sys
import tempfile

from .results import outcomes, read_events


class SpecRun:
    """The result of one behave process: exit code, output, per-scenario outcomes."""

    def __init__(self, returncode, output, events):
        self.returncode = returncode
        self.output = output
        self.events = events
        self.outcomes = outcomes(events)

    def with_status(self, *statuses):
        return {sid for sid, status in self.outcomes.items() if status in statuses}

    @property
    def failed(self):
        return self.with_status("failed", "error", "hook_error", "crashed", "unexpected-pass")

    @property
    def passed(self):
        return self.with_status("passed")


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
        returncode, output = -9, (output or "") + "\nkilled after {} s\n".format(timeout)
    finally:
        if proc.poll() is None:  # interrupted: leave nothing running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    try:
        return SpecRun(returncode, output, read_events(results))
    finally:
        os.unlink(results)
