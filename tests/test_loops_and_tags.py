import asyncio
import sys

import pytest

from asyncio_server_spec.harness import active_tags, versions
from asyncio_server_spec.harness.loops import LoopSelectionError, loop_factory


def make_loop():
    """A module:factory target for the tests."""
    return asyncio.new_event_loop()


NOT_CALLABLE = 7


def test_asyncio_is_a_known_loop():
    loop = loop_factory("asyncio")()
    try:
        assert isinstance(loop, asyncio.AbstractEventLoop)
    finally:
        loop.close()


def test_module_factory_names_any_callable():
    assert loop_factory("tests.test_loops_and_tags:make_loop") is make_loop


@pytest.mark.parametrize(
    "name, message",
    [
        (
            "nonesuch",
            "unknown loop 'nonesuch'; accepted: asyncio, uvloop, rloop, a loop of the registry (loops.toml) "
            "or package.module:factory",
        ),
        (":make_loop", "not of the form package.module:factory"),
        ("tests.test_loops_and_tags:", "not of the form package.module:factory"),
        ("tests.test_loops_and_tags:NOT_CALLABLE", "is not a callable that makes an event loop"),
        ("tests.test_loops_and_tags:missing", "is not a callable that makes an event loop"),
        ("no_such_pkg.mod:factory", "needs the module 'no_such_pkg.mod', which cannot be imported"),
    ],
)
def test_bad_loop_names_get_one_clear_line(name, message):
    with pytest.raises(LoopSelectionError) as info:
        loop_factory(name)
    text = str(info.value)
    assert message in text
    assert "\n" not in text


def test_a_missing_known_loop_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import fails
    with pytest.raises(LoopSelectionError, match=r"pip install 'asyncio-server-spec\[uvloop\]'$"):
        loop_factory("uvloop")
    monkeypatch.setitem(sys.modules, "rloop", None)
    with pytest.raises(LoopSelectionError, match=r"\[rloop\]' \(rloop needs Python 3.10 or later\)"):
        loop_factory("rloop")


@pytest.mark.parametrize(
    "running, tag, category, expected",
    [
        ((3, 11, 7), "3.11", "python.max_version", True),
        ((3, 11, 7), "3.10", "python.max_version", False),
        ((3, 12, 1), "3.12.1", "python.min_version", True),
        ((3, 12, 0), "3.12.1", "python.min_version", False),
        ((3, 13, 0), "3.12.1", "python.min_version", True),
        ((3, 8, 18), "3.11", "python.min_version", False),
    ],
)
def test_versions_compare_at_the_precision_written(running, tag, category, expected):
    provider = active_tags.value_provider("asyncio", running)
    assert provider[category].matches(tag) is expected


def test_a_bad_version_in_a_tag_is_named():
    with pytest.raises(ValueError, match=r"'3\.x' is not a version"):
        active_tags.value_provider("asyncio", (3, 11, 7))["python.min_version"].matches("3.x")


SERVE_FOREVER_WAITS = [
    "use.with_python=3.12.1..3.12",
    "use.with_python=3.13.0..3.13.14",
    "use.with_python=3.14.0..3.14.6",
]


@pytest.mark.parametrize(
    "running, runs",
    [
        ((3, 11, 7), False),
        ((3, 12, 0), False),
        ((3, 12, 1), True),
        ((3, 12, 15), True),
        ((3, 13, 0), True),
        ((3, 13, 14), True),
        ((3, 13, 15), False),
        ((3, 13, 18), False),
        ((3, 14, 6), True),
        ((3, 14, 7), False),
        ((3, 15, 2), False),
    ],
)
def test_range_tags_of_one_category_mean_any_of_them(running, runs):
    """Several @use.with_python=A..B tags: the scenario runs where any range holds."""
    matcher = active_tags.matcher("asyncio", running)
    assert matcher.should_skip_with_tags(SERVE_FOREVER_WAITS) is not runs


@pytest.mark.parametrize(
    "text, running, inside",
    [
        ("3.15..", (3, 15, 0), True),
        ("3.15..", (3, 14, 10), False),
        ("..3.11", (3, 11, 17), True),
        ("..3.11", (3, 12, 0), False),
        ("3.13.0", (3, 13, 0), True),
        ("3.13.0", (3, 13, 1), False),
        ("3.13", (3, 13, 18), True),
        ("3.14.7..3.14", (3, 14, 10), True),
        ("3.14.7..3.14", (3, 15, 0), False),
    ],
)
def test_a_range_is_inclusive_at_the_precision_of_each_end(text, running, inside):
    assert versions.in_range(text, running) is inside


@pytest.mark.parametrize("text", ["..", "3.x..3.12", "3.12..three"])
def test_a_bad_range_is_named(text):
    with pytest.raises(ValueError, match="is not a"):
        versions.in_range(text, (3, 12, 0))


def test_the_matcher_selects_scenarios_by_version_and_loop():
    matcher = active_tags.matcher("uvloop", (3, 11, 7))
    assert matcher.should_skip_with_tags(["use.with_python.min_version=3.12.1"])
    assert not matcher.should_skip_with_tags(["use.with_python.max_version=3.11"])
    assert matcher.should_skip_with_tags(["use.with_loop=asyncio"])
    assert not matcher.should_skip_with_tags(["use.with_loop=uvloop"])


def test_the_os_category_is_the_platform():
    matcher = active_tags.matcher("asyncio")
    assert not matcher.should_skip_with_tags([f"use.with_os={sys.platform}"])
    assert matcher.should_skip_with_tags(["use.with_os=plan9"])


@pytest.mark.parametrize(
    "running, holds",
    [
        ((3, 12, 0), False),
        ((3, 12, 1), True),
        ((3, 13, 14), True),
        ((3, 13, 15), False),
        ((3, 14, 6), True),
        ((3, 14, 7), False),
        ((3, 15, 2), False),
    ],
)
def test_an_expectation_condition_may_have_alternatives(running, holds):
    condition = versions.condition(">=3.12.1, <3.13 or >=3.13.0, <3.13.15 or >=3.14.0, <3.14.7")
    assert condition(running) is holds
