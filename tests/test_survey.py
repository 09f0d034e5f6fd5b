"""The loop registry (loops.toml), the survey that runs every registered loop,
and expectation files drafted from raw runs."""

import asyncio
import json
import os
import shutil
import stat
import subprocess
import sys

import pytest

from asyncio_server_spec import cli, survey
from asyncio_server_spec.harness import loops, registry
from asyncio_server_spec.harness.expectations import load as load_expectations
from asyncio_server_spec.harness.results import read_log
from asyncio_server_spec.report import build_site, drafts
from asyncio_server_spec.report.logs import read_logs
from asyncio_server_spec.report.spec import read_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEATURES = os.path.join(ROOT, "features")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "results")
ENTRY = """
[[loop]]
name = "{name}"
package = "{package}"
version = "1.0"
factory = "{factory}"
pythons = {pythons}
tracker = "https://example.org/{name}/issues"
released = "2026-01"
{more}
"""


def _registry(tmp_path, *entries):
    path = tmp_path / "loops.toml"
    path.write_text("".join(entries))
    return str(path)


def _entry(name="plain", package=None, factory="asyncio:new_event_loop", pythons='["3.11"]', more=""):
    return ENTRY.format(name=name, package=package or name, factory=factory, pythons=pythons, more=more)


# -- the registry ---------------------------------------------------------------------
def test_the_shipped_registry_loads_and_every_entry_says_where_it_runs_or_why_not():
    entries = registry.load()
    names = [entry.name for entry in entries]
    assert {"uvloop", "rloop", "veloxloop", "trio-asyncio", "gbulb", "winloop"} <= set(names)
    for entry in entries:
        assert entry.tracker.startswith("https://"), entry
        assert entry.runnable == (not entry.skip)
        if entry.runnable:
            assert entry.pythons, entry
        if entry.system_site_packages:
            assert entry.debian, f"{entry.name}: seen from Debian's Python, but no Debian package named"


def test_a_results_header_names_the_module_of_a_registered_loop_not_its_name():
    """A registry name is no module name ("trio-asyncio"): the header records the factory's module."""
    hyphenated = [entry for entry in registry.load() if "-" in entry.name]
    assert hyphenated  # trio-asyncio, async-solipsism, ...
    for entry in registry.load():
        assert loops.describe(entry.name)["module"] == entry.module, entry.name
    assert loops.describe("trio-asyncio")["module"] == "trio_asyncio._sync"
    assert loops.describe("uvloop")["module"] == "uvloop"
    assert loops.describe("pkg.mod:factory")["module"] == "pkg.mod"


def test_the_registry_is_shipped_beside_the_spec():
    assert registry.default_path() == os.path.join(ROOT, "loops.toml")
    with open(os.path.join(ROOT, "hatch_build.py")) as hook:
        assert '"loops.toml"' in hook.read()


