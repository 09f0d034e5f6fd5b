"""The built wheel carries the whole spec, and installed from it in a fresh
virtualenv, ``asyncio-server-spec run`` gives the repository's verdict from
any directory.

The wheel is built once per session (``pip wheel``; without build isolation
when hatchling is importable here, so that it works offline).  The fresh
virtualenv gets only the wheel; the dependencies (behave, trustme, ...) come
from this environment's site-packages through a ``.pth`` file, which adds
those directories after the virtualenv's own, so the wheel's copy of
asyncio_server_spec is the one that runs.
"""

import glob
import importlib.util
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile

import pytest

from asyncio_server_spec.harness.results import read_log

from .unmeasured import unmeasured

pytestmark = pytest.mark.slow  # builds and installs the wheel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC_PATTERNS = (
    "features/*.feature",
    "features/README.md",
    "steps/*.py",
    "steps/vocabulary/*.py",
    "environment.py",
    "expectations/*.toml",
    "loops.toml",
)
SUMMARY = re.compile(r"^(\d+) scenarios? passed, (\d+) failed, (\d+) skipped", re.MULTILINE)
#: A config file a user may have in the directory they run from; run must ignore it.
HOSTILE_CONFIG = "[behave]\nformat = nonesuch\npaths = nowhere\ntags = @nothing\n"


def spec_files():
    """The spec's files in the repository, relative to its root, with / separators."""
    found = set()
    for pattern in SPEC_PATTERNS:
        found.update(
            os.path.relpath(p, ROOT).replace(os.sep, "/") for p in glob.glob(os.path.join(ROOT, pattern))
        )
    return sorted(found)


def _check(command, timeout=180, **kwargs):
    proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    assert proc.returncode == 0, f"{command}\n{proc.stdout}{proc.stderr}"
    return proc


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """The path of a wheel built from the repository."""
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), ROOT]
    if importlib.util.find_spec("hatchling") is not None:
        command.insert(command.index("--no-deps"), "--no-build-isolation")
    _check(command)
    (built,) = out.glob("asyncio_server_spec-*.whl")
    return built


def test_the_wheel_carries_every_file_of_the_spec(wheel):
    with zipfile.ZipFile(str(wheel)) as archive:
        names = set(archive.namelist())
    expected = {"asyncio_server_spec/spec/" + name for name in spec_files()}
    assert len(expected) > 20  # features, steps, hooks, expectations
    assert expected <= names, sorted(expected - names)
    shipped = {name for name in names if name.startswith("asyncio_server_spec/spec/")}
    assert shipped == expected, f"unexpected files in the spec: {sorted(shipped - expected)}"
    assert "asyncio_server_spec/cli.py" in names
    # package data of the sub-packages: the test certificates and the site's templates
    assert "asyncio_server_spec/reference/certs/ca.pem" in names
    assert "asyncio_server_spec/report/templates/index.html.j2" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_the_sdist_keeps_the_repository_layout(tmp_path):
    pytest.importorskip("build", reason="python -m build is not installed")
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("hatchling is not installed here (the sdist is built without isolation)")
    _check([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path), ROOT])
    (sdist,) = tmp_path.glob("asyncio_server_spec-*.tar.gz")
    with tarfile.open(str(sdist)) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    missing = set(spec_files()) | {"hatch_build.py", "LICENSE", "README.md"}
    assert missing <= names, sorted(missing - names)


# -- installed in a fresh virtualenv ------------------------------------------------------
def _site_packages(python):
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return _check([python, "-c", code]).stdout.strip()


@pytest.fixture(scope="session")
def installed(wheel, tmp_path_factory):
    """A fresh virtualenv with the wheel installed: its bin directory."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False, symlinks=(os.name != "nt")).create(str(env_dir))
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = str(bin_dir / "python")
    _check(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ]
    )
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    with open(os.path.join(_site_packages(python), "_outer_dependencies.pth"), "w") as pth:
        pth.write("\n".join(sorted(here)) + "\n")
    return bin_dir


def _clean_env():
    env = unmeasured()
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def _start_repository_run(loop, tmp_path):
    """Start behave in the repository (unmeasured: every other test runs this code too)."""
    results = tmp_path / f"repo-{loop}.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "behave",
            "--format",
            "progress",
            "-D",
            "loop=" + loop,
            "-D",
            "results=" + str(results),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=unmeasured(),
    )
    return proc, results


def _finish(started):
    proc, results = started
    proc.stdout_text, proc.stderr_text = proc.communicate(timeout=300)
    return proc, _verdicts(str(results))


def _verdicts(path):
    """scenario id -> (status, verdict), from a results log."""
    return {r["id"]: (r["status"], r["verdict"]) for r in read_log(path).scenarios}


def _installed_run(bin_dir, loop, cwd):
    return subprocess.run(
        [
            str(bin_dir / "asyncio-server-spec"),
            "run",
            "--jobs",
            "1",
            "--loop",
            loop,
            "--results",
            "out.jsonl",
            "--",
            "--format",
            "progress",
        ],
        cwd=str(cwd),
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_the_installed_package_runs_its_own_copy(installed, tmp_path):
    proc = _check(
        [
            str(installed / "python"),
            "-c",
            "import asyncio_server_spec.harness.behave_run as b; print(b.spec_root())",
        ],
        cwd=str(tmp_path),
        env=_clean_env(),
    )
    root = proc.stdout.strip()
    assert os.path.join("site-packages", "asyncio_server_spec", "spec") in root, root
    assert not root.startswith(ROOT)


@pytest.mark.slow
@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_the_installed_spec_gives_the_repositorys_verdict(loop, installed, tmp_path):
    if loop != "asyncio" and importlib.util.find_spec(loop) is None:
        pytest.skip(f"{loop} is not installed here")
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    for name in ("tox.ini", "setup.cfg", "behave.ini"):
        (cwd / name).write_text(HOSTILE_CONFIG)
    repository = _start_repository_run(loop, tmp_path)  # side by side with the installed run

    proc = _installed_run(installed, loop, cwd)

    expected, expected_outcomes = _finish(repository)
    assert expected.returncode == 0, expected.stdout_text + expected.stderr_text
    assert proc.returncode == expected.returncode, proc.stdout + proc.stderr
    counts = SUMMARY.search(proc.stdout)
    assert counts, proc.stdout + proc.stderr
    assert counts.groups() == SUMMARY.search(expected.stdout_text).groups()
    assert int(counts.group(1)) > 50
    assert _verdicts(str(cwd / "out.jsonl")) == expected_outcomes


@pytest.mark.slow
def test_the_installed_command_refuses_a_loop_that_is_no_loop(installed, tmp_path):
    proc = subprocess.run(
        [str(installed / "asyncio-server-spec"), "run", "--loop", "builtins:object"],
        cwd=str(tmp_path),
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert "'builtins:object'" in lines[0] and "not an event loop" in lines[0]
