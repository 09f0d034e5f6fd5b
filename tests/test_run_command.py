"""``asyncio-server-spec run``: a loop must be a loop, options and pass-through to
behave, where the spec comes from, refusals (one line, exit 2), and the runs."""

import json
import os
import subprocess
import sys

import pytest
from behave.formatter import _registry

from asyncio_server_spec import cli
from asyncio_server_spec.harness import behave_run, runner
from asyncio_server_spec.harness.formatters import DescribedPrettyFormatter
from asyncio_server_spec.harness.loops import LoopSelectionError, checked_loop_factory

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ONE_SCENARIO = "--tags=id:closing.leaves-clients-open"


def returns_nothing():
    """A module:factory target that does not make a loop."""


def raises():
    """A module:factory target that fails."""
    raise RuntimeError("no loop today\nsecond line")


# -- a loop must be a loop ------------------------------------------------------------
@pytest.mark.parametrize(
    "name, message",
    [
        (
            "builtins:object",
            "loop 'builtins:object': its factory returned builtins.object, not an event loop",
        ),
        ("tests.test_run_command:returns_nothing", "its factory returned builtins.NoneType"),
        ("tests.test_run_command:raises", "calling its factory failed with RuntimeError: no loop today"),
        ("nonesuch", "unknown loop 'nonesuch'"),
        ("tokio", "(the registry says: no wheel; its sdist needs"),
    ],
)
def test_a_factory_that_makes_no_event_loop_is_refused(name, message):
    with pytest.raises(LoopSelectionError) as info:
        checked_loop_factory(name)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_real_loop_passes_the_check():
    factory = checked_loop_factory("asyncio")
    loop = factory()
    try:
        assert not loop.is_closed()
    finally:
        loop.close()


@pytest.mark.parametrize("command", ["run", "serve"])
def test_both_commands_refuse_a_loop_that_is_no_loop(command, capsys):
    assert cli.main([command, "--loop", "builtins:object"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        (
            "asyncio_server_spec: error: loop 'builtins:object': its factory returned "
            "builtins.object, not an event loop (an asyncio.AbstractEventLoop)"
        )
    ]
    assert captured.out == ""


# -- options and pass-through -----------------------------------------------------------
@pytest.mark.parametrize(
    "argv, expected",
    [
        (["run"], []),
        (
            ["run", "--loop", "uvloop", "--expectations", "off", "--results", "r.jsonl"],
            ["-D", "loop=uvloop", "-D", "expectations=off", "-D", "results=r.jsonl"],
        ),
        # options run does not know go to behave, in order, with their values
        (
            ["run", "--format", "progress", "--loop", "rloop", "-n", "twice"],
            ["--format", "progress", "-n", "twice", "-D", "loop=rloop"],
        ),
        # after --, everything goes to behave, even what looks like run's own option
        (
            ["run", "--results", "r.jsonl", "--", "--loop", "x", "-D", "isolate=off"],
            ["--loop", "x", "-D", "isolate=off", "-D", "results=r.jsonl"],
        ),
        # -D loop= from the pass-through comes first, so that --loop wins
        (["run", "-D", "loop=uvloop", "--loop", "asyncio"], ["-D", "loop=uvloop", "-D", "loop=asyncio"]),
    ],
)
def test_run_options_become_behave_arguments(argv, expected):
    assert runner.behave_args(cli.parse_args(argv)) == expected


@pytest.mark.parametrize(
    "argv, message",
    [
        (["run", "--loop"], "argument --loop: expected one argument"),
        (
            ["run", "--expectations="],
            "argument --expectations: give 'off' or the path of an expectations file (.toml)",
        ),
        (["serve", "--", "--port", "1"], "unrecognized arguments: --port 1"),
        (["trace", "--colour"], "unrecognized arguments: --colour"),
    ],
)
def test_bad_run_options_are_usage_errors(argv, message):
    with pytest.raises(cli.UsageError) as info:
        cli.parse_args(argv)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "behave_args, message",
    [
        (["--no-such-option"], "behave: unrecognized arguments: --no-such-option"),
        (["-f", "nonesuch"], "behave: unknown formatter 'nonesuch'; `-f help` lists them"),
        (["--tags", "a and ("], "behave: Syntax error. Expected operand after ("),
        (["nosuch.feature"], "nosuch.feature is not a feature file or directory of the spec"),
    ],
)
def test_arguments_behave_refuses_are_one_line(behave_args, message, capsys):
    assert cli.main(["run"] + behave_args) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("asyncio_server_spec: error: " + message)
    assert captured.out == ""


