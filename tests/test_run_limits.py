"""A run's processes and time limits: a scenario's time is judged on the
process that ran it (never on when another process got round to reading
it), a timeout says why, a run in one process is bounded too, and a run
that lost scenarios says so."""

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from asyncio_server_spec import cli
from asyncio_server_spec.harness import isolation

from .spec_runs import run_spec
from .unmeasured import unmeasured

ROOT = Path(__file__).resolve().parents[1]
TRAPS = "tests.loop_traps."


def _start_run(loop, jobs, results, *behave_args, tmp=None, env=None):
    env = dict(unmeasured(), **(env or {}))
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "asyncio_server_spec",
            "run",
            "--loop",
            loop,
            "--expectations",
            "off",
            "--jobs",
            str(jobs),
            "--results",
            str(results),
            "--",
            *behave_args,
        ],
        cwd=str(ROOT),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )


def _finish(proc, timeout=120):
    try:
        return proc.communicate(timeout=timeout)[0]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise


def _records(path):
    lines = [json.loads(line) for line in Path(path).read_text().splitlines()]
    return lines[0], {r["id"]: r for r in lines if r.get("record") == "scenario"}


# -- 1. a child's time is its own ---------------------------------------------------------------
def test_a_child_that_ended_is_judged_on_its_report_however_late_it_is_read():
    channel, child = isolation.start_child(time_limit=0.5)
    if channel is not None:  # the child: done at once
        channel.step("passed", None, None, 0.01)
        channel.end([])
        os._exit(0)
    deadline = time.monotonic() + 10
    while not child.ended() and time.monotonic() < deadline:  # until it has closed its pipe
        select.select([child.read_fd], [], [], 1)
    child.started -= 60  # its parent reads it a minute past its time limit
    report = child.collect()
    assert report.finished and not report.hung
    assert report.steps[0]["status"] == "passed"


def test_a_hung_child_ends_itself_at_its_limit_saying_what_it_said_and_where_it_was():
    channel, child = isolation.start_child(time_limit=0.3)
    if channel is not None:  # the child: says something through sys.stderr, then hangs
        print("no free submission slot", file=sys.stderr)

        def stuck_in_the_accept_path():
            signal.pause()

        stuck_in_the_accept_path()
        os._exit(0)
    started = time.monotonic()
    report = child.collect()
    assert time.monotonic() - started < isolation.GRACE  # its own watchdog ended it
    assert report.hung and not report.finished
    death = report.death()
    assert death.startswith(
        "expected the scenario to finish within 0.3 s; it did not, and its process was killed"
    )
    assert "its last words: no free submission slot" in death
    assert "test_run_limits.py:" in death and "in stuck_in_the_accept_path" in death
    assert "\n" not in death and len(death) < 2 * isolation.LAST_CHARS


def test_where_threads_were_is_one_bounded_line_innermost_first():
    dump = (
        "Timeout (0:00:01)!\n"
        "Thread 0x01 (most recent call first):\n"
        '  File "/usr/lib/python3/threading.py", line 327 in wait\n'
        '  File "/x/client.py", line 9 in serve\n\n'
        "Thread 0x02 (most recent call first):\n"
        + "".join(f'  File "/x/loop.py", line {n} in f{n}\n' for n in range(10))
    ).encode()
    text = isolation.where_threads_were(dump)
    assert text == (
        "where its threads were (innermost call first): "
        "thread 1: loop.py:0 in f0 < loop.py:1 in f1 < loop.py:2 in f2 < loop.py:3 in f3 < (6 more) | "
        "thread 2: client.py:9 in serve"
    )
    assert isolation.where_threads_were(b"") == ""


@pytest.mark.slow  # (about 9 s: two runs of three features)
def test_a_busy_shard_gives_the_verdicts_of_one_process(tmp_path):
    """The slow-accept loop keeps a shard busy with a load for longer than the
    time limit while the TLS timeout scenarios run beside it: they finished in
    time and must not come out timed-out."""
    args = ["-D", "time_limit=2", "-D", "load_clients=250"]
    features = ["features/tls.feature", "features/tls_upgrade.feature", "features/load.feature"]
    runs = {
        jobs: _start_run(
            TRAPS + "slow_accept:slow_accept", jobs, tmp_path / f"{jobs}.jsonl", *args, *features
        )
        for jobs in (1, 2)
    }
    outputs = {jobs: _finish(proc) for jobs, proc in runs.items()}
    verdicts = {}
    for jobs in (1, 2):
        _, records = _records(tmp_path / f"{jobs}.jsonl")
        verdicts[jobs] = {sid: (r["status"], r["verdict"]) for sid, r in records.items()}
        timed_out = [sid for sid, (status, _) in verdicts[jobs].items() if status == "timed-out"]
        assert not timed_out, outputs[jobs]
    assert "load.clients-one-after-another" in verdicts[2]
    assert verdicts[1] == verdicts[2]
    assert runs[2].returncode == runs[1].returncode == 0, outputs


# -- 4. a timeout says why ---------------------------------------------------------------------
HANGS = ["-D", f"loop={TRAPS}hangs_with_words:hangs_with_words", "-D", "time_limit=1"]
#: the first scenario of tls.feature: the trap hangs when asked for its TLS server
FIRST_TLS = "tls.start_server-echoes-trusting-client"


def test_a_timeout_quotes_the_loops_last_words_and_where_it_hung():
    run = run_spec([*HANGS, f"--tags=id:{FIRST_TLS}", "features/tls.feature"], cwd=str(ROOT), timeout=60)
    record = run.records[FIRST_TLS]
    assert record["status"] == "timed-out", run.output
    assert "its last words: hangs_with_words: no free submission slot for the listener" in record["message"]
    assert "hangs_with_words.py:" in record["message"] and "in create_server" in record["message"]


