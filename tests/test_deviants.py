"""The spec must catch every deliberately deviant server -- and pass on the real one.

Each module in tests/deviants registers its deviants with ``deviant()``: a
deviant loop factory and the scenario ids that must fail against it.  Those
scenarios are run against each deviant in a child process, bounded in time.
The runs are independent, so they go four at a time, each a child of a fork
server that has imported behave and the harness once, and each parses only
the feature files that hold its scenarios.
"""

import importlib
import os
import pkgutil
import sys
import types
from pathlib import Path

import pytest

from asyncio_server_spec.features import read_features

from . import deviants
from .spec_runs import run_spec, run_specs

pytestmark = pytest.mark.deviants  # a spec run per deviant; depends on the Python version

ROOT = Path(__file__).resolve().parents[1]
#: A deviant that hangs must fail the spec well within this many seconds.
HANG_LIMIT = 60
PARALLEL_RUNS = 4
#: The scenario ids of each feature file (an outline's rows each have their own).
FEATURE_IDS = {
    feature.path: {scenario.id for scenario in feature.scenarios}
    for feature in read_features(str(ROOT / "features"))
}
#: How long one isolated scenario may run (-D time_limit): a deviant that
#: blocks its process is stopped after this long.
ISOLATED_TIME_LIMIT = 3


def _modules():
    for info in pkgutil.iter_modules(deviants.__path__):
        yield importlib.import_module("tests.deviants." + info.name)


def _catches():
    for module in _modules():
        for catch in deviants.catches(module):
            yield pytest.param(
                module,
                catch,
                id="{}:{}".format(module.__name__.rsplit(".", 1)[1], catch.factory),
                marks=()
                if catch.applies()
                else pytest.mark.skip(reason="this deviation is the real behaviour on this Python"),
            )


def _arguments(module, factory, ids):
    """The behave arguments that run every scenario of the feature files that
    hold the scenarios that must catch the deviant (*ids*): it has to fail
    those, and no other but the ones registered as about the same behaviour."""
    # Deviants that crash the process need the spec's isolation; the others
    # run in one process, as the real loop does, which is much faster.
    isolate = "on" if getattr(module, "ISOLATE", False) else "off"
    return [
        "-D",
        f"loop={module.__name__}:{factory}",
        "-D",
        "isolate=" + isolate,
        "-D",
        f"time_limit={ISOLATED_TIME_LIMIT}",
        *_features_with(ids),
    ]


def _features_with(ids):
    """The feature files that hold the scenarios *ids* (behave then parses
    only those: most of what a run that checks one deviant costs)."""
    found = sorted(
        {os.path.relpath(path, str(ROOT)) for path, held in FEATURE_IDS.items() if held & set(ids)}
    )
    assert found, f"no feature file has a scenario {sorted(ids)}"
    return found


@pytest.fixture(scope="session")
def deviant_runs(request):
    """Each deviant the selected tests need, run once, keyed by (module name,
    factory): ``(SpecRun, seconds it took)``."""
    wanted = {}
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        module = params.get("module")
        factory = params["catch"].factory if "catch" in params else params.get("factory")
        if module is None or factory is None:
            continue
        ids = set().union(*(c.ids for c in deviants.catches(module) if c.factory == factory and c.applies()))
        if ids:
            wanted.setdefault((module.__name__, factory), (module, set()))[1].update(ids)
    runs = run_specs(
        [_arguments(module, key[1], ids) for key, (module, ids) in wanted.items()],
        cwd=str(ROOT),
        timeout=HANG_LIMIT,
        parallel=PARALLEL_RUNS,
    )
    return {key: (run, run.seconds) for key, run in zip(wanted, runs)}


def test_the_spec_passes_against_the_real_asyncio():
    run = run_spec(cwd=str(ROOT), timeout=HANG_LIMIT)
    assert run.returncode == 0, run.output[-3000:]
    assert run.passed and not run.failed


