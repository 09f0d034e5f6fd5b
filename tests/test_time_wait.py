"""A verdict must not depend on the machine's TIME_WAIT table, and a run must
not fill it for everyone else.

The kernel keeps connections in TIME_WAIT in one table per network namespace,
shared by every process, at most ``net.ipv4.tcp_max_tw_buckets`` of them;
when it is full it keeps none.  These runs happen in a network namespace of
their own (tests/netns.py), where that table can be made to hold nothing and
where what a run leaves behind is counted alone.
"""

import sys
from pathlib import Path

import pytest

from . import netns

ROOT = Path(__file__).resolve().parents[1]
REUSE_ADDRESS = "id:socket-options.reuse-address-off or id:socket-options.reuse-address-default"

pytestmark = pytest.mark.skipif(not netns.available(), reason="needs unshare -rn (a network namespace)")


def _behave(*args):
    return [sys.executable, "-m", "behave", "--format", "progress", *args]


@pytest.mark.parametrize("tw_buckets", [0, None], ids=["no-time-wait-kept", "default-table"])
def test_the_reuse_address_scenarios_pass_whether_or_not_the_kernel_keeps_time_wait(tw_buckets):
    run = netns.run_isolated(
        _behave("--tags", REUSE_ADDRESS, "features/socket_options.feature"), str(ROOT), tw_buckets
    )
    assert run["returncode"] == 0, run["output"][-3000:]
    assert "2 scenarios passed, 0 failed" in run["output"], run["output"][-3000:]


def test_reuse_address_off_still_catches_a_server_that_always_reuses_with_no_time_wait_kept():
    run = netns.run_isolated(
        _behave(
            "-D",
            "loop=tests.deviants.tcp:reuse_address_always",
            "--tags",
            REUSE_ADDRESS,
            "features/socket_options.feature",
        ),
        str(ROOT),
        tw_buckets=0,
    )
    assert run["returncode"] != 0, run["output"][-3000:]
    assert "socket-options.reuse-address-off" in run["output"]
    assert "1 scenario passed, 1 failed" in run["output"], run["output"][-3000:]


def test_a_load_leaves_no_connection_in_time_wait():
    # 200 clients at once and 200 one after another used to leave 400
    run = netns.run_isolated(
        _behave("-D", "load_clients=200", "features/load.feature"), str(ROOT), tw_buckets=None
    )
    assert run["returncode"] == 0, run["output"][-3000:]
    assert "2 scenarios passed, 0 failed" in run["output"], run["output"][-3000:]
    # the warm-up's one echoed client may close first
    assert run["time_wait"] <= 2, run["time_wait_connections"]


@pytest.mark.slow  # the whole spec
def test_a_whole_run_leaves_at_most_a_few_dozen_connections_in_time_wait():
    run = netns.run_isolated(_behave(), str(ROOT), tw_buckets=None)
    assert run["returncode"] == 0, run["output"][-3000:]
    assert run["time_wait"] <= 36, run["time_wait_connections"]
