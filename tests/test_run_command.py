"""Loop names: a factory must make an asyncio event loop."""

import pytest

from asyncio_server_spec.loops import LoopSelectionError, checked_loop_factory


def returns_nothing():
    """A module:factory target that does not make a loop."""


def raises():
    """A module:factory target that fails."""
    raise RuntimeError("no loop today\nsecond line")


# -- a loop must be a loop ------------------------------------------------------------
@pytest.mark.parametrize("name, message", [
    ("builtins:object",
     "loop 'builtins:object': its factory returned a builtins.object, not an asyncio event loop"),
    ("tests.test_run_command:returns_nothing", "its factory returned a builtins.NoneType"),
    ("tests.test_run_command:raises", "calling its factory raised RuntimeError: no loop today;"),
    ("tokio", "unknown loop 'tokio'"),
])
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
