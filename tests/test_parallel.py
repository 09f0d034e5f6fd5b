"""``run --jobs N`` gives the same verdicts as a run in one process."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .unmeasured import unmeasured

ROOT = Path(__file__).resolve().parents[1]


messages = {}


#: The load feature at a tenth of its size: how many clients it takes does
#: not change how a run is shared out.
LOAD = ["-D", "load_clients=100"]


def _start(loop, jobs, tmp_path):
    results = tmp_path / f"{loop.replace(':', '_')}-{jobs}.jsonl"
    # coverage measures the sharded asyncio run; the others repeat what it and tox's runs cover
    measured = loop == "asyncio" and jobs > 1
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "asyncio_server_spec",
            "run",
            "--loop",
            loop,
            "--jobs",
            str(jobs),
            "--results",
            str(results),
            "--",
            "--format",
            "progress",
            *LOAD,
        ],
        cwd=str(ROOT),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=None if measured else unmeasured(),
    )
    return proc, results, jobs


def _verdicts(started):
    proc, results, jobs = started
    proc.stdout_text = proc.communicate(timeout=300)[0]
    records = [json.loads(line) for line in results.read_text().splitlines()]
    header = records[0]
    # what was decided and where: the same whichever process ran it (messages may quote timings)
    verdicts = {
        r["id"]: (r["verdict"], r["status"], r.get("step")) for r in records if r.get("record") == "scenario"
    }
    messages.update({(r["id"], jobs): r.get("message") for r in records if r.get("record") == "scenario"})
    return proc, header, verdicts


@pytest.mark.slow
@pytest.mark.parametrize(
    "loop",
    [
        "asyncio",
        "uvloop",
        "rloop",
        "tests.deviants.lifecycle:close_keeps_listening",
        "tests.deviants.crashing:aborts_in_start_serving",
        # fails a scenario that waits on purpose: a shard runs it beside the others
        "tests.deviants.tls:handshake_timeout_cut_short",
    ],
)
def test_four_jobs_give_the_verdicts_of_one(loop, tmp_path):
    if ":" not in loop and importlib.util.find_spec(loop) is None:
        pytest.skip(f"{loop} does not install on this Python")
    # side by side: the runs are independent (each listens on its own addresses)
    started = [_start(loop, 1, tmp_path), _start(loop, 4, tmp_path)]
    (one, _, alone), (four, header_four, shared) = map(_verdicts, started)
    assert alone == shared, {
        k: (alone.get(k), shared.get(k), messages.get((k, 1)), messages.get((k, 4)))
        for k in set(alone) | set(shared)
        if alone.get(k) != shared.get(k)
    }
    assert len(alone) >= 100
    assert one.returncode == four.returncode, four.stdout_text[-2000:]
    assert header_four["jobs"] == 4 and header_four["ended"]


def test_each_scenario_is_claimed_by_exactly_one_shard(tmp_path):
    from types import SimpleNamespace

    from asyncio_server_spec.harness.conformance import ConformanceRun

    shards = []
    for _ in range(3):
        run = ConformanceRun(str(ROOT))
        run.claims = str(tmp_path)
        shards.append(run)
    scenarios = [
        SimpleNamespace(filename=f"features/{name}.feature", line=line)
        for name in ("a", "b")
        for line in (3, 9, 27)
    ]
    claimed = [[run.claim(s) for run in shards] for s in scenarios]
    assert all(row.count(True) == 1 for row in claimed), claimed
    assert [row.index(True) for row in claimed] == [0] * len(scenarios)  # the first shard to ask
    alone = ConformanceRun(str(ROOT))
    alone.claims = None
    assert all(alone.claim(s) for s in scenarios)  # a run that is not a shard runs everything


@pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs a system that pins threads, with two CPUs or more",
)
@pytest.mark.parametrize("number", [0, 1, 2])
def test_a_shard_keeps_to_one_cpu_round_robin(number):
    from asyncio_server_spec.harness.parallel import _keep_to_one_cpu

    cpus = sorted(os.sched_getaffinity(0))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pin a child, not the test process
        try:
            _keep_to_one_cpu(number)
            os.write(write, json.dumps(sorted(os.sched_getaffinity(0))).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        pinned = json.loads(answer.read())
    os.waitpid(pid, 0)
    assert pinned == [cpus[number % len(cpus)]]
    assert sorted(os.sched_getaffinity(0)) == cpus  # this process is left alone


def test_shard_scratch_is_in_memory_where_there_is_such_a_file_system(monkeypatch):
    from asyncio_server_spec.harness import parallel

    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK | os.X_OK):
        assert parallel._in_memory_dir() == "/dev/shm"
    monkeypatch.setattr(parallel.os.path, "isdir", lambda path: False)
    assert parallel._in_memory_dir() is None  # elsewhere: the temp dir


def test_without_a_results_log_the_merged_verdict_is_only_printed():
    import io

    from asyncio_server_spec.harness.parallel import _report
    from asyncio_server_spec.harness.verdicts import Outcome

    header = {
        "loop": {"name": "asyncio", "version": None},
        "python": {"implementation": "cpython", "version": "3.11.7"},
        "started": "2026-11-27T14:00:00+00:00",
        "isolate": False,
    }
    records = [
        Outcome("a.one", "a.feature", "one", "passed", "pass").record(),
        Outcome(
            "a.two", "a.feature", "two", "failed", "unexpected-failure", message="expected x, observed y"
        ).record(),
    ]
    out = io.StringIO()
    assert _report([header, None], records, None, 2, 0.4, out) == 1
    text = out.getvalue()
    assert "loop=asyncio, cpython 3.11.7" in text and "2 jobs" in text
    assert "2 scenarios in 0.4 s" in text and "1 unexpected failure(s)" in text


def test_jobs_default_to_the_cpus_this_process_may_use(monkeypatch):
    from asyncio_server_spec.harness import parallel

    if hasattr(os, "sched_getaffinity"):
        assert parallel.usable_cpus() == len(os.sched_getaffinity(0))
    monkeypatch.delattr(parallel.os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 6)
    assert parallel.usable_cpus() == 6
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: None)  # "cannot tell"
    assert parallel.usable_cpus() == 1


def test_shards_take_the_features_that_wait_first_then_the_longest(tmp_path):
    from asyncio_server_spec.harness.parallel import heaviest_first

    features = {
        "plain.feature": "Feature: a\n  Scenario: s\n    Then a client can connect\n",
        "load.feature": "Feature: b\n  @long\n  Scenario: s\n    When many connect\n"
        "  @long\n  Scenario: t\n    When many more connect\n",
        "one_long.feature": "Feature: c\n  @long\n  Scenario: s\n    When many connect\n",
        "waits.feature": "Feature: d\n  Scenario: s\n    Given a timeout of 0.2 seconds\n"
        "    Then it ends, not before 0.2 seconds have passed\n",
        "timeout_named.feature": "Feature: e\n  Scenario: s\n    When called with a timeout of 0.1 seconds\n",
    }
    for name, text in features.items():
        (tmp_path / name).write_text(text)
    order = [os.path.basename(path) for path in heaviest_first(str(tmp_path))]
    assert order[:3] == ["waits.feature", "load.feature", "one_long.feature"]
    assert sorted(order[3:]) == ["plain.feature", "timeout_named.feature"]
