from asyncio_server_spec.verdicts import (
    EXPECTED_FAILURE, UNEXPECTED_FAILURE, UNEXPECTED_PASS, Verdicts)


def test_the_summary_lists_each_divergence_and_counts_them():
    verdicts = Verdicts()
    verdicts.add(EXPECTED_FAILURE, "a.one", "known (https://x) -- observed: boom")
    verdicts.add(UNEXPECTED_FAILURE, "a.two", "no echo")
    verdicts.add(UNEXPECTED_PASS, "a.three", "listed, but it passed")
    text = verdicts.summary("loop=x")
    lines = text.splitlines()
    assert lines[1] == "Divergence summary: loop=x"
    assert "  expected failure   a.one" in lines
    assert "  UNEXPECTED FAILURE a.two" in lines
    assert "      no echo" in lines
    assert lines[-1] == "  1 expected failure(s), 1 unexpected failure(s), 1 unexpected pass(es)"
