"""Running the behave spec in a child process and reading what each scenario did."""

import os
import signal
import subprocess
import sys
import tempfile
import time

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


#: What every run needs, imported once by the fork server (:func:`run_specs`).
PRELOAD = ["behave.__main__", "behave.runner", "asyncio_server_spec.harness.conformance",
           "asyncio_server_spec.reference.client", "asyncio_server_spec.reference.tls"]


def run_specs(arg_lists, cwd, timeout=300, parallel=4):
    """Run ``behave ARGS`` for each of *arg_lists* in *cwd*, *parallel* at a
    time; return their :class:`SpecRun` results, in order.

    Each run is a child of a fork server (:mod:`multiprocessing`'s
    ``forkserver``) that has imported behave and the harness already, so a
    run costs what its scenarios cost, not a Python start-up and imports
    each -- and the process asking never forks itself.  A run that outlives
    *timeout* seconds is killed with the processes it started, as
    :func:`run_spec` does.  Each result's ``seconds`` is how long it took.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    pending = list(enumerate(arg_lists))
    running, done = {}, {}
    with tempfile.TemporaryDirectory(prefix="spec-runs-") as scratch:
        while pending or running:
            while pending and len(running) < parallel:
                number, args = pending.pop(0)
                results = os.path.join(scratch, f"{number}.jsonl")
                output = os.path.join(scratch, f"{number}.out")
                child = context.Process(target=_behave_child, args=(list(args), cwd, results, output))
                child.start()
                running[number] = (child, time.monotonic(), results, output)
            wait([child.sentinel for child, *_ in running.values()], timeout=0.05)
            for number, (child, started, results, output) in list(running.items()):
                killed = child.is_alive() and time.monotonic() - started > timeout
                if killed:
                    _kill_group(child.pid)
                if killed or not child.is_alive():
                    child.join()
                    del running[number]
                    done[number] = _finished(child.exitcode if not killed else -9, output,
                                             results, timeout if killed else None)
                    done[number].seconds = time.monotonic() - started
    return [done[number] for number in range(len(arg_lists))]


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _finished(returncode, output, results, killed_after):
    with open(output, encoding="utf-8", errors="replace") as text:
        printed = text.read()
    if killed_after is not None:
        printed += f"\nkilled after {killed_after} s\n"
    header, scenarios, _, running = read_log(results)
    return SpecRun(returncode, printed, header, scenarios, running)


def _behave_child(args, cwd, results, output):
    """In a child of the fork server: ``python -m behave --format progress
    -D results=RESULTS ARGS`` run in *cwd*, its output into the file *output*."""
    os.setsid()  # its own process group: a timeout ends the scenario children too
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    os.chdir(cwd)
    sys.path.insert(0, cwd)  # as ``python -m`` does: loop modules named from cwd import
    from behave.__main__ import main

    status = main(["--format", "progress", "-D", "results=" + results] + args)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