@pytest.mark.parametrize(
    "text, message",
    [
        (_entry(factory="nocolon"), "factory = 'nocolon' is not package.module:callable"),
        (_entry(pythons='["3.x"]'), 'pythons must be a list of versions such as ["3.12", "3.13"]'),
        (_entry(pythons="[]"), "pythons is empty; give the versions it installs on, or a skip reason"),
        (_entry(more='colour = "red"'), "unknown field(s) colour; accepted:"),
        (_entry() + _entry(), "the name 'plain' is registered twice"),
        (_entry().replace('tracker = "https://example.org/plain/issues"', ""), "'tracker' is required"),
        (_entry(more="system_site_packages = 1"), "system_site_packages must be true or false"),
        ("[[loop]\n", "is not valid TOML"),
        ("[other]\n", "only [[loop]] tables are accepted"),
    ],
)
def test_a_malformed_registry_is_refused_in_one_line(tmp_path, text, message):
    with pytest.raises(registry.RegistryError) as caught:
        registry.load(_registry(tmp_path, text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_maintained_means_released_within_two_years():
    entry = registry.Entry(_fields())
    assert entry.maintained((2027, 12)) and entry.maintained((2028, 1))
    assert not entry.maintained((2028, 2))


def _fields(**changes):
    fields = {
        "name": "plain",
        "package": "plain",
        "version": "1.0",
        "factory": "asyncio:new_event_loop",
        "pythons": ["3.11"],
        "tracker": "https://example.org",
        "released": "2026-01",
    }
    fields.update(changes)
    return fields


# -- registry names are loop names ------------------------------------------------------
def test_a_registered_name_resolves_to_its_factory(tmp_path, monkeypatch):
    path = _registry(tmp_path, _entry(name="plain"))
    monkeypatch.setattr(registry, "default_path", lambda: path)
    assert loops.loop_factory("plain") is asyncio.new_event_loop
    assert loops.loop_factory("asyncio") is asyncio.new_event_loop  # the known names still win


def test_a_registered_loop_that_is_not_installed_says_what_to_install(tmp_path, monkeypatch):
    path = _registry(tmp_path, _entry(name="absent", factory="no_such_loop_module:new_event_loop"))
    monkeypatch.setattr(registry, "default_path", lambda: path)
    with pytest.raises(loops.LoopSelectionError) as caught:
        loops.loop_factory("absent")
    assert "needs the module 'no_such_loop_module'" in str(caught.value)
    assert "install it with: pip install 'absent==1.0'" in str(caught.value)


def test_the_real_registry_names_veloxloop():
    with pytest.raises(loops.LoopSelectionError) as caught:
        loops.loop_factory("veloxloop")  # not installed in the test environment
    assert "pip install 'veloxloop==" in str(caught.value)


def test_a_name_neither_known_nor_registered_is_refused():
    with pytest.raises(loops.LoopSelectionError) as caught:
        loops.loop_factory("nonesuch")
    assert "unknown loop 'nonesuch'; accepted: asyncio, uvloop, rloop, a loop of the registry" in str(
        caught.value
    )


# -- choosing what to run -----------------------------------------------------------------
def _entries(tmp_path):
    return registry.load(
        _registry(
            tmp_path,
            _entry(name="a", pythons='["3.10", "3.12", "3.13"]'),
            _entry(name="b", pythons='["3.11"]', more='debian = ["python3-gi"]\nsystem_site_packages = true'),
            _entry(name="win", pythons="[]", more='skip = "Windows only"'),
        )
    )


def test_select_runs_every_runnable_loop_or_the_named_ones(tmp_path):
    entries = _entries(tmp_path)
    assert [e.name for e in survey.select(entries, None)] == ["a", "b"]
    assert [e.name for e in survey.select(entries, "b, a,b")] == ["b", "a"]
    with pytest.raises(survey.SurveyError, match="unknown loop 'c'; the registry has: a, b"):
        survey.select(entries, "c")
    with pytest.raises(survey.SurveyError, match="loop 'win' cannot run here: Windows only"):
        survey.select(entries, "win")


def test_each_loop_runs_on_the_newest_python_here_it_installs_on(tmp_path):
    a, b = survey.select(_entries(tmp_path), None)
    found = {"3.10": "/py310", "3.12": "/py312", "3.14": "/py314"}
    system = {"3.11": "/usr/bin/python3.11"}
    newest = survey.plan([a, b], "newest", found, system)
    assert [(j.entry.name, j.version, j.python) for j in newest] == [
        ("a", "3.12", "/py312"),
        ("b", "3.11", "/usr/bin/python3.11"),
    ]
    every = survey.plan([a], "all", found, system)
    assert [(j.version, j.python) for j in every] == [("3.10", "/py310"), ("3.12", "/py312")]
    (missing,) = survey.plan([a], ["3.13"], found, system)
    assert missing.python is None and missing.problem == "no Python 3.13 here (pyenv or PATH)"
    (none,) = survey.plan([b], "newest", found, {})
    assert none.problem.startswith("no interpreter for it here: it installs on 3.11, and Debian's")


def test_interpreters_are_pyenvs_newest_patch_release_of_each_minor(tmp_path):
    for version in ("3.12.1", "3.12.10", "3.12.9", "3.13.0", "pypy3.11-8.0.1"):
        python = tmp_path / "versions" / version / "bin" / "python"
        python.parent.mkdir(parents=True)
        python.write_text("#!/bin/sh\n")
        python.chmod(python.stat().st_mode | stat.S_IEXEC)
    found = survey.interpreters(
        pyenv_root=str(tmp_path), path=str(tmp_path / "nowhere"), check=lambda p: True
    )
    assert found == {
        "3.12": str(tmp_path / "versions" / "3.12.10" / "bin" / "python"),
        "3.13": str(tmp_path / "versions" / "3.13.0" / "bin" / "python"),
    }
    # a patch release whose virtualenvs do not start gives way to the next newest
    broken = str(tmp_path / "versions" / "3.12.10" / "bin" / "python")
    found = survey.interpreters(str(tmp_path), str(tmp_path / "nowhere"), check=lambda p: p != broken)
    assert found["3.12"] == str(tmp_path / "versions" / "3.12.9" / "bin" / "python")
    assert not survey.works_in_a_venv(broken)  # a shell script that is no Python


def test_the_matrix_lists_every_runnable_loop_for_ci(tmp_path, capsys):
    path = _registry(
        tmp_path,
        _entry(name="a", pythons='["3.9", "3.13", "3.10"]'),
        _entry(name="b", pythons='["3.11"]', more='debian = ["python3-gi"]\nsystem_site_packages = true'),
        _entry(name="win", pythons="[]", more='skip = "Windows only"'),
    )
    assert cli.main(["survey", "--registry", path, "--matrix"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "include": [
            {"loop": "a", "python": "3.13", "debian": ""},
            {"loop": "b", "python": "system", "debian": "python3-gi"},
        ]
    }


@pytest.mark.parametrize(
    "argv, message",
    [
        (["survey", "--loops", "nonesuch", "--matrix"], "unknown loop 'nonesuch'; the registry has: "),
        (["survey", "--loops", "winloop", "--matrix"], "loop 'winloop' cannot run here: "),
        (["survey", "--pythons", "three", "--loops", "veloxloop"], "--pythons 'three': give 'newest', 'all'"),
        (["survey", "--registry", "/nonexistent/loops.toml"], "cannot read the loop registry /nonexistent/"),
        (["survey", "--jobs", "0"], "argument --jobs: '0' is not a number of processes"),
    ],
)
def test_bad_survey_arguments_print_one_line_and_exit_2(argv, message, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and message in err, err


# -- running one loop, bounded, never stopping the survey -----------------------------------
def _fake_environment(monkeypatch, tmp_path, script):
    """Every environment is ready, and its python is *script* (a shell script)."""
    python = tmp_path / "fake-python"
    python.write_text("#!/bin/sh\n" + script)
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(survey.Environment, "build", lambda self: None)
    monkeypatch.setattr(survey.Environment, "python", str(python), raising=False)
    monkeypatch.setattr(survey, "_python_version", lambda python: "3.11.7")

    def init(self, job, cache, root):
        self.job, self.python, self.log = job, str(python), str(tmp_path / "install.log")

    monkeypatch.setattr(survey.Environment, "__init__", init)


def _job(tmp_path, **more):
    (entry,) = registry.load(_registry(tmp_path, _entry(name="plain")))
    return survey.Job(entry, "3.11", sys.executable, **more)


def test_a_loop_that_outlives_its_time_is_stopped_and_recorded(tmp_path, monkeypatch):
    _fake_environment(monkeypatch, tmp_path, "echo started; exec sleep 60\n")
    out = tmp_path / "out"
    out.mkdir()
    record = survey.run_job(_job(tmp_path), str(out), 1, 1, str(tmp_path), ROOT)
    assert record["status"] == "timed-out"
    assert record["detail"].startswith("the run took more than 1 s and was stopped")
    assert (out / "plain-py3.11.out").read_text() == "started\n"
    log = read_log(str(out / "plain-py3.11.jsonl"))
    assert log.header["survey"]["status"] == "timed-out" and log.header["ended"] is None


def test_a_run_that_refuses_the_loop_is_recorded_with_what_it_said(tmp_path, monkeypatch):
    _fake_environment(monkeypatch, tmp_path, "echo 'asyncio_server_spec: error: loop broken' >&2; exit 2\n")
    out = tmp_path / "out"
    out.mkdir()
    record = survey.run_job(_job(tmp_path), str(out), 1, 60, str(tmp_path), ROOT)
    # what the run said, as the report shows it: "refused: loop broken"
    assert (record["status"], record["detail"]) == ("refused", "loop broken")
    header = read_log(str(out / "plain-py3.11.jsonl")).header
    assert header["loop"] == {"name": "plain", "module": "asyncio", "version": "1.0", "package": "plain"}
    assert header["python"]["version"] == "3.11.7"


def test_a_run_that_dies_otherwise_is_recorded_with_its_exit_status_and_last_words():
    assert survey.refusal(2, "progress\nasyncio-server-spec: error: no such loop\n") == "no such loop"
    assert survey.refusal(-11, "a\nb\nc\n") == "the run exited -11: b | c"
    assert survey.refusal(2, "Traceback ...\nKeyError: 'x'\n").startswith("the run exited 2: ")


def test_a_loop_without_an_interpreter_still_gets_a_log_the_report_lists(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    job = _job(tmp_path, problem="no Python 3.11 here (pyenv or PATH)")
    job.python = None
    record = survey.run_job(job, str(out), 1, 60, str(tmp_path), ROOT)
    assert record["status"] == "no-interpreter"
    pages, logs = build_site(str(tmp_path / "site"), [str(out)], FEATURES)
    assert "loops/plain.html" in pages
    assert logs[0].header["survey"] == {
        "status": "no-interpreter",
        "detail": "no Python 3.11 here (pyenv or PATH)",
    }


def test_the_summary_counts_each_log_and_names_what_failed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(os.path.join(FIXTURES, "uvloop-cpython-3.13.jsonl"), str(out / "uvloop-py3.13.jsonl"))
    records = [
        {
            "loop": "uvloop",
            "version": "0.21",
            "python": "3.13",
            "log": "uvloop-py3.13.jsonl",
            "status": "failing",
            "seconds": 4.2,
        },
        {"loop": "winloop", "version": "0.8", "status": "skipped", "detail": "Windows only"},
    ]
    text = survey.table(records, str(out))
    lines = text.splitlines()
    assert lines[0].split() == [
        "loop",
        "version",
        "python",
        "applicable",
        "passed",
        "failed",
        "crash",
        "timeout",
        "harness-error",
        "seconds",
        "status",
    ]
    counted = survey.counts(str(out / "uvloop-py3.13.jsonl"))
    assert (
        counted["applicable"]
        == counted["passed"]
        + counted["failed"]
        + counted["crash"]
        + counted["timeout"]
        + counted["harness-error"]
    )
    assert lines[1].split()[:3] == ["uvloop", "0.21", counted["python"]]
    assert lines[2].split() == ["winloop", "0.8", "-", "skipped"]


def test_an_interpreter_whose_ensurepip_fails_gets_this_pythons_pip(tmp_path, monkeypatch):
    """Debian's sid 3.13 here: `python -m venv` fails in ensurepip."""
    steps = []

    def step(self, command, log):
        steps.append(command)
        os.makedirs(self.path, exist_ok=True)  # what venv makes
        return "ensurepip failed" if len(steps) == 1 else None

    monkeypatch.setattr(survey.Environment, "_step", step)
    environment = survey.Environment(_job(tmp_path), str(tmp_path), ROOT)
    assert environment.build() is None
    assert steps[1][-2:] == ["--without-pip", environment.path]
    assert steps[2][:5] == [sys.executable, "-m", "pip", "--python", environment.python]
    assert steps[2][5:] == ["install", "--quiet", "-e", ROOT, "plain==1.0"]
    assert os.path.isfile(os.path.join(environment.path, ".survey-stamp"))  # built: reused next time


def test_the_status_file_keeps_earlier_loops(tmp_path):
    survey.write_status(str(tmp_path), [{"loop": "a", "python": "3.12", "status": "ran"}])
    survey.write_status(str(tmp_path), [{"loop": "b", "python": "3.12", "status": "failing"}])
    survey.write_status(str(tmp_path), [{"loop": "a", "python": "3.12", "status": "install-failed"}])
    with open(tmp_path / survey.STATUS_FILE) as stream:
        kept = json.load(stream)["loops"]
    assert [(r["loop"], r["status"]) for r in kept] == [("b", "failing"), ("a", "install-failed")]


def test_tox_runs_the_survey_only_when_asked():
    with open(os.path.join(ROOT, "tox.ini")) as ini:
        text = ini.read()
    env_list = text.split("env_list =", 1)[1].split("\n\n", 1)[0].split("#")[0]
    assert "survey" not in env_list
    section = text.split("[testenv:survey]", 1)[1].split("\n[", 1)[0]
    assert "labels = survey" in section
    assert "python -m asyncio_server_spec survey" in section


# -- drafting an expectations file from raw runs ---------------------------------------------
def _draft(logs, name=None):
    return drafts.draft(read_spec(FEATURES), read_logs(logs), name)


def test_a_draft_lists_each_failing_scenario_with_its_observed_message():
    text, loop = _draft(
        [os.path.join(FIXTURES, f) for f in ("uvloop-cpython-3.12.jsonl", "uvloop-cpython-3.13.jsonl")]
    )
    assert loop.name == "uvloop"
    entries = drafts.entries(*_report_and_loop("uvloop"))
    assert entries and text.count("[[expected_failure]]") == len(entries)
    for entry in entries:
        assert entry.reason.startswith(drafts.DRAFT)
        assert entry.link == registry.find("uvloop").tracker


def _report_and_loop(name):
    from asyncio_server_spec.report.model import Report

    logs = read_logs(
        [os.path.join(FIXTURES, f) for f in ("uvloop-cpython-3.12.jsonl", "uvloop-cpython-3.13.jsonl")]
    )
    report = Report(read_spec(FEATURES), logs)
    return report, report.loop_by_name[name], registry.find(name).tracker


def test_a_draft_says_which_pythons_a_scenario_fails_on_when_not_all(tmp_path):
    report, loop, link = _report_and_loop("uvloop")
    for entry in drafts.entries(report, loop, link):
        failed = set(entry.failed_on)
        ran = {
            c.version for c in loop.columns if report.cell(entry.id, c).category.key not in ("na", "notrun")
        }
        assert (entry.python == "") == (failed == ran), entry.id


def test_a_draft_of_logs_of_several_loops_needs_loop(tmp_path):
    logs = [os.path.join(FIXTURES, f) for f in ("uvloop-cpython-3.13.jsonl", "asyncio-cpython-3.13.jsonl")]
    with pytest.raises(drafts.DraftError, match=r"the logs hold runs of .*; choose one with --loop"):
        _draft(logs)
    with pytest.raises(drafts.DraftError, match="the logs hold no run of loop 'rloop'"):
        _draft(logs, "rloop")


@pytest.mark.slow
def test_a_drafted_file_is_accepted_and_makes_the_run_pass(tmp_path):
    """A deviant's raw run, drafted, then run again with the draft: exit 0."""
    loop = "tests.deviants.lifecycle:close_keeps_listening"
    raw = tmp_path / "raw.jsonl"
    command = [
        sys.executable,
        "-m",
        "behave",
        "--format",
        "progress",
        "features/closing.feature",
        "-D",
        "loop=" + loop,
    ]
    first = subprocess.run(
        command + ["-D", "expectations=off", "-D", f"results={raw}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert first.returncode == 1, first.stdout + first.stderr
    draft = tmp_path / "draft.toml"
    proc = subprocess.run(
        [sys.executable, "-m", "asyncio_server_spec", "expectations", "draft", str(raw)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    draft.write_text(proc.stdout)
    listed = load_expectations(str(draft)).ids()
    failed = {r["id"] for r in read_log(str(raw)).scenarios if r["verdict"] == "unexpected-failure"}
    assert listed == failed and listed
    second = subprocess.run(
        command + ["-D", f"expectations={draft}"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert second.returncode == 0, second.stdout[-3000:]


def test_draft_write_refuses_to_replace_a_file_without_force(tmp_path, monkeypatch, capsys):
    spec = tmp_path / "spec"
    (spec / "expectations").mkdir(parents=True)
    (spec / "expectations" / "uvloop.toml").write_text("# edited by hand\n")
    monkeypatch.setattr("asyncio_server_spec.harness.behave_run.spec_root", lambda: str(spec))
    os.symlink(FEATURES, spec / "features")
    log = os.path.join(FIXTURES, "uvloop-cpython-3.13.jsonl")
    assert cli.main(["expectations", "draft", "--write", log]) == 2
    assert "uvloop.toml exists; --force replaces it" in capsys.readouterr().err
    assert cli.main(["expectations", "draft", "--write", "--force", log]) == 0
    assert "wrote " in capsys.readouterr().out
    assert load_expectations(str(spec / "expectations" / "uvloop.toml")).entries
