"""The verdict on a loop: how each scenario's outcome counts, and the summary.

Each scenario ends with a *status* (what happened) and a *verdict* (how it
counts, given the loop's expectations file):

====================  ==============================================================
status                meaning
====================  ==============================================================
passed                every step held
diverged              a step saw the loop do something other than the spec states
crashed               the process running the scenario died (signal, exit)
timed-out             the scenario outlived its time limit and was killed
cleanup               every step held, but cleanup found a problem (a leaked fd...)
harness-error         the spec's own code failed -- a bug of ours, never the loop's
not-applicable        an active tag excludes it on this Python, loop or OS
====================  ==============================================================

A failure the expectations file lists is an *expected failure*; a listed
scenario that passes is an *unexpected pass* (it fails the run, so stale
entries are noticed); a harness error always fails the run, listed or not.
"""

from dataclasses import dataclass, field
from typing import Optional

# -- statuses: what happened (DIVERGED to HARNESS_ERROR: the kinds of failure) ------
PASSED = "passed"
DIVERGED = "diverged"
CRASHED = "crashed"
TIMED_OUT = "timed-out"
CLEANUP = "cleanup"
HARNESS_ERROR = "harness-error"  # a status and a verdict
NOT_APPLICABLE = "not-applicable"  # a status and a verdict

# -- verdicts: how it counts --------------------------------------------------------
PASS = "pass"
EXPECTED_FAILURE = "expected-failure"
UNEXPECTED_FAILURE = "unexpected-failure"
UNEXPECTED_PASS = "unexpected-pass"
# a scenario that records a CPython bug, on a loop not built on CPython's (see known_bugs.py)
SHARES_BUG = "shares-cpython-bug"
AVOIDS_BUG = "avoids-cpython-bug"

#: verdicts that fail a run
FAILING = (UNEXPECTED_FAILURE, UNEXPECTED_PASS, HARNESS_ERROR)

_HEADINGS = {
    UNEXPECTED_FAILURE: "UNEXPECTED FAILURE",
    UNEXPECTED_PASS: "UNEXPECTED PASS",
    HARNESS_ERROR: "HARNESS ERROR (a bug of the spec, not of the loop)",
    EXPECTED_FAILURE: "expected failure",
}


@dataclass
class Outcome:
    """One scenario's result, as the results log and the summary show it."""

    id: str
    feature: str
    name: str
    status: str
    verdict: str
    message: Optional[str] = None
    step: Optional[str] = None
    expectation: Optional[dict] = None
    duration: float = 0.0

    #: the fields of a results log's scenario record, in the order it writes them
    FIELDS = ("id", "feature", "name", "status", "verdict", "expectation", "message", "step", "duration")

    def record(self):
        return {k: getattr(self, k) for k in self.FIELDS}

    @classmethod
    def from_record(cls, record):
        """The outcome a results log's scenario *record* holds."""
        return cls(**{k: record.get(k) for k in cls.FIELDS})


def decide(kind, message, expected, source=None):
    """``(status, verdict, message)`` for a scenario whose first failure was
    *kind* (None: it passed) with *message*, given its expectation (or None)
    from the expectations file *source*."""
    if kind is None:
        if expected is None:
            return PASSED, PASS, None
        return (
            PASSED,
            UNEXPECTED_PASS,
            (f"listed in {source} as failing ({expected.reason}), but it passed: remove the entry"),
        )
    if kind == HARNESS_ERROR:
        return kind, HARNESS_ERROR, message
    return kind, EXPECTED_FAILURE if expected is not None else UNEXPECTED_FAILURE, message


@dataclass
class Verdicts:
    """Every scenario outcome of a run, and the summary printed at its end."""

    outcomes: list = field(default_factory=list)

    def add(self, outcome):
        self.outcomes.append(outcome)

    def count(self, verdict):
        return sum(1 for o in self.outcomes if o.verdict == verdict)

    @property
    def failed(self):
        return any(o.verdict in FAILING for o in self.outcomes)

    def summary(self, heading):
        applicable = [o for o in self.outcomes if o.verdict != NOT_APPLICABLE]
        lines = [
            "",
            f"Verdict: {heading}",
            f"  {len(applicable)} scenarios applied: {self.count(PASS)} passed, "
            f"{self.count(EXPECTED_FAILURE)} expected failure(s), "
            f"{self.count(UNEXPECTED_FAILURE)} unexpected failure(s), "
            f"{self.count(UNEXPECTED_PASS)} unexpected pass(es), "
            f"{self.count(HARNESS_ERROR)} harness error(s); "
            f"{self.count(NOT_APPLICABLE)} not applicable here",
        ]
        by_status = {}
        for o in applicable:
            if o.status != PASSED:
                by_status[o.status] = by_status.get(o.status, 0) + 1
        if by_status:
            lines.append(
                "  what failed: " + ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
            )
        for verdict in (HARNESS_ERROR, UNEXPECTED_FAILURE, UNEXPECTED_PASS, EXPECTED_FAILURE):
            lines.extend(_group(verdict, [o for o in self.outcomes if o.verdict == verdict]))
        return "\n".join(lines)


def _group(verdict, outcomes):
    """Lines for the outcomes of one verdict; identical failures (same status and
    message) are listed once, with every id they struck."""
    if not outcomes:
        return []
    groups = {}
    for o in outcomes:
        reason = o.expectation["reason"] if verdict == EXPECTED_FAILURE and o.expectation else None
        groups.setdefault((o.status, reason or o.message), []).append(o)
    lines = ["", f"{_HEADINGS[verdict]}: {len(outcomes)}"]
    for (status, text), members in groups.items():
        first = members[0]
        if len(members) == 1:
            lines.append(f"  [{status}] {first.id}")
            if first.step:
                lines.append(f"      at step: {first.step}")
        else:
            lines.append(f"  [{status}] {len(members)} scenarios: " + ", ".join(m.id for m in members))
            lines.extend(_steps_line(members))
        if verdict == EXPECTED_FAILURE and first.expectation:
            link = first.expectation.get("link")
            lines.append(f"      reason: {text}" + (f" ({link})" if link else ""))
            observed = {m.message for m in members}
            if len(observed) == 1:
                lines.append(f"      observed: {observed.pop()}")
        else:
            lines.append(f"      {text}")
    return lines


def _steps_line(members):
    """``at step: X`` for a group; where the members failed at several steps,
    the most frequent first, with how many failed at each."""
    counts = {}
    for m in members:
        if m.step:
            counts[m.step] = counts.get(m.step, 0) + 1
    if not counts:
        return []
    if len(counts) == 1:
        return [f"      at step: {next(iter(counts))}"]
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    shown = "; ".join(f"{step} ({n})" for step, n in ranked[:3])
    more = f"; and {len(ranked) - 3} other step(s)" if len(ranked) > 3 else ""
    return [f"      at steps: {shown}{more}"]
