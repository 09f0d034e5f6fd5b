"""The benchmark script prints its table; it judges nothing (issue targets are
shown beside the figures, never asserted as timings)."""

import pytest

from asyncio_server_spec import benchmark

pytestmark = pytest.mark.slow  # a full spec run


def test_the_table_has_a_row_per_loop_with_its_target_and_verdicts(capsys):
    assert benchmark.main(["asyncio"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Python ") and "--jobs" in lines[0]
    assert lines[1].split()[:4] == ["loop", "median", "s", "target"]
    row = lines[2].split()
    assert row[0] == "asyncio" and float(row[1]) > 0 and row[2] == "1.0"
    assert row[3] in ("yes", "NO") and row[4] == "0"  # exit status of the run
    assert "pass" in lines[2] and "unexpected" not in lines[2]


def test_an_unknown_loop_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        benchmark.main(["nosuchloop"])
    assert info.value.code == 2
    assert "unknown loop(s) nosuchloop; accepted: asyncio, uvloop, rloop, silent" in (capsys.readouterr().err)
