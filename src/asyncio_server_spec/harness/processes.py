"""Forked processes: starting a child, sending its output to a file, and
reading how it ended.

Every process the harness forks starts here: a scenario's child
(:mod:`.isolation`), a loop checked in a child (:mod:`.loops`) and the shards
of ``run --jobs`` (:mod:`.parallel`).  Forking keeps what the parent has
imported -- behave, the harness, the parsed spec -- so a child costs what
its work costs, not a Python start-up.
"""

import os
import select
import signal
import sys
import time

#: The exit status of a child whose work raised (BSD's EX_SOFTWARE).
FAILED = 70


def fork(stdout=None, stderr=None):
    """Fork: return the child's pid in the parent, 0 in the child.

    In the child, standard output and error go to the file descriptors
    *stdout* and *stderr* (None: where the parent's go).  What this process
    has buffered is written out first, so that the child cannot write it a
    second time.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _die_with_parent()
        _send_output(stdout, stderr)
    return pid


def _die_with_parent():
    """On Linux, have the kernel end this (just forked) child should its
    parent die first -- killed before it could end its children, say -- so
    that no process of a run outlives it.  Elsewhere nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no C library to ask: the children's own time limits remain
        pass


def start(work, output=None):
    """Fork a child that runs *work()* and exits with the status it returns,
    or the ``SystemExit`` it raises, as Python's own exit does (None: 0, a
    number: that number, anything else: 1) -- or with :data:`FAILED` and the
    traceback on its standard error if it raises anything else; return its
    pid.  The child never returns.

    With *output*, the child's standard output and error go to that file
    (created, or emptied), from its first line on.
    """
    pid = fork()
    if pid == 0:
        _run_and_exit(work, output)
    return pid


# (The child's code runs in functions called after the fork, in frames of
# their own: coverage measures a forked child from its new frames on.)
def _send_output(stdout, stderr):
    for fd, standard in ((stdout, 1), (stderr, 2)):
        if fd is not None:
            os.dup2(fd, standard)


def _run_and_exit(work, output):
    status = FAILED
    try:
        if output is not None:
            fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            _send_output(fd, fd)
            os.close(fd)
            # (whatever stood in for them -- a test's capture -- stays with the parent)
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        status = _exit_status(work())
    except SystemExit as exc:
        status = _exit_status(exc.code)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


def _exit_status(code):
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def returncode(status):
    """``subprocess``'s returncode for an :func:`os.waitpid` status (negative:
    killed by that signal)."""
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def describe(status):
    """How a process ended, in words, from its :func:`os.waitpid` status:
    ``was killed by SIGABRT`` (``by signal 77`` for a number without a
    name) or ``exited with status 3``."""
    code = returncode(status)
    if code >= 0:
        return f"exited with status {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    return f"was killed by {name}"


def end_on_sigterm(first=None):
    """Make SIGTERM end this process as ``sys.exit(143)`` would -- unwinding,
    so that its ``finally`` clauses and exit handlers clean up (its temp
    dirs, its children) -- instead of at once; *first()*, if given, is called
    before.  A child forked later, which inherits it, ends at once with
    status 143.  (Main thread only.)  Returns the handler it replaced."""
    owner = os.getpid()

    def terminated(signum, frame):
        if os.getpid() != owner:
            os._exit(128 + signum)
        signal.signal(signum, signal.SIG_DFL)  # a second SIGTERM ends it at once
        if first is not None:
            first()
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, terminated)


def end(pids, grace=5.0):
    """End the child processes *pids*: SIGTERM, then, for any still there
    after *grace* seconds, SIGKILL; reap them all."""
    for pid in pids:
        _signal(pid, signal.SIGTERM)
    for pid in pids:
        if not _ended_within(pid, grace):
            _signal(pid, signal.SIGKILL)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _ended_within(pid, seconds):
    if not hasattr(os, "pidfd_open"):  # (PyPy 3.9, not Linux): look at it now and then
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return True
            except ChildProcessError:
                return True
            time.sleep(0.01)
        return False
    try:
        fd = os.pidfd_open(pid)
    except OSError:  # already reaped, or no pidfd here
        return False
    try:
        return bool(select.select([fd], [], [], seconds)[0])
    finally:
        os.close(fd)
