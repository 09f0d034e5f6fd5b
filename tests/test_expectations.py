"""Expectation files: their format, and that they are strict in both directions."""

import importlib.util
from pathlib import Path

import pytest

from asyncio_server_spec.features import spec_ids
from asyncio_server_spec.harness import registry
from asyncio_server_spec.harness.expectations import ExpectationError, for_loop, load
from asyncio_server_spec.harness.versions import condition as python_condition

from .spec_runs import run_spec
from .unmeasured import unmeasured

pytestmark = pytest.mark.slow  # the whole spec, many times over

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS = ROOT / "expectations"


def _write(tmp_path, text):
    path = tmp_path / "loop.toml"
    path.write_text(text)
    return str(path)


ENTRY = '[[expected_failure]]\nid = "a.b"\nreason = "why"\n'


def test_a_valid_file_loads(tmp_path):
    loaded = load(_write(tmp_path, ENTRY + 'link = "https://x"\npython = ">=3.8, <4"\n'))
    (entry,) = loaded.entries
    assert (entry.id, entry.reason, entry.link) == ("a.b", "why", "https://x")
    assert entry.describe() == "why (https://x)"
    assert loaded.applying((3, 11, 7)) == {"a.b": entry}
    assert loaded.applying((4, 0, 0)) == {}


@pytest.mark.parametrize(
    "text, message",
    [
        ("[[expected_failure]\n", "is not valid TOML"),
        ("[extra]\n", "unknown key(s) extra"),
        (ENTRY + "colour = 1\n", "unknown field(s) colour"),
        ('[[expected_failure]]\nid = "a.b"\n', "'reason' is required"),
        (ENTRY + ENTRY, "id 'a.b' is listed twice"),
        (ENTRY + 'python = "3.12+"\n', "is not a condition like"),
    ],
)
def test_a_bad_file_gets_one_clear_line(tmp_path, text, message):
    with pytest.raises(ExpectationError) as info:
        load(_write(tmp_path, text))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_an_unreadable_file_is_named(tmp_path):
    with pytest.raises(ExpectationError, match="cannot read expectations file"):
        load(str(tmp_path / "missing.toml"))


@pytest.mark.parametrize(
    "condition, version, holds",
    [
        (">=3.12", (3, 12, 1), True),
        ("<3.12", (3, 11, 9), True),
        ("<3.12", (3, 12, 0), False),
        ("==3.12", (3, 12, 7), True),
        ("!=3.12", (3, 12, 7), False),
        (">3.10, <=3.11", (3, 11, 7), True),
        (">3.10, <=3.11", (3, 10, 13), False),
    ],
)
def test_python_conditions_compare_at_the_precision_written(condition, version, holds):
    assert python_condition(condition)(version) is holds


def test_which_file_applies(tmp_path):
    assert for_loop("uvloop", "off", str(EXPECTATIONS)).entries == []
    assert for_loop("pkg.mod:factory", None, str(EXPECTATIONS)).source is None
    assert for_loop("nameless", None, str(tmp_path)).source is None
    path = _write(tmp_path, ENTRY)
    assert for_loop("anything", path, str(tmp_path)).source == path
    (tmp_path / "myloop.toml").write_text(ENTRY)
    assert for_loop("myloop", None, str(tmp_path)).ids() == {"a.b"}


# -- the shipped files, against the real loops ---------------------------------------
# Each scenario's verdict depends on its own entry only, so one raw run per loop
# (every entry removed at once) shows, entry by entry, that removing it would
# make its scenario fail the run.  One literal removal is checked as well.
def _installed(name):
    """True if the loop *name* (a registered name, or a module) can be imported here."""
    entry = registry.find(name)
    module = entry.module if entry is not None else name
    return importlib.util.find_spec(module.split(".")[0]) is not None


def _shipped(loop):
    return load(str(EXPECTATIONS / (loop + ".toml")))


def _entries():
    for path in sorted(EXPECTATIONS.glob("*.toml")):
        loop = path.stem
        for entry in load(str(path)).entries:
            marks = []
            if not _installed(loop):  # (checked by the survey; here only what it names: see below)
                continue
            if not entry.applies():
                marks.append(pytest.mark.skip(reason="the entry does not apply to this Python"))
            yield pytest.param(loop, entry.id, marks=marks, id=f"{loop}:{entry.id}")


