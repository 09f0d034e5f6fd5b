"""The side-by-side tool runs its rounds and counts what failed; it judges
nothing itself (the issue's check is its figures on the whole spec)."""

import pytest

from asyncio_server_spec import side_by_side

REUSE_ADDRESS = "--tags=id:socket-options.reuse-address-off or id:socket-options.reuse-address-default"


def _rows(out):
    lines = out.splitlines()
    assert "beside 1 CPU burner(s), 1 round(s)" in lines[0]
    assert lines[1].split()[:3] == ["round", "seconds", "failed"]
    return lines[2].split(), lines[3:]


def test_two_runs_beside_a_burner_pass_and_the_time_wait_count_is_shown(capsys):
    assert side_by_side.main(["--runs", "2", "--burners", "1", "--rounds", "1", "--", REUSE_ADDRESS]) == 0
    row, rest = _rows(capsys.readouterr().out)
    assert row[0] == "1" and float(row[1]) > 0 and row[2] == "0/2"
    assert all(int(count) >= 0 for count in row[3:6]), row
    assert row[6] == "-" and rest == ["0 of 2 runs failed"]


def test_the_failures_of_every_run_are_counted_by_scenario(capsys):
    args = ["--runs", "2", "--burners", "1", "--rounds", "1"]
    args += [
        "--loop",
        "tests.deviants.tcp:reuse_address_always",
        "--",
        REUSE_ADDRESS,
        "--expectations",
        "off",
    ]
    assert side_by_side.main(args) == 0
    row, rest = _rows(capsys.readouterr().out)
    assert row[2] == "2/2" and row[6:] == ["socket-options.reuse-address-off", "x2"]
    assert rest[0] == "2 of 2 runs failed"
    assert rest[1].split()[:3] == ["2", "socket-options.reuse-address-off", "(first:"]
    assert "diverged: expected OSError, got <Server" in rest[1]


@pytest.mark.parametrize("argv", [["--runs", "0"], ["--rounds", "x"], ["--burners", "-1"]])
def test_a_count_out_of_range_is_a_usage_error(argv, capsys):
    with pytest.raises(SystemExit) as info:
        side_by_side.main(argv)
    assert info.value.code == 2
    assert "is not a whole number of at least" in capsys.readouterr().err
