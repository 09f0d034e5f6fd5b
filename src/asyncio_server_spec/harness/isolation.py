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

import faulthandler
import functools
import io
import json
import os
import re
import select
import signal
import sys
import tempfile
import threading
import time

from . import processes
from .verdicts import CRASHED, DIVERGED, TIMED_OUT

#: Seconds a child may take for one scenario before it is killed
#: (``behave -D time_limit=SECONDS`` changes it).
SCENARIO_TIME_LIMIT = 10.0

#: Seconds past its time limit after which the parent kills a child that is
#: still there.  The child keeps its own time: a watchdog thread of its own
#: (:mod:`faulthandler`'s) writes where each of its threads was and ends it
#: at its time limit, whenever its parent looks; the parent's kill is for a
#: child whose watchdog could not (see :func:`start_child`).
GRACE = 5.0


class Replayed(AssertionError):
    """A step that failed in the child process, replayed; its message is the
    child's (the kind of failure travels separately, in the report)."""


class ChildReport:
    """What a child process said about its scenario, and how it ended."""

    def __init__(
        self, events, exit_status, hung, stderr_tail, time_limit=SCENARIO_TIME_LIMIT, wall_time=0.0, stacks=""
    ):
        self.steps = [e for e in events if e.get("event") == "step"]
        ends = [e for e in events if e.get("event") == "end"]
        setups = [e for e in events if e.get("event") == "setup-failed"]
        self.finished = bool(ends)
        self.problems = ends[0].get("problems", []) if ends else []
        #: how long the child took, by its own clock (None if it did not finish)
        self.child_seconds = ends[0].get("seconds") if ends else None
        self.setup_failure = setups[0] if setups else None
        self.exit_status = exit_status
        #: True if it outlived its time limit (and did not finish): it never is if it finished
        self.hung = hung and not self.finished
        self.stderr_tail = stderr_tail
        #: where its threads were when its time was up (:func:`where_threads_were`), or ""
        self.stacks = stacks
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
            text = (
                f"expected the scenario to finish within {self.time_limit:g} s; it did not, "
                "and its process was killed"
            )
            if self.stderr_tail:
                text += "; its last words: " + self.stderr_tail
            return text + "; " + self.stacks if self.stacks else text
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
        _disarm_watchdog()  # it finished: its time is no longer counted
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
    return ``(None, Child)`` at once: the child runs meanwhile.

    The child keeps its own time (its parent may be busy when the time is
    up): at *time_limit* seconds a watchdog thread writes where each of the
    child's threads was into a file of its own and ends it -- a thread of
    :mod:`faulthandler`'s, which needs no GIL, so it works even when the
    loop holds it.  What the child writes to its standard error, through
    ``sys.stderr`` too, goes to a file at once: the parent quotes its end.
    """
    read_fd, write_fd = os.pipe()
    stderr_file = tempfile.TemporaryFile()  # noqa: SIM115 -- the child writes it; the Child closes it
    stacks_file = tempfile.TemporaryFile()  # noqa: SIM115 -- likewise
    devnull = os.open(os.devnull, os.O_WRONLY)
    started = time.monotonic()
    # the parent prints the replay; the child stays silent, but for its last words
    pid = processes.fork(stdout=devnull, stderr=stderr_file.fileno())
    os.close(devnull)
    if pid == 0:  # the child
        global _IN_CHILD
        _IN_CHILD = True
        _arm_watchdog(time_limit - (time.monotonic() - started), stacks_file.fileno())
        os.close(read_fd)
        return ChildChannel(write_fd, started), None
    os.close(write_fd)
    return None, Child(pid, read_fd, stderr_file, started, time_limit, stacks_file)


def _arm_watchdog(seconds, stacks_fd):
    """In a child: end it after *seconds*, with where its threads were written to *stacks_fd*."""
    # (behave captures sys.stderr step by step in this process: the child's own
    # stream goes straight to its standard error, where the parent reads it)
    sys.stderr = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), errors="backslashreplace", write_through=True
    )
    if _HAS_WATCHDOG:
        # (a descriptor of its own: the file object it came from is not kept in the child)
        faulthandler.dump_traceback_later(max(seconds, 0.001), exit=True, file=os.dup(stacks_fd))
    # a dead man's switch: even an orphaned child whose watchdog cannot run ends soon after its time
    signal.alarm(int(seconds + GRACE) + 1)


def _disarm_watchdog():
    if _HAS_WATCHDOG:
        faulthandler.cancel_dump_traceback_later()


#: (PyPy may lack it: then the parent ends a child at its time limit, as it finds it)
_HAS_WATCHDOG = hasattr(faulthandler, "dump_traceback_later")


class Child:
    """The parent's end: the child's pipe, read until the child has ended.

    Whether the child outlived its time limit (*time_limit* seconds from its
    start) is judged on the child, by its own watchdog: a child that ended,
    however late the parent reads it, is judged on what it reported.  Only a
    child still running :data:`GRACE` seconds past its limit (its watchdog
    could not end it) is killed here.
    """

    def __init__(self, pid, read_fd, stderr_file, started, time_limit, stacks_file=None):
        self.pid, self.read_fd, self.stderr_file = pid, read_fd, stderr_file
        self.started, self.time_limit = started, time_limit
        self.stacks_file = stacks_file
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
        killed = False
        deadline = self.started + self.time_limit + (GRACE if _HAS_WATCHDOG else 0)
        try:
            while True:
                left = deadline - time.monotonic()
                # (past the deadline, still read what is there: an ended child's pipe is at its end)
                ready = select.select([self.read_fd], [], [], max(left, 0))[0]
                if not ready:
                    killed = True
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
            stacks = self._read_stacks()
            report = ChildReport(
                events,
                exit_status,
                killed or bool(stacks),
                last_words(self.stderr_file.read()),
                self.time_limit,
                stacks=where_threads_were(stacks),
            )
            report.wall_time = time.monotonic() - self.started
            return report
        except BaseException:  # (interrupted: a SIGTERM, ^C) -- leave no child behind
            self.kill()
            raise
        finally:
            os.close(self.read_fd)
            self.stderr_file.close()
            if self.stacks_file is not None:
                self.stacks_file.close()

    def _read_stacks(self):
        if self.stacks_file is None:
            return b""
        self.stacks_file.seek(0)
        return self.stacks_file.read()

    def kill(self):
        """End the child at once, if it is still there, and reap it."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


