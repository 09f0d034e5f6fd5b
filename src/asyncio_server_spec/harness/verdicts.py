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
On a loop other than asyncio, a scenario tagged ``@cpython_bug`` (it records
a CPython bug) never fails: the loop *shares* the bug (the scenario passed)
or *avoids* it; the summary and the report show which, apart from the rest.

The summary groups the failures by root cause, what to fix first at the top
(:mod:`.root_causes`).
"""

from dataclasses import dataclass, field
from typing import Optional

from . import root_causes

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
#: a loop not built on CPython's did what a known CPython bug does (the @cpython_bug scenario passed)
SHARES_BUG = "shares-cpython-bug"
#: a loop not built on CPython's behaved otherwise where CPython has a known bug
AVOIDS_BUG = "avoids-cpython-bug"
#: the verdicts that record a known CPython bug; they never fail a run and are not counted
KNOWN_BUG = (SHARES_BUG, AVOIDS_BUG)

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
        """The end-of-run summary: the counts, the capabilities missing as a
        whole, the known CPython bugs apart, then every failure grouped by root
        cause, what to fix first at the top (see :mod:`.root_causes`)."""
        counted = [o for o in self.outcomes if o.verdict not in (NOT_APPLICABLE,) + KNOWN_BUG]
        lines = [
            "",
            f"Verdict: {heading}",
            f"  {len(counted)} scenarios applied: {self.count(PASS)} passed, "
            f"{self.count(EXPECTED_FAILURE)} expected failure(s), "
            f"{self.count(UNEXPECTED_FAILURE)} unexpected failure(s), "
            f"{self.count(UNEXPECTED_PASS)} unexpected pass(es), "
            f"{self.count(HARNESS_ERROR)} harness error(s); "
            f"{self.count(NOT_APPLICABLE)} not applicable here",
        ]
        by_status = {}
        for o in counted:
            if o.status != PASSED:
                by_status[o.status] = by_status.get(o.status, 0) + 1
        if by_status:
            lines.append(
                "  what failed: " + ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
            )
        failures = [o for o in counted if o.verdict in (UNEXPECTED_FAILURE, HARNESS_ERROR, EXPECTED_FAILURE)]
        missing = root_causes.digest(failures)
        if missing:
            lines.append(
                root_causes.cap(
                    "  missing as a whole: " + "; ".join(f"{name}: {n} scenario(s)" for name, n in missing)
                )
            )
        lines.extend(_known_bugs(self.outcomes))
        for verdict in (HARNESS_ERROR, UNEXPECTED_FAILURE, UNEXPECTED_PASS, EXPECTED_FAILURE):
            lines.extend(_group(verdict, [o for o in self.outcomes if o.verdict == verdict]))
        return "\n".join(lines)


def _known_bugs(outcomes):
    """The known-CPython-bug lines: which bugs the loop shares, which it avoids."""
    lines = []
    for verdict, words in ((SHARES_BUG, "shares"), (AVOIDS_BUG, "avoids")):
        ids = sorted(o.id for o in outcomes if o.verdict == verdict)
        if ids:
            lines.append(root_causes.cap(f"    {words} {len(ids)}: {root_causes.list_ids(ids)}"))
    if lines:
        lines.insert(0, "  CPython's known bugs (not counted):")
    return lines


def _reason(outcome):
    return (outcome.expectation or {}).get("reason") or outcome.message


def _group(verdict, outcomes):
    """Lines for the outcomes of one verdict, grouped by root cause (a missing
    capability, or one message once ports, fds and addresses are set aside;
    an expected failure by its listed reason), what to fix first at the top;
    every line at most :data:`.root_causes.LINE_LIMIT` characters."""
    if not outcomes:
        return []
    cap = root_causes.cap
    expected = verdict == EXPECTED_FAILURE
    groups = root_causes.group(outcomes, key=_reason if expected else None)
    lines = ["", f"{_HEADINGS[verdict]}: {len(outcomes)}"]
    if len(groups) > 1:
        lines[-1] += f", in {len(groups)} groups, what to fix first at the top"
    for g in groups:
        first = min(g.members, key=lambda m: m.id)
        status = ", ".join(g.statuses)
        what = f"{g.capability.name} -- " if g.capability else ""
        if len(g.members) == 1:
            lines.append(cap(f"  [{status}] {what}{first.id}"))
        else:
            ids = g.ids
            head = f"  [{status}] {what}{len(ids)} scenarios: "
            lines.append(cap(head + root_causes.list_ids(ids, room=root_causes.LINE_LIMIT - len(head))))
        lines.extend(_steps_line(g))
        if expected and first.expectation:
            link = first.expectation.get("link")
            lines.append(cap(f"      reason: {_reason(first)}" + (f" ({link})" if link else "")))
            if not g.varied:
                lines.extend(root_causes.message_lines(g.example, "      ", "observed: "))
        else:
            lines.extend(root_causes.message_lines(g.example, "      ", "e.g. " if g.varied else ""))
    return lines


def _steps_line(group):
    """``at step: X`` for a group; where the members failed at several steps,
    the most frequent first, with how many failed at each."""
    ranked = group.steps
    if not ranked:
        return []
    if len(ranked) == 1:
        return [root_causes.cap(f"      at step: {ranked[0][0]}")]
    shown = "; ".join(f"{step} ({n})" for step, n in ranked[:3])
    more = f"; and {len(ranked) - 3} other step(s)" if len(ranked) > 3 else ""
    return [root_causes.cap(f"      at steps: {shown}{more}")]
