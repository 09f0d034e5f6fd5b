"""The GitHub Actions workflows, checked offline: valid against the workflow
schema (check-jsonschema), no findings by zizmor, every action pinned by commit,
a job for every Python the project supports; and the same for the workflow
README.md offers event-loop authors."""

import glob
import os
import re
import shutil
import subprocess
import sys

import pytest

from asyncio_server_spec import cli
from asyncio_server_spec.harness import runner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOWS = sorted(glob.glob(os.path.join(ROOT, ".github", "workflows", "*.yml")))
SPEC_WORKFLOW = os.path.join(ROOT, ".github", "workflows", "spec.yml")
SURVEY_WORKFLOW = os.path.join(ROOT, ".github", "workflows", "survey.yml")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", re.MULTILINE)
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _tool(name):
    """The tool's executable: next to this Python (a virtualenv's bin), else on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    found = beside if os.access(beside, os.X_OK) else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install 'asyncio-server-spec[test]')")
    return found


def _run(command):
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_there_is_a_workflow():
    assert SPEC_WORKFLOW in WORKFLOWS


def test_the_survey_fans_out_one_job_per_registered_loop_and_merges_their_logs():
    with open(SURVEY_WORKFLOW, encoding="utf-8") as workflow:
        text = workflow.read()
    assert re.search(r"^  schedule:\n    - cron: ", text, re.MULTILINE) and "workflow_dispatch:" in text
    assert "python -m asyncio_server_spec survey --matrix" in text
    assert "matrix: ${{ fromJSON(needs.loops.outputs.matrix) }}" in text
    (command,) = re.findall(r"run: python -m (asyncio_server_spec survey --loops .*)$", text, re.MULTILINE)
    options = cli.parse_args(command.replace('"$LOOP"', "uvloop").split()[1:])
    assert (options.loops, options.out, options.no_report) == ("uvloop", "survey", True)
    assert "pattern: survey-*" in text and "report --out survey/site survey/" in text


def test_workflows_are_valid_against_the_github_workflow_schema():
    proc = _run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows"] + WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing():
    proc = _run([_tool("zizmor"), "--offline", os.path.join(".github", "workflows")])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings" in proc.stdout + proc.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=os.path.basename)
def test_every_action_is_pinned_by_commit_with_its_version_named(path):
    with open(path, encoding="utf-8") as workflow:
        uses = USES.findall(workflow.read())
    assert uses
    for action, rest in uses:
        assert PINNED.match(action), f"{action} is not pinned by a full commit SHA"
        assert re.match(r"\s*#\s*v\d+\.\d+\.\d+\s*$", rest), f"{action}: no '# vX.Y.Z' comment"


def _tox_interpreter_factors():
    """The interpreter factor (py38, py313latest, pypy311, ...) of every
    environment in tox.ini's env_list and of every environment a section of
    its own names (the boundary releases: py3135, ...), braces expanded."""
    with open(os.path.join(ROOT, "tox.ini"), encoding="utf-8") as ini:
        text = ini.read()
    block = re.search(r"^env_list =\n((?:[ \t]+\S.*\n)+)", text, re.MULTILINE).group(1)
    sections = re.findall(r"^\[testenv:([^\]]+)\]", text, re.MULTILINE)
    factors = set()
    for line in block.split() + sections:
        first = line.split("-")[0]
        match = re.match(r"^(\w*)\{([^}]*)\}$", first)
        names = [match.group(1) + part for part in match.group(2).split(",")] if match else [first]
        factors.update(n for n in names if n.startswith(("py", "pypy")))
    return factors


def test_the_spec_runs_every_interpreter_of_the_tox_matrix():
    with open(SPEC_WORKFLOW, encoding="utf-8") as workflow:
        text = workflow.read()
    pythons = re.findall(r'python:\s*"([^"]+)",\s*factor:\s*(\w+)', text)
    assert {factor for _, factor in pythons} == _tox_interpreter_factors()
    for python, factor in pythons:  # the factor names the interpreter the job sets up
        digits = python.replace(".", "")
        assert factor.startswith(digits if python.startswith("pypy") else "py" + digits[:3])
    assert 'run: python -m tox run -f "$FACTOR"' in text


# -- the workflow README.md offers event-loop authors ------------------------------------
def _readme_workflow():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as readme:
        blocks = re.findall(r"^```yaml\n(.*?)^```", readme.read(), re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, "README.md should hold exactly one yaml block: the loop authors' workflow"
    return blocks[0]


def test_the_readme_workflow_passes_the_same_checks(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    path = workflows / "asyncio-server-spec.yml"
    path.write_text(_readme_workflow())
    proc = _run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = _run([_tool("zizmor"), "--offline", str(workflows)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    test_every_action_is_pinned_by_commit_with_its_version_named(str(path))


def test_the_readme_workflow_runs_a_command_the_cli_accepts():
    (command,) = re.findall(r"run: (asyncio-server-spec run .*)$", _readme_workflow(), re.MULTILINE)
    options = cli.parse_args(command.split()[1:])
    assert options.loop == "mypkg.loops:new_event_loop"
    assert runner.behave_args(options) == [
        "--format",
        "progress",
        "-D",
        "loop=mypkg.loops:new_event_loop",
        "-D",
        "results=spec.jsonl",
    ]