@pytest.mark.parametrize("module, catch", list(_catches()))
def test_the_spec_fails_against_the_deviant(module, catch, deviant_runs):
    assert hasattr(module, catch.factory)
    run, elapsed = deviant_runs[(module.__name__, catch.factory)]
    assert run.returncode != 0, f"the spec passed against {catch.factory}"
    assert elapsed < HANG_LIMIT, f"the run was killed after {HANG_LIMIT} s"
    missed = catch.ids - run.failed
    assert not missed, f"these scenarios did not fail: {sorted(missed)}\n{run.output[-2000:]}"


@pytest.mark.parametrize(
    "module, factory",
    sorted(
        {(m, c.factory) for m, c in ((p.values[0], p.values[1]) for p in _catches()) if c.applies()},
        key=lambda mf: (mf[0].__name__, mf[1]),
    ),
    ids=lambda value: value.__name__.rsplit(".", 1)[1] if hasattr(value, "__name__") else value,
)
def test_the_deviant_fails_only_the_scenarios_about_its_behaviour(module, factory, deviant_runs):
    """One deviation at a time: a deviant fails the scenarios that catch it
    and those registered as about the same behaviour (``also``), and every
    other scenario of their feature files passes."""
    allowed = set()
    for catch in deviants.catches(module):
        if catch.factory == factory:
            allowed |= catch.ids | catch.also
    run, _ = deviant_runs[(module.__name__, factory)]
    others = run.failed - allowed
    assert not others, (
        f"{factory} also fails {sorted(others)}: register them with also=(...) "
        f"if they are about the same behaviour\n{run.output[-2000:]}"
    )


def _factories(module):
    """What ``-D loop=MODULE:NAME`` can name: the module's public callables,
    bar classes and what it imports from the deviants package."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and callable(value)
        and not isinstance(value, type)
        and value is not getattr(deviants, name, None)
    }


def test_every_deviant_is_catalogued():
    for module in _modules():
        registered = {c.factory for c in deviants.catches(module)}
        factories = _factories(module)
        assert factories == registered, (
            f"{module.__name__}: unregistered {sorted(factories - registered)}, "
            f"registered but not a factory {sorted(registered - factories)}"
        )


@pytest.fixture
def scratch(monkeypatch):
    """A module of its own to register deviants in, and an empty registry."""
    module = types.ModuleType("scratch_deviants")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(deviants, "REGISTRY", {})
    exec("from tests.deviants import deviant", vars(module))
    return module


def test_a_deviant_mixin_becomes_a_factory_in_its_module(scratch):
    exec(
        "@deviant('twice', 'a.b', python='<=3.9')\n"
        "@deviant('twice', 'c.d', python='>=3.10')\n"
        "class Mixin:\n"
        "    pass\n",
        vars(scratch),
    )
    assert scratch.twice.__qualname__.startswith("deviant_loop.")
    assert [(c.factory, c.ids) for c in deviants.catches(scratch)] == [("twice", {"c.d"}), ("twice", {"a.b"})]


def test_a_deviant_name_is_bound_to_one_factory(scratch):
    exec("deviant('once', 'a.b')(lambda: None)", vars(scratch))
    with pytest.raises(ValueError, match="two different targets"):
        exec("deviant('once', 'c.d')(lambda: None)", vars(scratch))


def test_a_catch_applies_within_its_ored_python_ranges():
    catch = deviants.Catch("f", "a.b", python_ranges=("3.12.1..3.12", "3.13.0..3.13.14"))
    assert catch.applies((3, 12, 9)) and catch.applies((3, 13, 14))
    assert not catch.applies((3, 12, 0)) and not catch.applies((3, 13, 15))
    assert not catch.applies((3, 14, 0))


def test_a_catch_applies_where_its_python_condition_holds():
    catch = deviants.Catch("f", "a.b", python=">=3.11.7, <=3.11")
    assert catch.applies((3, 11, 7)) and catch.applies((3, 11, 12))
    assert not catch.applies((3, 11, 6)) and not catch.applies((3, 12, 0))
    assert deviants.Catch("f", "a.b", python="==3.12.1").applies((3, 12, 1))
    assert not deviants.Catch("f", "a.b", python="==3.12.1").applies((3, 12, 2))
