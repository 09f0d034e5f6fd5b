"""Forked children: their output in a file, their exit status, and how they
ended in words."""

import os
import signal

import pytest

from asyncio_server_spec.harness import loops, processes


def _ended(work, output):
    _, status = os.waitpid(processes.start(work, str(output)), 0)
    return processes.returncode(status), output.read_text()


def test_a_child_exits_with_the_status_its_work_returns_its_output_in_the_file(tmp_path):
    def work():
        print("to stdout")
        os.write(2, b"to stderr\n")
        return 3

    code, text = _ended(work, tmp_path / "out")
    assert code == 3
    assert "to stdout" in text and "to stderr" in text


def test_a_child_whose_work_raises_exits_70_with_the_traceback(tmp_path):
    def work():
        raise RuntimeError("boom")

    code, text = _ended(work, tmp_path / "out")
    assert code == processes.FAILED == 70
    assert "Traceback" in text and "RuntimeError: boom" in text


def test_a_child_that_exits_keeps_its_code(tmp_path):
    def work():
        raise SystemExit(4)

    assert _ended(work, tmp_path / "out")[0] == 4

    def words():
        raise SystemExit("a message is status 1")

    assert _ended(words, tmp_path / "out")[0] == 1
    assert _ended(lambda: None, tmp_path / "out")[0] == 0  # as sys.exit() says it


@pytest.mark.parametrize(
    "status, code, words",
    [
        (3 << 8, 3, "exited with status 3"),
        (0, 0, "exited with status 0"),
        (signal.SIGABRT, -signal.SIGABRT, "was killed by SIGABRT"),
        (77, -77, "was killed by signal 77"),
    ],
)
def test_an_exit_status_as_a_returncode_and_in_words(status, code, words):
    assert processes.returncode(status) == code
    assert processes.describe(status) == words


def test_a_loop_check_whose_process_dies_says_how():
    with pytest.raises(loops.LoopSelectionError) as info:
        loops._in_child("x", lambda: os._exit(3))
    assert str(info.value) == "loop 'x': the process that made a first loop exited with status 3"
    with pytest.raises(loops.LoopSelectionError) as info:
        loops._in_child("x", lambda: os.kill(os.getpid(), signal.SIGKILL))
    assert str(info.value) == "loop 'x': the process that made a first loop was killed by SIGKILL"
