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

from . import processes
from .verdicts import CRASHED, DIVERGED, TIMED_OUT

#: Seconds a child may take for one scenario before it is killed
#: (``behave -D time_limit=SECONDS`` changes it).
SCENARIO_TIME_LIMIT = 10.0


class Replayed(AssertionError):
    """A step that failed in the child process, replayed; its message is the
    child's (the kind of failure travels separately, in the report)."""


class ChildReport:
    """What a child process said about its scenario, and how it ended."""

    def __init__(self, events, exit_status, hung, stderr_tail, time_limit=SCENARIO_TIME_LIMIT, wall_time=0.0):
        self.steps = [e for e in events if e.get("event") == "step"]
        ends = [e for e in events if e.get("event") == "end"]
        setups = [e for e in events if e.get("event") == "setup-failed"]
        self.finished = bool(ends)
        self.problems = ends[0].get("problems", []) if ends else []
        #: how long the child took, by its own clock (None if it did not finish)
        self.child_seconds = ends[0].get("seconds") if ends else None
        self.setup_failure = setups[0] if setups else None
        self.exit_status = exit_status
        self.hung = hung
        self.stderr_tail = stderr_tail
        self.time_limit = time_limit
        self.wall_time = wall_time

    @property
    def death_kind(self):
        return TIMED_OUT if self.hung else CRASHED

    def death(self):
        """How the child ended, in words, when it did not finish its scenario."""
        if self.setup_failure is not None:
            return self.setup_failure["message"]
        if self.hung:
            return (
                f"expected the scenario to finish within {self.time_limit:g} s; it did not, "
                "and its process was killed"
            )
        how = processes.describe(self.exit_status)
        if processes.returncode(self.exit_status) >= 0:
            how += " before finishing it"
        text = f"the process running the scenario crashed: it {how}"
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
            self._next += 1
            raise Replayed(self.report.death())
        step = steps[self._next]
        self._next += 1
        if step["status"] != "passed":
            raise Replayed(step["message"])

    def outcome(self, index):
        """``(kind, message, duration)`` of the step at *index* as the child saw it;
        a step the child never reached failed by its death."""
        steps = self.report.steps
        if index < len(steps):
            step = steps[index]
            return step.get("kind"), step.get("message"), step.get("duration", 0.0)
        kind = DIVERGED if self.report.setup_failure else self.report.death_kind
        return kind, self.report.death(), 0.0


def replaying(func):
    """Wrap a step function: replay the child's outcome when the context has one."""

    @functools.wraps(func)
    def step(context, *args, **kwargs):
        replay = context.run.current.replay
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

    def __init__(self, fd, started):
        self.fd = fd
        self.started = started  # (time.monotonic() when the parent forked)

    def send(self, **event):
        data = (json.dumps(event) + "\n").encode()
        while data:
            data = data[os.write(self.fd, data) :]

    def step(self, status, kind, message, duration):
        self.send(event="step", status=status, kind=kind, message=message, duration=duration)

    def setup_failed(self, message):
        self.send(event="setup-failed", message=message)

    def end(self, problems):
        """The scenario and its cleanup are over: the problems cleanup found,
        and how long the child took (the parent may hear of it later)."""
        self.send(event="end", problems=problems, seconds=time.monotonic() - self.started)


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
    channel, child = start_child(time_limit)
    return (channel, None) if child is None else (None, child.collect())


def start_child(time_limit=SCENARIO_TIME_LIMIT):
    """Fork.  In the child return ``(ChildChannel, None)``; in the parent
    return ``(None, Child)`` at once: the child runs meanwhile."""
    read_fd, write_fd = os.pipe()
    stderr_file = tempfile.TemporaryFile()  # noqa: SIM115 -- the child writes it; the Child closes it
    devnull = os.open(os.devnull, os.O_WRONLY)
    started = time.monotonic()
    # the parent prints the replay; the child stays silent, but for its last words
    pid = processes.fork(stdout=devnull, stderr=stderr_file.fileno())
    os.close(devnull)
    if pid == 0:  # the child
        global _IN_CHILD
        _IN_CHILD = True
        # a dead man's switch: even an orphaned child ends soon after its time
        signal.alarm(int(time_limit) + 5)
        os.close(read_fd)
        return ChildChannel(write_fd, started), None
    os.close(write_fd)
    return None, Child(pid, read_fd, stderr_file, started, time_limit)


class Child:
    """The parent's end: the child's pipe, read until the child has ended or
    its time is up (*time_limit* seconds from its start)."""

    def __init__(self, pid, read_fd, stderr_file, started, time_limit):
        self.pid, self.read_fd, self.stderr_file = pid, read_fd, stderr_file
        self.started, self.time_limit = started, time_limit
        self._data = b""

    def _read(self):
        """Read what the child has written; False once it has closed its pipe."""
        chunk = os.read(self.read_fd, 65536)
        self._data += chunk
        return bool(chunk)

    def ended(self):
        """True once the child has closed its pipe (it has ended); never waits."""
        while select.select([self.read_fd], [], [], 0)[0]:
            if not self._read():
                return True
        return False

    def collect(self):
        """Wait (bounded) for the child to end, and return its :class:`ChildReport`."""
        hung = False
        deadline = self.started + self.time_limit
        try:
            while True:
                left = deadline - time.monotonic()
                ready = select.select([self.read_fd], [], [], left)[0] if left > 0 else []
                if not ready:
                    hung = True
                    os.kill(self.pid, signal.SIGKILL)
                    break
                if not self._read():
                    break  # the child closed the pipe: it has ended
            _, exit_status = os.waitpid(self.pid, 0)
            events = []
            for line in self._data.decode(errors="replace").splitlines():
                try:
                    events.append(json.loads(line))
                except ValueError:
                    break
            self.stderr_file.seek(0)
            report = ChildReport(
                events, exit_status, hung, last_words(self.stderr_file.read()), self.time_limit
            )
            report.wall_time = time.monotonic() - self.started
            return report
        finally:
            os.close(self.read_fd)
            self.stderr_file.close()


#: How much of a crashed child's stderr a report keeps.
LAST_LINES, LAST_CHARS = 12, 2000


def last_words(stderr):
    """The end of what a dying process printed, one line; a Rust panic's
    location line (``panicked at src/...rs:L:C``) is kept even when more
    followed it (a backtrace)."""
    lines = [line.rstrip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    tail = lines[-LAST_LINES:]
    panics = [line for line in lines[:-LAST_LINES] if "panicked at" in line]
    text = " | ".join(panics[-1:] + (["..."] if panics else []) + tail)
    return text if len(text) <= LAST_CHARS else "..." + text[-LAST_CHARS:]
