"""The tests' spec runs: the behave spec in a child process, and what each
scenario did (from the run's results log).

:func:`run_spec` starts one ``python -m behave``; :func:`run_specs` runs many
as children of one fork server -- this file run as a script (:func:`serve`).
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from asyncio_server_spec.harness import processes
from asyncio_server_spec.harness.parallel import preload
from asyncio_server_spec.harness.results import read_log
from asyncio_server_spec.harness.verdicts import CRASHED, FAILING, PASS, UNEXPECTED_FAILURE


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
            self.outcomes[running], self.verdicts[running] = CRASHED, UNEXPECTED_FAILURE

    def with_verdict(self, *verdicts):
        return {sid for sid, verdict in self.verdicts.items() if verdict in verdicts}

    def with_status(self, *statuses):
        return {sid for sid, status in self.outcomes.items() if status in statuses}

    @property
    def failed(self):
        return self.with_verdict(*FAILING)

    @property
    def passed(self):
        return self.with_verdict(PASS)


def run_spec(args=(), cwd=None, timeout=300, env=None):
    """Run ``python -m behave ARGS`` in *cwd* and return a :class:`SpecRun`.

    A run that outlives *timeout* seconds is killed; its output then ends
    with a line saying so and its return code is -9.
    """
    fd, results = tempfile.mkstemp(prefix="spec-", suffix=".jsonl")
    os.close(fd)
    command = [sys.executable, "-m", "behave", "--format", "progress", "-D", "results=" + results] + list(
        args
    )
    # its own process group, so that a timeout ends the scenario children too
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
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
        log = read_log(results, missing_ok=True)
        return SpecRun(returncode, output, log.header, log.scenarios, log.running)
    finally:
        os.unlink(results)


def run_specs(arg_lists, cwd, timeout=300, parallel=4, env=None):
    """Run ``behave ARGS`` for each of *arg_lists* in *cwd*, *parallel* at a
    time; return their :class:`SpecRun` results, in order.

    The runs are children of one fork server: a Python process that imports
    behave and the harness once, then forks a child per run, so that a run
    costs what its scenarios cost, not a Python start-up and imports each --
    and the process asking never forks itself.  A run that outlives *timeout*
    seconds is killed with the processes it started, as :func:`run_spec`
    does.  Each result's ``seconds`` is how long it took.
    """
    with tempfile.TemporaryDirectory(prefix="spec-runs-") as scratch:
        requests = [
            {
                "args": list(args),
                "cwd": cwd,
                "results": os.path.join(scratch, f"{number}.jsonl"),
                "output": os.path.join(scratch, f"{number}.out"),
            }
            for number, args in enumerate(arg_lists)
        ]
        server = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), str(parallel), str(timeout)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            universal_newlines=True,
        )
        answers, _ = server.communicate("".join(json.dumps(r) + "\n" for r in requests))
        done = {}
        for line in answers.splitlines():
            answer = json.loads(line)
            request = requests[answer["number"]]
            run = _finished(
                answer["returncode"],
                request["output"],
                request["results"],
                timeout if answer["killed"] else None,
            )
            run.seconds = answer["seconds"]
            done[answer["number"]] = run
        missing = [number for number in range(len(requests)) if number not in done]
        if missing:
            raise RuntimeError(
                f"the fork server ended with status {server.returncode} before runs {missing} ended"
            )
    return [done[number] for number in range(len(requests))]


def serve():
    """The fork server of :func:`run_specs`: reads its runs (JSON lines) from
    stdin, then runs them, ``sys.argv[1]`` at a time, each bounded by
    ``sys.argv[2]`` seconds; writes a JSON line for each as it ends."""
    parallel, timeout = int(sys.argv[1]), float(sys.argv[2])
    requests = [json.loads(line) for line in sys.stdin]
    preload()
    pending = list(enumerate(requests))
    running = {}  # pid -> (number, started)
    while pending or running:
        while pending and len(running) < parallel:
            number, request = pending.pop(0)
            pid = _start_behave(request["args"], request["cwd"], request["results"], request["output"])
            running[pid] = (number, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        now = time.monotonic()
        ended = {pid: (status, False)} if pid else {}
        for child, (_, started) in running.items():
            if child not in ended and now - started > timeout:
                _kill_group(child)
                ended[child] = (os.waitpid(child, 0)[1], True)
        for child, (status, killed) in ended.items():
            number, started = running.pop(child)
            print(
                json.dumps(
                    {
                        "number": number,
                        "killed": killed,
                        "seconds": now - started,
                        "returncode": -9 if killed else processes.returncode(status),
                    }
                ),
                flush=True,
            )
        if not ended:
            time.sleep(0.01)


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _finished(returncode, output, results, killed_after):
    try:
        with open(output, encoding="utf-8", errors="replace") as text:
            printed = text.read()
    except FileNotFoundError:  # the child died before it could start the run
        printed = f"the run's process ended with status {returncode} before it started\n"
    if killed_after is not None:
        printed += f"\nkilled after {killed_after} s\n"
    log = read_log(results, missing_ok=True)
    return SpecRun(returncode, printed, log.header, log.scenarios, log.running)


def _start_behave(args, cwd, results, output):
    """Start a child of the fork server that runs ``python -m behave --format
    progress -D results=RESULTS ARGS`` in *cwd*, its output into the file
    *output*; return its pid."""

    def behave():
        os.setsid()  # its own process group: a timeout ends the scenario children too
        sys.stdin.close()
        os.chdir(cwd)
        sys.path.insert(0, cwd)  # as ``python -m`` does: loop modules named from cwd import
        from behave.__main__ import main

        return main(["--format", "progress", "-D", "results=" + results] + args)

    return processes.start(behave, output)


if __name__ == "__main__":
    serve()