# -- 8. a run in one process is bounded too; SIGTERM cleans up -----------------------------------
def test_a_scenario_that_hangs_in_the_runs_own_process_stops_the_run_with_its_verdict(tmp_path):
    env = dict(unmeasured(), TMPDIR=str(tmp_path))
    run = run_spec([*HANGS, "-D", "isolate=off", "features/tls.feature"], cwd=str(ROOT), timeout=60, env=env)
    assert run.returncode == 1, run.output
    record = run.records[FIRST_TLS]  # recorded, with where it hung
    assert (
        record["status"] == "timed-out" and record["step"] == "Given a TLS server started with start_server"
    )
    assert "the run stopped there" in record["message"] and "in create_server" in record["message"]
    assert f"the run stopped: scenario {FIRST_TLS} outlived its time limit of 1 s" in run.output
    assert "Verdict:" in run.output  # the summary, for what ran
    assert run.header["ended"] is None  # the log says the run was cut short
    assert list(tmp_path.iterdir()) == []  # its scratch dir went with it


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_ends_the_run_and_leaves_no_temp_dir_and_no_process(jobs, tmp_path):
    fifo = tmp_path / "hanging"
    os.mkfifo(fifo)
    told = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    (tmp_path / "t").mkdir()
    # the loop hangs for a minute in its first TLS scenario, after saying so into the FIFO
    proc = _start_run(
        TRAPS + "hangs_with_words:hangs_with_words",
        jobs,
        tmp_path / "r.jsonl",
        "-D",
        "time_limit=60",
        "-D",
        "isolate=off",
        "features/tls.feature",
        tmp=tmp_path / "t",
        env={"HANGS_WITH_WORDS_FIFO": str(fifo)},
    )
    try:
        assert select.select([told], [], [], 60)[0], "the loop never got to hang"
        said = os.read(told, 100).splitlines()  # (with two jobs, both may hang by now)
        assert said and set(said) == {b"hanging"}, said
        os.kill(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=30)
    finally:
        os.close(told)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 128 + signal.SIGTERM
    assert list((tmp_path / "t").iterdir()) == []  # no ass-run-* left
    assert not list(Path("/dev/shm").glob(f"spec-jobs-{proc.pid}-*"))  # nor spec-jobs-*
    with pytest.raises(ProcessLookupError):  # nor any process of its group
        os.killpg(proc.pid, 0)


# -- 8. bad input, before the run --------------------------------------------------------------
def test_a_comma_separated_tag_list_is_one_line_and_says_what_to_write(capsys):
    assert cli.main(["run", "--jobs", "1", "--tags=id:serving.serves-by-default,id:server.get-loop"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1, captured.err
    assert "is not a tag expression behave accepts" in captured.err
    assert "--tags='id:a or id:b'" in captured.err


@pytest.mark.parametrize(
    "option, path, words",
    [
        ("--results", "/proc/x.jsonl", "cannot write the results log /proc/x.jsonl: "),
        ("--report", "/proc/x", "cannot write the results site into /proc/x: "),
        ("--results", "DIR", "it is a directory; give a file"),
    ],
)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unwritable_results_path_is_refused_before_the_run(option, path, words, jobs, tmp_path, capsys):
    path = str(tmp_path) if path == "DIR" else path
    assert cli.main(["run", "--jobs", jobs, option, path, "--tags=id:serving.serves-by-default"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1, captured.err
    assert words in captured.err


# -- 10. a run that lost scenarios says so ---------------------------------------------------------
def test_a_shard_that_dies_leaves_its_scenarios_not_run_and_the_run_incomplete(tmp_path):
    from asyncio_server_spec.harness.behave_run import planned
    from asyncio_server_spec.report import build_site

    features = ["features/serving.feature", "features/tls.feature"]
    results = tmp_path / "r.jsonl"
    proc = _start_run(TRAPS + "segfault_shard:segfault_shard", 2, results, "-D", "isolate=off", *features)
    output = _finish(proc)
    assert proc.returncode == 1, output
    header, records = _records(results)
    crashed = {sid for sid, r in records.items() if r["status"] == "crashed"}
    assert crashed and all(sid.startswith("tls.") for sid in crashed), output
    for sid in crashed:  # what is known: the shard died while running it, and how
        message = records[sid]["message"]
        assert "died while running it: it was killed by SIGSEGV" in message
        assert "its last words: segfault_shard: dereferenced a dangling listener" in message
    # every scenario behave selected is either recorded or listed as not run
    selected = [sid for sid, _, _ in planned(features)]
    assert header["not_run"] and set(header["not_run"]).isdisjoint(records)
    assert sorted(header["not_run"] + list(records)) == sorted(selected)
    assert f"NOT RUN: {len(header['not_run'])} scenario(s) did not run" in output
    build_site(str(tmp_path / "site"), [str(results)], str(ROOT / "features"))
    runs = (tmp_path / "site" / "runs.html").read_text()
    assert f"incomplete: {len(header['not_run'])} not run" in runs and ">complete<" not in runs


def test_a_loop_made_in_a_wrapper_module_is_recorded_with_its_package(tmp_path, monkeypatch):
    from asyncio_server_spec.harness import loops

    uvloop = pytest.importorskip("uvloop")
    (tmp_path / "mywrap.py").write_text(
        "import uvloop\n\ndef new_loop():\n    return uvloop.new_event_loop()\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    factory = loops.loop_factory("mywrap:new_loop")
    described = loops.describe("mywrap:new_loop", loops.check_factory_in_child("mywrap:new_loop", factory))
    assert described["package"] == "uvloop" and described["version"] == uvloop.__version__
    assert (
        loops.describe("asyncio", loops.check_factory("asyncio", loops.loop_factory("asyncio")))["version"]
        is None
    )
