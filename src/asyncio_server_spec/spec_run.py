"""Running the behave spec in a child process and reading what each scenario did."""

import os
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
    try:
        try:
            proc = subprocess.run(
                command, cwd=cwd, env=env, timeout=timeout,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                universal_newlines=True,
            )
            returncode, output = proc.returncode, proc.stdout
        except subprocess.TimeoutExpired as exc:
            text = exc.output or ""
            if isinstance(text, bytes):
                text = text.decode(errors="replace")
            returncode, output = -9, text + "\nkilled after {} s\n".format(timeout)
        return SpecRun(returncode, output, read_events(results))
    finally:
        os.unlink(results)