class Watchdog:
    """The time limit of the scenarios run in this process (``-D isolate=off``).

    A scenario run in the run's own process cannot be ended for the run to go
    on: a loop that hangs is this process's loop.  So when a scenario
    outlives its limit, a thread of this watchdog calls *on_timeout()*, which
    records it as timed out and ends the run.  Should that thread never get
    to run (the loop holds the GIL for good), :mod:`faulthandler`'s watchdog
    writes where every thread was to standard error and ends the process
    :data:`GRACE` seconds later.  Armed for a scenario at a time
    (:meth:`arm`, :meth:`disarm`); never armed while the process forks.
    """

    def __init__(self, on_timeout):
        self._on_timeout = on_timeout
        self._changed = threading.Condition()
        self._deadline = None
        thread = threading.Thread(target=self._watch, name="scenario time limit", daemon=True)
        thread.start()

    def arm(self, seconds):
        with self._changed:
            self._deadline = time.monotonic() + seconds
            self._changed.notify()
        if _HAS_WATCHDOG:
            faulthandler.dump_traceback_later(seconds + GRACE, exit=True, file=sys.__stderr__)

    def disarm(self):
        _disarm_watchdog()
        with self._changed:
            self._deadline = None
            self._changed.notify()

    def _watch(self):
        while True:
            with self._changed:
                while self._deadline is None or self._deadline > time.monotonic():
                    left = None if self._deadline is None else self._deadline - time.monotonic()
                    self._changed.wait(left)
                self._deadline = None
            self._on_timeout()


def where_threads_are():
    """:func:`where_threads_were` for this process's other threads, now."""
    with tempfile.TemporaryFile() as dump:
        faulthandler.dump_traceback(file=dump, all_threads=True)
        dump.seek(0)
        return where_threads_were(dump.read())


#: How many threads, and frames of each, a timed-out message shows.
STACK_THREADS, STACK_FRAMES = 3, 4

_FRAME = re.compile(r'^\s*File "(?P<path>.*)", line (?P<line>\d+) in (?P<func>.+)$')


def where_threads_were(dump):
    """faulthandler's dump of every thread, as one line: for each thread (the
    one that was running first), its innermost frames, ``file.py:LINE in
    function`` each, outermost last; "" if there is no dump."""
    threads, frames = [], None
    for line in dump.decode(errors="replace").splitlines():
        if line.startswith("Thread "):
            frames = []
            threads.append(frames)
        elif line.startswith("Current thread "):  # the one that is dumping them: not of interest
            frames = None
        elif frames is not None:
            match = _FRAME.match(line)
            if match and os.path.basename(match["path"]) != "threading.py":
                frames.append(f"{os.path.basename(match['path'])}:{match['line']} in {match['func']}")
    threads = [t for t in reversed(threads) if t]  # (the current thread comes last)
    if not threads:
        return ""
    shown = []
    for number, frames in enumerate(threads[:STACK_THREADS], 1):
        more = f" < ({len(frames) - STACK_FRAMES} more)" if len(frames) > STACK_FRAMES else ""
        shown.append(f"thread {number}: " + " < ".join(frames[:STACK_FRAMES]) + more)
    if len(threads) > STACK_THREADS:
        shown.append(f"and {len(threads) - STACK_THREADS} other thread(s)")
    text = "where its threads were (innermost call first): " + " | ".join(shown)
    return text if len(text) <= LAST_CHARS else text[: LAST_CHARS - 3] + "..."


#: How much of a crashed child's stderr a report keeps.
LAST_LINES, LAST_CHARS = 12, 2000


def last_words(stderr):
    """The end of what a dying process printed, one line; a Rust panic's
    location line (``panicked at src/...rs:L:C``) is kept even when more
    followed it (a backtrace)."""
    lines = _repeats_counted(
        [line.rstrip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    )
    tail = lines[-LAST_LINES:]
    panics = [line for line in lines[:-LAST_LINES] if "panicked at" in line]
    text = " | ".join(panics[-1:] + (["..."] if panics else []) + tail)
    return text if len(text) <= LAST_CHARS else "..." + text[-LAST_CHARS:]


def _repeats_counted(lines):
    """*lines* with each run of one line said once: ``line (x12)``."""
    counted = []
    for line in lines:
        if counted and counted[-1][0] == line:
            counted[-1][1] += 1
        else:
            counted.append([line, 1])
    return [line if n == 1 else f"{line} (x{n})" for line, n in counted]
