"""How outcomes count, and the summary a loop author reads."""

import pytest

from asyncio_server_spec.harness.expectations import Expectation
from asyncio_server_spec.harness.verdicts import (
    EXPECTED_FAILURE,
    HARNESS_ERROR,
    NOT_APPLICABLE,
    PASS,
    UNEXPECTED_FAILURE,
    UNEXPECTED_PASS,
    Outcome,
    Verdicts,
    decide,
)

KNOWN = Expectation("a.one", "known divergence", "https://example.invalid/1")


@pytest.mark.parametrize(
    "kind, expected, status, verdict",
    [
        (None, None, "passed", PASS),
        (None, KNOWN, "passed", UNEXPECTED_PASS),
        ("diverged", None, "diverged", UNEXPECTED_FAILURE),
        ("diverged", KNOWN, "diverged", EXPECTED_FAILURE),
        ("crashed", KNOWN, "crashed", EXPECTED_FAILURE),
        ("timed-out", None, "timed-out", UNEXPECTED_FAILURE),
        ("cleanup", None, "cleanup", UNEXPECTED_FAILURE),
        ("harness-error", None, "harness-error", HARNESS_ERROR),
        ("harness-error", KNOWN, "harness-error", HARNESS_ERROR),  # never excused by a listing
    ],
)
def test_decide_counts_each_outcome(kind, expected, status, verdict):
    got_status, got_verdict, message = decide(kind, "observed", expected, "x.toml")
    assert (got_status, got_verdict) == (status, verdict)
    if verdict == UNEXPECTED_PASS:
        assert message == "listed in x.toml as failing (known divergence), but it passed: remove the entry"


def _outcome(sid, status, verdict, message=None, step=None, expectation=None):
    return Outcome(sid, "a.feature", sid, status, verdict, message, step, expectation)


def test_the_summary_counts_and_groups_identical_failures():
    verdicts = Verdicts()
    for n in range(3):
        verdicts.add(
            _outcome(
                f"a.same-{n}",
                "diverged",
                UNEXPECTED_FAILURE,
                "no server could be created with start_server(): TypeError: no",
                "Given a server started with start_server",
            )
        )
    verdicts.add(_outcome("a.two", "crashed", UNEXPECTED_FAILURE, "killed by SIGSEGV", "When x"))
    verdicts.add(_outcome("a.three", "passed", UNEXPECTED_PASS, "listed, but it passed"))
    verdicts.add(_outcome("a.four", "harness-error", HARNESS_ERROR, "the spec's own code failed"))
    verdicts.add(
        _outcome(
            "a.five", "diverged", EXPECTED_FAILURE, "boom", "Then y", {"reason": "known", "link": "https://x"}
        )
    )
    verdicts.add(_outcome("a.six", NOT_APPLICABLE, NOT_APPLICABLE, "excluded"))
    lines = verdicts.summary("loop=x").splitlines()
    assert lines[1] == "Verdict: loop=x"
    assert lines[2] == (
        "  7 scenarios applied: 0 passed, 1 expected failure(s), "
        "4 unexpected failure(s), 1 unexpected pass(es), 1 harness error(s); "
        "1 not applicable here"
    )
    assert "  [diverged] 3 scenarios: a.same-0, a.same-1, a.same-2" in lines
    assert "      at step: Given a server started with start_server" in lines
    assert "  [crashed] a.two" in lines and "      killed by SIGSEGV" in lines
    assert "      reason: known (https://x)" in lines and "      observed: boom" in lines
    assert lines.index("HARNESS ERROR (a bug of the spec, not of the loop): 1") < lines.index(
        "UNEXPECTED FAILURE: 4"
    )
    assert verdicts.failed


def test_behave_failing_to_parse_a_steps_argument_is_a_harness_error():
    """A step whose argument does not parse is the spec's wording or code, never the loop."""
    from behave.matchers import StepParseError

    from asyncio_server_spec.harness import faults

    try:
        raise StepParseError(exc_cause=SyntaxError("invalid syntax"))
    except StepParseError as exc:
        kind, message = faults.classify(exc)
    assert kind == faults.HARNESS_ERROR
    assert message.startswith("behave could not run the step: StepParseError")
