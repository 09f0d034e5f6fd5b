"""Running each scenario in a forked child process, so a crashing loop cannot
lose the run.

The parent forks before the scenario creates its event loop.  The child runs
the scenario for real, its formatter output silenced, and reports each step's
outcome on a pipe.  The parent waits (bounded), then *replays* the steps: each
step function, wrapped by :func:`replaying`, returns or raises as the child's
step did.  A child that dies (a Rust panic, a segfault) or hangs fails the
step it was in, with a message that says so, and the run goes on with the next
scenario in a fresh child.
"""

import functools
import json
import os
import select
import signal
import tempfile
import time

#: Seconds a child may take for one scenario before it is killed
#: (``behave -D time_limit=SECONDS`` changes it).
SCENARIO_TIME_LIMIT = 10.0


class ReplayedError(Exception):
    """A step that raised an error (not an assertion) in the child process."""


class ChildReport:
    """What a child process said about its scenario, and how it ended."""

    def __init__(self, events, exit_status, hung, stderr_tail, time_limit=SCENARIO_TIME_LIMIT):
        self.steps = [e for e in events if e.get("event") == "step"]
        ends = [e for e in events if e.get("event") == "end"]
        self.finished = bool(ends)
        self.problems = ends[0].get("problems", []) if ends else []
        self.exit_status = exit_status
        self.hung = hung
        self.stderr_tail = stderr_tail
        self.time_limit = time_limit

    def death(self):
        """How the child ended, in words, when it did not finish its scenario."""
        if self.hung:
            return "the scenario did not finish within {:g} s and its process was killed".format(
                self.time_limit)
        if os.WIFSIGNALED(self.exit_status):
            number = os.WTERMSIG(self.exit_status)
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = "signal {}".format(number)
            how = "was killed by {}".format(name)
        else:
            how = "exited with status {}".format(os.WEXITSTATUS(self.exit_status))
        text = "the process running the scenario crashed: it {}".format(how)
        if self.stderr_tail:
            text += "; its last words: " + self.stderr_tail
        return text


class Replay:
    """Plays a child's step outcomes back, one step call at a time."""

    def __init__(self, report):
        self.report = report
        self._next = 0

    def next_step(self):
        steps = self.report.steps
        if self._next >= len(steps):
            raise AssertionError(self.report.death())
        step = steps[self._next]
        self._next += 1
        if step["status"] == "failed":
            raise AssertionError(step["error"])
        if step["status"] != "passed":
            raise ReplayedError(step["error"])


def replaying(func):
    """Wrap a step function: replay the child's outcome when the context has one."""

    @functools.wraps(func)
    def step(context, *args, **kwargs):
        replay = getattr(context, "replay", None)
        if replay is None:
            return func(context, *args, **kwargs)
        return replay.next_step()

    step.replays = True
    return step


def wrap_step_registry(registry):
    """Make every registered step function replayable."""
    for matchers in registry.steps.values():
        for matcher in matchers:
            if not getattr(matcher.func, "replays", False):
                matcher.func = replaying(matcher.func)


class ChildChannel:
    """The child's end: one JSON line per event, flushed at once."""

    def __init__(self, fd):
        self.fd = fd

    def send(self, **event):
        data = (json.dumps(event) + "\n").encode()
        while data:
            data = data[os.write(self.fd, data):]

    def step(self, status, error):
        self.send(event="step", status=status, error=error)

    def end(self, problems):
        self.send(event="end", problems=problems)


_IN_CHILD = False


def exit_if_child():
    """End this process at once if it is a scenario's child.

    A child runs exactly one scenario.  Should it ever get past that scenario
    (a hook that failed before it could exit), it must not go on to run --
    and fork for -- the rest of the spec.
    """
    if _IN_CHILD:
        os._exit(70)


def fork(time_limit=SCENARIO_TIME_LIMIT):
    """Fork.  In the child return ``(ChildChannel, None)``; in the parent
    return ``(None, ChildReport)`` once the child has ended or been killed."""
    read_fd, write_fd = os.pipe()
    stderr_file = tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:  # the child
        global _IN_CHILD
        _IN_CHILD = True
        # a dead man's switch: even an orphaned child ends soon after its time
        signal.alarm(int(time_limit) + 5)
        os.close(read_fd)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)  # the parent prints the replay; the child stays silent
        os.dup2(stderr_file.fileno(), 2)
        os.close(devnull)
        return ChildChannel(write_fd), None
    os.close(write_fd)
    try:
        return None, _collect(pid, read_fd, stderr_file, time_limit)
    finally:
        os.close(read_fd)
        stderr_file.close()


def _collect(pid, read_fd, stderr_file, time_limit):
    data, hung = b"", False
    deadline = time.monotonic() + time_limit
    while True:
        left = deadline - time.monotonic()
        ready = select.select([read_fd], [], [], max(left, 0))[0] if left > 0 else []
        if not ready:
            hung = True
            os.kill(pid, signal.SIGKILL)
            break
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break  # the child closed the pipe: it has ended
        data += chunk
    _, exit_status = os.waitpid(pid, 0)
    events = []
    for line in data.decode(errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            break
    stderr_file.seek(0)
    lines = [line for line in stderr_file.read().decode(errors="replace").splitlines() if line.strip()]
    tail = " | ".join(lines[-3:])[-500:]
    return ChildReport(events, exit_status, hung, tail, time_limit)
