"""``run --jobs N`` gives the same verdicts as a run in one process."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from asyncio_server_spec.harness import parallel

ROOT = Path(__file__).resolve().parents[1]


messages = {}


def _verdicts(loop, jobs, tmp_path):
    results = tmp_path / f"{loop.replace(':', '_')}-{jobs}.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "asyncio_server_spec", "run", "--loop", loop, "--jobs", str(jobs),
         "--results", str(results), "--", "--format", "progress"],
        cwd=str(ROOT), capture_output=True, text=True, timeout=300, check=False)
    records = [json.loads(line) for line in results.read_text().splitlines()]
    header = records[0]
    verdicts = {r["id"]: r["verdict"] for r in records if r.get("record") == "scenario"}
    messages.update({(r["id"], jobs): r.get("message") for r in records
                     if r.get("record") == "scenario"})
    return proc, header, verdicts


@pytest.mark.slow
@pytest.mark.parametrize("loop", [
    "asyncio", "uvloop", "rloop",
    "tests.deviants.lifecycle:close_keeps_listening",
    "tests.deviants.crashing:aborts_in_start_serving",
])
def test_four_jobs_give_the_verdicts_of_one(loop, tmp_path):
    if ":" not in loop and importlib.util.find_spec(loop) is None:
        pytest.skip(f"{loop} does not install on this Python")
    one, _, alone = _verdicts(loop, 1, tmp_path)
    four, header_four, shared = _verdicts(loop, 4, tmp_path)
    assert alone == shared, {k: (alone.get(k), shared.get(k), messages.get((k, 1)),
                                 messages.get((k, 4)))
                             for k in set(alone) | set(shared) if alone.get(k) != shared.get(k)}
    assert len(alone) >= 100
    assert one.returncode == four.returncode, four.stdout[-2000:]
    assert header_four["jobs"] == 4 and header_four["ended"]


def test_scenarios_are_dealt_round_robin_into_non_empty_shards():
    assert parallel.deal(list(range(7)), 3) == [[0, 3, 6], [1, 4], [2, 5]]
    assert parallel.deal([1], 4) == [[1]]


def test_every_scenario_gets_a_location_and_user_paths_are_kept():
    found = parallel.locations([str(ROOT / "features" / "closing.feature"), "x.feature:12"])
    assert found[-1] == "x.feature:12"
    assert all(":" in location for location in found) and len(found) > 5


def test_paths_are_told_apart_from_options():
    rest, paths = parallel.without_paths(["--tags", "id:a", "closing.feature", "-D", "x=y"])
    assert paths == ["closing.feature"] and rest == ["--tags", "id:a", "-D", "x=y"]
