"""Python versions as the spec writes them, compared at the precision written.

One module for every place that names versions: active tags
(``@use.with_python.min_version=3.12.1``, ``@use.with_python=3.13.0..3.13.14``),
expectation files (``python = ">=3.10, <3.12"``) and the deviants.

"At the precision written" means a version is compared with the running
Python's first as many parts as it has: ``3.11`` matches every 3.11.x, so
``<= 3.11`` admits 3.11.9, ``< 3.12`` admits 3.11.9 but not 3.12.0, and
``>= 3.12.1`` excludes 3.12.0.
"""

import operator
import re
import sys

OPERATORS = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_CLAUSE = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+){0,2})\s*$")
_VERSION = re.compile(r"^\d+(?:\.\d+){0,2}$")


def parse(text):
    """``"3.12.1"`` -> ``(3, 12, 1)``; ValueError for anything else."""
    if not _VERSION.match(text.strip()):
        raise ValueError(f"{text!r} is not a version like 3.12 or 3.12.1")
    return tuple(int(part) for part in text.strip().split("."))


def running(version_info=None):
    """The running (or given) Python version as a 3-tuple."""
    return tuple(version_info or sys.version_info)[:3]


def compare(op, version, wanted):
    """``op(version, wanted)`` with *version* cut to *wanted*'s precision."""
    return op(tuple(version)[: len(wanted)], wanted)


def condition(text):
    """Parse ``">=3.10, <3.12"`` into a predicate on a version tuple: every
    clause of an alternative holds.  Alternatives are joined by ``or``:
    ``">=3.12.1, <3.13 or >=3.13.0, <3.13.15"`` (a fix that reached each
    line in a different patch release)."""
    alternatives = []
    for alternative in text.split(" or "):
        clauses = []
        for part in alternative.split(","):
            match = _CLAUSE.match(part)
            if not match:
                raise ValueError(
                    f"{text!r} is not a condition like '>=3.12', '>=3.10, <3.12' or '<3.12 or >=3.13'"
                )
            clauses.append((OPERATORS[match.group(1)], parse(match.group(2))))
        alternatives.append(clauses)

    def holds(version):
        return any(all(compare(op, version, wanted) for op, wanted in clauses) for clauses in alternatives)

    return holds


def in_range(text, version):
    """Whether *version* lies in the inclusive range *text*.

    ``"3.13.0..3.13.14"`` (both ends inclusive, each at its own precision),
    ``"3.15.."`` (3.15.0 and later), ``"..3.11"`` (up to every 3.11.x) or a
    single version ``"3.13.0"`` (that release; ``"3.13"``: every 3.13.x).
    """
    low, dots, high = text.partition("..")
    if not dots:
        return compare(operator.eq, version, parse(text))
    if not low and not high:
        raise ValueError(f"{text!r} is not a range like 3.13.0..3.13.14, 3.15.. or ..3.11")
    return (not low or compare(operator.ge, version, parse(low))) and (
        not high or compare(operator.le, version, parse(high))
    )


def describe_range(text):
    """A short human form of a range: ``3.13.0–3.13.14``, ``3.15+``, ``≤ 3.11``."""
    low, dots, high = text.partition("..")
    if not dots:
        return text
    if low and high:
        return f"{low}–{high}"
    return f"{low}+" if low else f"≤ {high}"
