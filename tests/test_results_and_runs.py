import json
from pathlib import Path

import pytest

from asyncio_server_spec.features import scenario_id
from asyncio_server_spec.harness.results import LogError, ResultLog, read_log

from .spec_runs import SpecRun, run_spec

ROOT = Path(__file__).resolve().parents[1]


def test_scenario_id_comes_from_the_id_tag():
    assert scenario_id(["slow", "id:closing.close-twice"]) == "closing.close-twice"
    assert scenario_id(["slow"]) is None


def _scenario(log, sid, verdict, status="passed"):
    log.scenario(
        id=sid,
        feature="f.feature",
        name=sid,
        status=status,
        verdict=verdict,
        expectation=None,
        message=None,
        step=None,
        duration=0.01,
    )


def test_the_log_says_what_ran_and_is_readable_when_cut_short(tmp_path):
    path = str(tmp_path / "r.jsonl")
    log = ResultLog(path, {"loop": {"name": "asyncio"}})
    log.started("a")
    _scenario(log, "a", "pass")
    log.started("b")
    with open(path, "a") as out:
        out.write('{"record": "scenario", "id"')  # torn by a dying process
    log = read_log(path)
    assert log.header["schema"] == 1 and log.header["loop"] == {"name": "asyncio"}
    assert log.header["ended"] is None and log.end is None  # cut short
    assert [s["id"] for s in log.scenarios] == ["a"]
    assert log.running == "b" and log.torn


def test_a_finished_log_has_its_end_time_in_the_header(tmp_path):
    path = str(tmp_path / "r.jsonl")
    log = ResultLog(path, {})
    _scenario(log, "a", "pass")
    _scenario(log, "b", "not-applicable", "not-applicable")
    log.close()
    log = read_log(path)
    assert log.header["ended"] == log.end["ended"] and log.running is None and not log.torn
    assert log.end["counts"] == {"pass": 1, "not-applicable": 1}
    assert len(log.scenarios) == 2
    with open(path) as lines:
        assert all(json.loads(line) for line in lines)


def test_a_missing_results_file_has_nothing_when_that_may_be(tmp_path):
    log = read_log(str(tmp_path / "none.jsonl"), missing_ok=True)
    assert (log.header, log.scenarios, log.end, log.running, log.torn) == (None, [], None, None, False)
    with pytest.raises(LogError, match=r"none\.jsonl: No such file"):
        read_log(str(tmp_path / "none.jsonl"))


def test_spec_run_sorts_verdicts():
    records = [
        {"id": i, "status": s, "verdict": v}
        for i, s, v in [
            ("p", "passed", "pass"),
            ("f", "diverged", "unexpected-failure"),
            ("x", "diverged", "expected-failure"),
            ("h", "harness-error", "harness-error"),
            ("u", "passed", "unexpected-pass"),
        ]
    ]
    run = SpecRun(1, "", {}, records, running="c")
    assert run.passed == {"p"}
    assert run.failed == {"f", "h", "u", "c"}
    assert run.outcomes["c"] == "crashed"


def test_run_spec_reports_every_scenario_of_one_feature():
    run = run_spec(["features/context_manager.feature"], cwd=str(ROOT), timeout=60)
    assert run.returncode == 0, run.output
    assert "async-with.exit-closes" in run.passed


def test_run_spec_kills_a_run_that_outlives_its_timeout():
    run = run_spec(["--dry-run"], cwd=str(ROOT), timeout=0.001)
    assert run.returncode == -9
    assert "killed after 0.001 s" in run.output


def test_bad_loop_name_stops_behave_before_any_scenario():
    run = run_spec(["-D", "loop=nonesuch"], cwd=str(ROOT), timeout=60)
    assert run.returncode != 0
    assert run.records == {} and run.header is None
    lines = [line for line in run.output.splitlines() if "nonesuch" in line]
    assert lines == [
        "asyncio-server-spec: unknown loop 'nonesuch'; accepted: asyncio, uvloop, rloop, "
        "a loop of the registry (loops.toml) or package.module:factory"
    ]
    assert "Traceback" not in run.output


@pytest.mark.parametrize(
    "option, words",
    [
        ("load_clients=x", "load_clients='x' is not accepted; give a whole number of clients"),
        ("load_clients=100000000", "load_clients=100000000 needs about"),
        ("isolate=maybe", "isolate='maybe' is not accepted; use isolate=on or isolate=off"),
        ("time_limit=-1", "time_limit='-1' is not accepted; give a positive number of seconds"),
    ],
)
def test_a_bad_option_stops_behave_in_one_line(option, words):
    run = run_spec(["-D", option, "features/load.feature"], cwd=str(ROOT), timeout=60)
    assert run.returncode == 2, run.output
    lines = [line for line in run.output.splitlines() if line.startswith("asyncio-server-spec:")]
    assert len(lines) == 1 and words in lines[0], run.output
    assert "Traceback" not in run.output and run.records == {}


def test_the_header_names_the_specs_commit_read_from_git(tmp_path):
    from asyncio_server_spec.harness.results import run_header, spec_commit

    assert spec_commit(str(tmp_path)) is None  # not a checkout
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text("a" * 40 + "\n")
    header = run_header(str(tmp_path), {"name": "asyncio"}, None, False, 2, "py311")
    assert header["spec"]["commit"] == "a" * 40
    assert (header["loop"], header["jobs"], header["label"]) == ({"name": "asyncio"}, 2, "py311")
    (git / "HEAD").write_text("b" * 40 + "\n")  # a detached head
    assert spec_commit(str(tmp_path)) == "b" * 40
