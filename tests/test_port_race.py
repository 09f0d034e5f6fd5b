"""A verdict never depends on other processes: eight runs side by side, on a
machine where another process takes every port the moment a server lets it go.

tests/loop_traps/port_thief.py is asyncio's own loop, except that each
server.close() returns only once a helper process listens on all interfaces
at the port the server had.  The refusal checks that follow then *are*
accepted -- by that other process.  The spec must see that no socket of its
own listens there and pass; this cannot pass by luck, since every close is
followed by a theft (the test counts them).
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .spec_runs import run_spec
from .unmeasured import unmeasured

ROOT = Path(__file__).resolve().parents[1]
RUNS = 8
FEATURES = [
    "features/closing.feature",
    "features/serve_forever.feature",
    "features/context_manager.feature",
    "features/serving.feature",
    "features/sockets.feature",
]

pytestmark = pytest.mark.slow


def test_eight_runs_side_by_side_pass_though_every_closed_port_is_taken(tmp_path):
    log = tmp_path / "thefts.log"
    env = unmeasured(dict(os.environ, PORT_THIEF_LOG=str(log)))

    def one_run(_):
        return run_spec(
            ["-D", "loop=tests.loop_traps.port_thief:port_thief", "-D", "isolate=off", *FEATURES],
            cwd=str(ROOT),
            timeout=240,
            env=env,
        )

    with ThreadPoolExecutor(max_workers=RUNS) as pool:
        runs = list(pool.map(one_run, range(RUNS)))
    for run in runs:
        assert run.returncode == 0, run.output[-3000:]
        assert not run.failed and len(run.passed) >= 30
    thefts = [line.split() for line in log.read_text().splitlines()]
    taken = [t for t in thefts if t[2] == "took"]
    by_process = {pid for pid, _, _ in taken}
    assert len(by_process) >= RUNS, "every run must have met a thief"
    assert len(taken) >= RUNS * 20, f"only {len(taken)} ports were taken"


def test_a_probe_accepted_by_another_process_is_not_this_process_listening():
    """The mechanism, directly: another process listens on all interfaces at a
    port; a plain connection to this process's loopback address there *is*
    accepted, yet the refusal check finds no listener of this process."""
    import asyncio
    import socket
    import subprocess
    import sys

    from asyncio_server_spec.reference import kernel, probes

    other = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import socket, sys\n"
            "s = socket.socket(); s.bind(('0.0.0.0', 0)); s.listen(4)\n"
            "print(s.getsockname()[1], flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        universal_newlines=True,
    )
    try:
        port = int(other.stdout.readline())
        address = (kernel.loopback_address(), port)
        with socket.create_connection(address, timeout=2):
            pass  # accepted, by the other process
        assert kernel.listener_owner(address) == "other process"
        assert asyncio.run(probes.refusal_problem(address)) is None
        mine = socket.socket()
        mine.bind((kernel.loopback_address(), 0))
        mine.listen(1)
        with mine:
            assert "a listening socket of this process" in asyncio.run(
                probes.refusal_problem(mine.getsockname())
            )
    finally:
        other.stdin.close()
        other.wait(5)
