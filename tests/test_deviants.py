"""The spec must catch every deliberately deviant server -- and pass on the real one.

Each module in tests/deviants declares CATCHES: a deviant loop factory and
the scenario ids that must fail against it.  The whole spec is run against
each deviant in a child process, bounded in time.
"""

import importlib
import pkgutil
import time
from pathlib import Path

import pytest

from asyncio_server_spec.spec_run import run_spec

from . import deviants

ROOT = Path(__file__).resolve().parents[1]
#: A deviant that hangs must fail the spec well within this many seconds.
HANG_LIMIT = 60


def _catches():
    for info in pkgutil.iter_modules(deviants.__path__):
        module = importlib.import_module("tests.deviants." + info.name)
        for catch in getattr(module, "CATCHES", []):
            yield pytest.param(
                module.__name__, catch, id="{}:{}".format(info.name, catch.factory),
                marks=() if catch.applies() else pytest.mark.skip(
                    reason="this deviation is the real behaviour on this Python"),
            )


def test_the_spec_passes_against_the_real_asyncio():
    run = run_spec(cwd=str(ROOT), timeout=HANG_LIMIT)
    assert run.returncode == 0, run.output[-3000:]
    assert run.passed and not run.failed


@pytest.mark.parametrize("module, catch", list(_catches()))
def test_the_spec_fails_against_the_deviant(module, catch):
    assert hasattr(importlib.import_module(module), catch.factory)
    started = time.monotonic()
    run = run_spec(["-D", "loop={}:{}".format(module, catch.factory)],
                   cwd=str(ROOT), timeout=HANG_LIMIT)
    elapsed = time.monotonic() - started
    assert run.returncode != 0, "the spec passed against {}".format(catch.factory)
    assert elapsed < HANG_LIMIT
    missed = catch.ids - run.failed
    assert not missed, "these scenarios did not fail: {}\n{}".format(
        sorted(missed), run.output[-2000:])


def test_every_deviant_is_catalogued():
    for info in pkgutil.iter_modules(deviants.__path__):
        module = importlib.import_module("tests.deviants." + info.name)
        names = {c.factory for c in getattr(module, "CATCHES", [])}
        factories = {n for n, v in vars(module).items()
                     if callable(v) and getattr(v, "__qualname__", "").startswith("deviant_loop.")}
        assert factories <= names, "{}: uncatalogued {}".format(info.name, factories - names)