@pytest.mark.parametrize("path", sorted(EXPECTATIONS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_file_is_for_a_registered_loop_and_names_scenarios_of_the_spec(path):
    """Also the files of loops not installed here (the survey runs those): each
    belongs to a loop of the registry, and every id it lists is a scenario."""
    assert registry.find(path.stem) is not None, f"expected {path.stem} in loops.toml; it is not registered"
    unknown = {entry.id for entry in load(str(path)).entries} - spec_ids(str(ROOT / "features"))
    assert not unknown, f"expected only scenario ids of the spec in {path.name}; unknown: {sorted(unknown)}"


@pytest.fixture(scope="module")
def raw_runs():
    """One run per installed loop with expectations off: the plain verdict."""
    runs = {}

    def run(loop):
        if loop not in runs:
            runs[loop] = run_spec(
                ["-D", "loop=" + loop, "-D", "expectations=off"], cwd=str(ROOT), timeout=600, env=unmeasured()
            )
        return runs[loop]

    return run


@pytest.mark.parametrize("loop, sid", list(_entries()))
def test_without_its_entry_the_scenario_fails_the_run(loop, sid, raw_runs):
    run = raw_runs(loop)
    assert run.returncode != 0
    assert run.verdicts.get(sid) == "unexpected-failure", (
        f"{sid} is listed for {loop} but does not fail without its entry: {run.verdicts.get(sid, 'not run')}"
    )


@pytest.mark.parametrize("loop", ["uvloop", "rloop"])
def test_the_shipped_file_covers_every_divergence(loop, raw_runs, tmp_path):
    if not _installed(loop):
        pytest.skip(f"{loop} is not installed here")
    listed = set(_shipped(loop).applying())
    unlisted = raw_runs(loop).failed - listed
    assert not unlisted, f"{loop} fails scenarios its file does not list: {sorted(unlisted)}"


@pytest.mark.parametrize("loop", ["uvloop", "rloop"])
def test_removing_one_entry_from_the_file_fails_the_run(loop, tmp_path):
    if not _installed(loop):
        pytest.skip(f"{loop} is not installed here")
    entries = sorted(_shipped(loop).applying().values(), key=lambda e: e.id)
    removed, kept = entries[0], entries[1:]
    text = "".join(f'[[expected_failure]]\nid = "{e.id}"\nreason = "kept"\n' for e in kept)
    run = run_spec(
        ["-D", "loop=" + loop, "-D", "expectations=" + _write(tmp_path, text), "--tags=id:" + removed.id],
        cwd=str(ROOT),
        timeout=120,
    )
    assert run.returncode != 0, run.output
    assert removed.id in run.failed
    assert "UNEXPECTED FAILURE" in run.output


@pytest.mark.parametrize("loop", ["uvloop", "rloop"])
def test_an_entry_for_a_passing_scenario_makes_the_run_fail(loop, tmp_path):
    if not _installed(loop):
        pytest.skip(f"{loop} is not installed here")
    sid = "creating.port-0-picks-free-port"
    assert sid not in _shipped(loop).applying(), "pick a scenario this loop passes"
    path = _write(tmp_path, f'[[expected_failure]]\nid = "{sid}"\nreason = "stale"\n')
    run = run_spec(
        ["-D", "loop=" + loop, "-D", "expectations=" + path, "--tags=id:" + sid], cwd=str(ROOT), timeout=120
    )
    assert run.returncode != 0
    assert run.verdicts.get(sid) == "unexpected-pass"
    assert "UNEXPECTED PASS" in run.output


def test_an_unknown_id_stops_the_run_before_any_scenario(tmp_path):
    path = _write(tmp_path, '[[expected_failure]]\nid = "no.such-scenario"\nreason = "typo"\n')
    run = run_spec(["-D", "expectations=" + path], cwd=str(ROOT), timeout=60)
    assert run.returncode == 2
    assert run.records == {}
    assert "lists scenario id(s) the spec does not have: no.such-scenario" in run.output
