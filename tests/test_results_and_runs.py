import json
import sys
from pathlib import Path

from asyncio_server_spec.results import ResultLog, outcomes, read_events, scenario_id
from asyncio_server_spec.spec_run import SpecRun, run_spec

ROOT = Path(__file__).resolve().parents[1]


def test_scenario_id_comes_from_the_id_tag():
    assert scenario_id(["slow", "id:closing.close-twice"]) == "closing.close-twice"
    assert scenario_id(["slow"]) is None


def test_a_started_scenario_that_never_ended_counts_as_crashed(tmp_path):
    log = ResultLog(str(tmp_path / "r.jsonl"))
    log.started("a", "A")
    log.ended("a", "passed")
    log.started("b", "B")
    with open(log.path, "a") as out:
        out.write('{"event": "end", "id"')  # torn by a dying process
    events = read_events(log.path)
    assert [e["event"] for e in events] == ["start", "end", "start"]
    assert outcomes(events) == {"a": "passed", "b": "crashed"}


def test_a_missing_results_file_has_no_events(tmp_path):
    assert read_events(str(tmp_path / "none.jsonl")) == []


def test_spec_run_sorts_outcomes():
    events = [{"event": "end", "id": i, "status": s}
              for i, s in [("p", "passed"), ("f", "failed"), ("e", "error")]]
    events.append({"event": "start", "id": "c"})
    run = SpecRun(1, "", events)
    assert run.passed == {"p"}
    assert run.failed == {"f", "e", "c"}


def test_run_spec_reports_every_scenario_of_one_feature():
    run = run_spec(["features/context_manager.feature"], cwd=str(ROOT), timeout=60)
    assert run.returncode == 0, run.output
    assert "async-with.exit-closes" in run.passed


def test_run_spec_kills_a_run_that_outlives_its_timeout():
    run = run_spec(["--dry-run"], cwd=str(ROOT), timeout=0.001)
    assert run.returncode == -9
    assert "killed after 0.001 s" in run.output


def test_bad_loop_name_stops_behave_before_any_scenario():
    run = run_spec(["-D", "loop=tokio"], cwd=str(ROOT), timeout=60)
    assert run.returncode != 0
    assert run.events == []
    lines = [line for line in run.output.splitlines() if "tokio" in line]
    assert lines == [
        "asyncio-server-spec: unknown loop 'tokio'; accepted: asyncio, uvloop, rloop "
        "or package.module:factory"
    ]
    assert "Traceback" not in run.output