# -- where the spec comes from ------------------------------------------------------------
def test_the_spec_root_holds_what_behave_needs():
    root = behave_run.spec_root()
    assert behave_run.is_spec_root(root)
    assert os.path.isfile(os.path.join(root, "features", "closing.feature"))
    assert os.path.isfile(os.path.join(root, "expectations", "uvloop.toml"))


def test_a_source_checkout_runs_its_own_files():
    # an editable install (or PYTHONPATH=src): no copy inside the package
    if os.path.isdir(os.path.join(os.path.dirname(os.path.dirname(behave_run.__file__)), "spec")):
        pytest.skip("this asyncio_server_spec is an installed wheel, which carries its own copy")
    assert os.path.samefile(behave_run.spec_root(), ROOT)


def test_a_missing_spec_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(behave_run, "_PACKAGE_DIR", str(tmp_path / "src" / "pkg"))
    with pytest.raises(behave_run.SpecError) as info:
        behave_run.spec_root()
    assert "the spec is missing" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "given, relative",
    [
        ("closing.feature", "features/closing.feature"),
        ("features/closing.feature", "features/closing.feature"),
        ("closing.feature:12", "features/closing.feature:12"),
        ("features", "features"),
    ],
)
def test_feature_paths_name_the_specs_own_files(given, relative, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # not where the spec is
    root = behave_run.spec_root()
    assert behave_run.resolve_path(given, root) == os.path.join(root, *relative.split("/"))


def test_configuration_ignores_config_files_in_the_current_directory(monkeypatch, tmp_path):
    hostile = "[behave]\nformat = nonesuch\npaths = nowhere\ntags = @nothing\n"
    for name in ("behave.ini", "setup.cfg", "tox.ini", ".behaverc"):
        (tmp_path / name).write_text(hostile)
    monkeypatch.chdir(tmp_path)
    root = behave_run.spec_root()
    config = behave_run.configuration(["-D", "loop=asyncio"], root)
    assert config.paths == [os.path.join(root, "features")]
    assert not config.format
    assert config.userdata["loop"] == "asyncio"
    assert _registry.select_formatter_class("pretty") is DescribedPrettyFormatter


# -- running it (a child process: behave's step registry is global) --------------------
def _run(args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "asyncio_server_spec", "run"] + args,
        cwd=str(cwd),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_run_from_elsewhere_passes_a_scenario_and_records_it(tmp_path):
    (tmp_path / "tox.ini").write_text("[behave]\npaths = nowhere\n")
    proc = _run(["--jobs", "1", "--results", "out.jsonl", ONE_SCENARIO, "-f", "progress"], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 scenario passed, 0 failed" in proc.stdout
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [(r["record"], r.get("id"), r.get("verdict")) for r in records] == [
        ("run", None, None),
        ("start", "closing.leaves-clients-open", None),
        ("scenario", "closing.leaves-clients-open", "pass"),
        ("end", None, None),
    ]


def test_run_prints_the_docs_lines_with_the_specs_pretty_formatter(tmp_path):
    proc = _run(["--jobs", "1", ONE_SCENARIO, "--no-color"], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "    Docs: https://docs.python.org/3/library/" in proc.stdout


def test_the_exit_status_is_behaves(tmp_path):
    # a deviant loop from the current directory, as behave finds it there too
    proc = _run(
        [
            "--jobs",
            "1",
            "--loop",
            "tests.deviants.lifecycle:close_keeps_listening",
            "--tags=id:closing.stops-new-connections",
            "-f",
            "progress",
        ],
        ROOT,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "0 scenarios passed, 1 failed" in proc.stdout


def test_run_builds_the_results_site_when_asked(tmp_path):
    proc = _run(["--jobs", "1", "--report", "site", ONE_SCENARIO, "-f", "progress"], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("the results site: " + os.path.join("site", "index.html"))
    assert (tmp_path / "site" / "results.jsonl").is_file()  # no --results: the log goes with the site
    assert "closing.leaves-clients-open" in (tmp_path / "site" / "features" / "closing.html").read_text()


def test_run_report_checks_the_loop_registry_before_the_run(tmp_path):
    """The site a run builds reads loops.toml: a malformed one is one line before
    the run (a spec without one is fine)."""
    runner.check_registry(str(tmp_path))
    (tmp_path / "loops.toml").write_text("[[loop]]\nname = 'x'\n")
    with pytest.raises(behave_run.SpecError, match="'package' is required"):
        runner.check_registry(str(tmp_path))
