"""The report's model: the spec's scenarios against the results of every log.

Columns are (loop, Python implementation, exact version); when several logs
cover the same column, a later run (by its "started" time) overrides an
earlier one scenario by scenario.  Each (scenario, column) cell has one
category, derived from the record's verdict and status as the schema defines
them; a cell no log covered is "not run".
"""

import re
from collections import OrderedDict

from ..features import title
from ..harness import known_bugs, root_causes
from ..harness.verdicts import (
    AVOIDS_BUG,
    CLEANUP,
    CRASHED,
    DIVERGED,
    EXPECTED_FAILURE,
    HARNESS_ERROR,
    NOT_APPLICABLE,
    PASS,
    SHARES_BUG,
    TIMED_OUT,
    UNEXPECTED_FAILURE,
    UNEXPECTED_PASS,
)


class Category:
    """How a cell is shown: its short label, the legend's words, its CSS class."""

    def __init__(self, key, label, name, unexpected=False):
        self.key = key
        self.label = label
        self.name = name
        self.unexpected = unexpected


CATEGORIES = OrderedDict(
    (c.key, c)
    for c in [
        Category("pass", "pass", "passed"),
        Category("xfail", "xfail", "expected failure (listed in the loop's expectations; see its footnote)"),
        Category("fail", "FAIL", "unexpected failure: the loop diverged from the documented behaviour", True),
        Category("xpass", "XPASS", "unexpected pass: listed as an expected failure, but passed", True),
        Category("crash", "crash", "crashed: the process running the scenario died", True),
        Category(
            "timeout", "timeout", "timed out: the scenario exceeded its time limit and was killed", True
        ),
        Category(
            "harness", "harness", "harness error: the spec's own code failed (never the loop's fault)", True
        ),
        Category(
            "cleanup", "cleanup", "cleanup: the steps passed but something was left behind or hung", True
        ),
        Category(
            "bug", "bug", "shares a known CPython bug: the loop does what CPython's bug does (not counted)"
        ),
        Category("nobug", "no bug", "avoids a known CPython bug: the loop behaves otherwise (not counted)"),
        Category("na", "n/a", "not applicable on this Python/loop/OS (hover: the tag)"),
        Category("notrun", "–", "not run: no log covered this cell"),
        Category("unknown", "?", "a verdict this report does not know (a newer log schema?)", True),
    ]
)
UNEXPECTED = [key for key, category in CATEGORIES.items() if category.unexpected]
#: failures an expectations file can list (a harness error is the spec's bug)
LISTABLE = ("fail", "crash", "timeout", "cleanup")
#: every failure a loop's page groups by root cause
FAILURES = LISTABLE + ("harness", "xfail")
#: the cells of a scenario that records a known CPython bug: shown apart, not counted
KNOWN_BUG = ("bug", "nobug")
_FAILED_STATUS = {
    DIVERGED: "fail",
    CRASHED: "crash",
    TIMED_OUT: "timeout",
    CLEANUP: "cleanup",
    HARNESS_ERROR: "harness",
}
#: the verdicts that give a cell's category by themselves
_BY_VERDICT = {
    PASS: "pass",
    EXPECTED_FAILURE: "xfail",
    UNEXPECTED_PASS: "xpass",
    NOT_APPLICABLE: "na",
    SHARES_BUG: "bug",
    AVOIDS_BUG: "nobug",
}
LOOP_ORDER = ("asyncio", "uvloop", "rloop")


def categorize(record):
    """The category of a scenario record, from its verdict (and status)."""
    verdict, status = record.get("verdict"), record.get("status")
    if verdict == HARNESS_ERROR or (verdict == UNEXPECTED_FAILURE and status == HARNESS_ERROR):
        return "harness"
    if verdict in _BY_VERDICT:
        return _BY_VERDICT[verdict]
    if verdict == UNEXPECTED_FAILURE:
        return _FAILED_STATUS.get(status, "fail")
    return "unknown"


def version_key(text):
    """A sortable key of a version string such as ``3.13.18`` or ``3.14.0rc1``."""
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3]) + (text,)


def slug(name):
    """A file name for a loop name such as ``pkg.mod:factory``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "loop"


class Counts(dict):
    """Cells per category, with the sums the summaries show."""

    def add(self, key, n=1):
        self[key] = self.get(key, 0) + n

    @property
    def applicable(self):
        return sum(n for key, n in self.items() if key not in ("na", "notrun") + KNOWN_BUG)

    @property
    def passing(self):
        return self.get("pass", 0)

    @property
    def unexpected(self):
        return sum(self.get(key, 0) for key in UNEXPECTED)

    @property
    def failing(self):
        """Every failure, expected or not (the raw verdict's count)."""
        return sum(self.get(key, 0) for key in FAILURES)

    @property
    def percent(self):
        """Passing / applicable as a whole percentage, or None with nothing applicable."""
        return None if not self.applicable else int(100 * self.passing / self.applicable)

    @property
    def tone(self):
        """bad (anything unexpected), warn (expected failures), ok, or none."""
        if self.unexpected:
            return "bad"
        if self.get("xfail"):
            return "warn"
        return "ok" if self.applicable else "none"


class Column:
    """One loop on one exact Python: the logs that cover it."""

    def __init__(self, loop, implementation, version):
        self.loop = loop
        self.implementation = implementation
        self.version = version
        self.logs = []
        self.counts = Counts()

    @property
    def key(self):
        return (self.loop, self.implementation, self.version)

    @property
    def python(self):
        return f"{self.implementation} {self.version}"

    @property
    def sort_key(self):
        return (self.implementation != "CPython", self.implementation, version_key(self.version))

    @property
    def cut_short(self):
        return any(log.cut_short for log in self.logs)


class Loop:
    """A loop and its columns, one per Python it ran on."""

    def __init__(self, name):
        self.name = name
        self.slug = slug(name)
        self.columns = []
        self.versions = []  # the loop's own versions seen in the logs
        self.modules = []
        self.packages = []  # the loop's distribution, as the logs name it
        self.counts = Counts()
        #: the loop's entry in the registry (loops.toml), or None
        self.entry = None
        #: scenario id -> the upstream issue that already knows (expectations file)
        self.upstream = {}
        #: its failures by root cause, what to fix first first (:class:`Cause`)
        self.causes = []
        #: [(capability, scenarios)]: what it lacks as a whole
        self.missing = []
        #: category ("bug", "nobug") -> the known-CPython-bug scenario ids
        self.known_bugs = {"bug": [], "nobug": []}
        #: the survey's logs of runs that never started (did not install,
        #: refused, ...), unless a later run on that Python superseded them
        self.unrun = []

    @property
    def package(self):
        """Its PyPI package: the registry's, the logs', else the module's top."""
        if self.entry is not None and self.entry.package:
            return self.entry.package
        if self.packages:
            return self.packages[0]
        top = (self.modules[0] if self.modules else self.name.partition(":")[0]).split(".")[0]
        return top or None

    @property
    def short(self):
        """The name the matrix and the menu show: the registry's, or the part
        before a factory's colon (``async_solipsism`` for ``async_solipsism:EventLoop``)."""
        if self.entry is not None and self.entry.name:
            return self.entry.name
        return self.name.partition(":")[0] or self.name

    @property
    def tracker(self):
        return self.entry.tracker if self.entry is not None else None

    @property
    def pythons(self):
        """The Pythons it ran on, short: ``3.11.7, 3.14.2, PyPy 3.11.13``."""
        return [c.version if c.implementation == "CPython" else c.python for c in self.columns]

    @property
    def tried(self):
        """The Pythons the survey could not run it on, short, as :attr:`pythons`."""
        return [
            log.python_version if log.implementation == "CPython" else log.python_label for log in self.unrun
        ]

    @property
    def page(self):
        return f"loops/{self.slug}.html"

    @property
    def label(self):
        versions = ", ".join(v for v in self.versions if v)
        return f"{self.name} {versions}".strip()

    @property
    def sort_key(self):
        known = LOOP_ORDER.index(self.name) if self.name in LOOP_ORDER else len(LOOP_ORDER)
        return (known, self.name)


class Cause:
    """One root cause of a loop's failures (:class:`.root_causes.Group`), numbered
    in the order to fix them, with its scenarios' cells and upstream links."""

    def __init__(self, number, group, upstream):
        self.number = number
        self.anchor = f"cause-{number}"
        self.group = group
        self.capability = group.capability.name if group.capability else None
        self.status = group.status
        self.statuses = group.statuses
        self.example = group.example
        self.varied = group.varied
        self.steps = group.steps
        by_sid = OrderedDict((sid, []) for sid in group.ids)
        for item in group.members:
            by_sid[item.id].append(item.cell)
        #: [(scenario id, [cells])], by id
        self.scenarios = list(by_sid.items())
        #: the upstream issues that already know, each once
        self.links = list(OrderedDict.fromkeys(upstream[sid] for sid in by_sid if upstream.get(sid)))

    @property
    def tone(self):
        return "harness" if self.status == HARNESS_ERROR else "crash" if self.group.rank < 3 else "fail"


class _Failure:
    """A failing cell as :mod:`.root_causes` reads it."""

    def __init__(self, cell):
        record = cell.record
        self.cell = cell
        self.id = record["id"]
        self.feature = str(record.get("feature") or "")
        self.status = str(record.get("status") or "")
        self.message = record.get("message")
        self.step = record.get("step")


class Cell:
    """A scenario on a column: its category, the record behind it, its footnote."""

    def __init__(self, column, category, record=None, log=None, footnote=None):
        self.column = column
        self.category = CATEGORIES[category]
        self.record = record
        self.log = log
        self.footnote = footnote

    @property
    def message(self):
        return (self.record or {}).get("message")

    @property
    def step(self):
        return (self.record or {}).get("step")

    @property
    def expectation(self):
        return (self.record or {}).get("expectation") or None

    @property
    def title(self):
        """The hover text: what the cell means, and the tag or reason behind it."""
        key = self.category.key
        if key == "na":
            return "not applicable: {}".format(self.message or "no tag given")
        if key == "notrun":
            if self.column.cut_short:
                return f"not run: the run for {self.column.loop} on {self.column.python} was cut short"
            return f"not run: no log covered {self.column.loop} on {self.column.python}"
        if key == "xfail" and self.expectation:
            return "expected failure: {}".format(self.expectation.get("reason") or "")
        status = (self.record or {}).get("status")
        text = self.category.name.split(":")[0]
        return f"{text} ({status})" if status and key not in ("pass",) else text


class Footnote:
    """An expected failure's reason and upstream link, numbered for the index."""

    def __init__(self, number, reason, link):
        self.number = number
        self.reason = reason
        self.link = link
        self.anchor = f"fn-{number}"
        self.cells = []


class UnknownScenario:
    """A scenario id a log has and the spec does not (an older or newer spec)."""

    def __init__(self, record):
        self.id = record["id"]
        self.title = title(str(record.get("name") or ""))
        self.file = str(record.get("feature") or "")


class Report:
    """Everything the pages show."""

    def __init__(self, features, logs, registry=(), upstream=None):
        """*registry*: the loops.toml entries (:func:`.upstream.registry_entries`);
        *upstream*: a function giving a :class:`Loop`'s ``{scenario id: link}``.

        The report is a survey's (:attr:`survey`) when any log was written by
        the survey (``asyncio-server-spec survey`` labels its runs "survey");
        it then lists the registered loops that have no log (:attr:`not_run_here`)."""
        self.features = features
        self.scenarios = [s for feature in features for s in feature.scenarios]
        self.by_id = OrderedDict((s.id, s) for s in self.scenarios)
        self.logs = sorted(logs, key=lambda log: (str(log.header.get("started") or ""), log.path))
        for number, log in enumerate(self.logs, 1):
            log.anchor = f"run-{number}"
        self.loops, self.columns = self._columns()
        self.loop_by_name = {loop.name: loop for loop in self.loops}
        self.footnotes = OrderedDict()
        self.unknown = OrderedDict()
        self.cells = {}
        self._fill()
        self._survey(registry, upstream)
        #: True when the survey wrote any of the logs
        self.survey = any(log.of_survey for log in self.logs)
        #: [(registry entry, why it has no log)]: in a survey, the registered loops not run
        self.not_run_here = self._not_run_here(registry) if self.survey else []

    def _columns(self):
        loops, columns, unrun = {}, {}, []
        for log in self.logs:  # in order of starting
            loop = loops.setdefault(log.loop_name, Loop(log.loop_name))
            fields = (
                ("versions", log.loop.get("version")),
                ("modules", log.loop.get("module")),
                ("packages", log.loop.get("package")),
            )
            for attr, value in fields:
                if value and value not in getattr(loop, attr):
                    getattr(loop, attr).append(str(value))
            key = (log.loop_name, log.implementation, log.python_version)
            if log.unrun:  # no column: nothing ran
                unrun.append((key, log))
                continue
            if key not in columns:
                columns[key] = Column(*key)
                loop.columns.append(columns[key])
            columns[key].logs.append(log)
        for key, log in unrun:  # a later run on that Python supersedes it
            runs = columns[key].logs if key in columns else []
            if not any(run.started > log.started for run in runs):
                loops[key[0]].unrun.append(log)
        ordered = sorted(loops.values(), key=lambda loop: loop.sort_key)
        for loop in ordered:
            loop.columns.sort(key=lambda column: column.sort_key)
        return ordered, [column for loop in ordered for column in loop.columns]

    def _footnote(self, expectation):
        reason = str(expectation.get("reason") or "no reason given")
        link = expectation.get("link") or None
        key = (reason, link)
        if key not in self.footnotes:
            self.footnotes[key] = Footnote(len(self.footnotes) + 1, reason, link)
        return self.footnotes[key]

    def _fill(self):
        for log in self.logs:
            for sid, record in log.scenarios.items():
                if sid not in self.by_id and sid not in self.unknown:
                    self.unknown[sid] = UnknownScenario(record)
        for column in self.columns:
            latest = {}
            for log in column.logs:  # in order of starting: a later run wins
                for sid, record in log.scenarios.items():
                    latest[sid] = (record, log)
            for sid in list(self.by_id) + list(self.unknown):
                if sid not in latest:
                    cell = Cell(column, "notrun")
                else:
                    record, log = latest[sid]
                    cell = Cell(column, categorize(record), record, log)
                    if cell.category.key == "xfail":
                        cell.footnote = self._footnote(cell.expectation or {})
                        cell.footnote.cells.append(cell)
                self.cells[(sid, column.key)] = cell
                if sid in self.by_id:
                    column.counts.add(cell.category.key)
        for loop in self.loops:
            for column in loop.columns:
                for key, n in column.counts.items():
                    loop.counts.add(key, n)

    def _survey(self, registry, upstream):
        """Per loop: its registry entry, its failures by root cause, what it
        lacks as a whole, the known CPython bugs it shares or avoids."""
        from .upstream import registered

        for loop in self.loops:
            loop.entry = registered(registry, loop.name, loop.modules[0] if loop.modules else None)
            # a link to the tracker itself (as a draft gives every entry) is no issue that knows
            tracker = (loop.tracker or "").rstrip("/")
            links = upstream(loop) if upstream else {}
            loop.upstream = {sid: link for sid, link in links.items() if link.rstrip("/") != tracker}
            failures = [_Failure(cell) for cell in self.loop_cells(loop, FAILURES)]
            groups = root_causes.group(failures)
            loop.causes = [Cause(n, g, loop.upstream) for n, g in enumerate(groups, 1)]
            loop.missing = root_causes.digest(failures)
            for key in KNOWN_BUG:
                cells = self.loop_cells(loop, (key,))
                loop.known_bugs[key] = sorted({cell.record["id"] for cell in cells})

    def _not_run_here(self, registry):
        """The registered loops no log covers: skipped ones with the registry's
        reason, the others as having no results log."""
        covered = {loop.entry.name for loop in self.loops if loop.entry is not None}
        absent = "no results log: the survey did not run it, or its log is missing"
        return [(entry, entry.skip or absent) for entry in registry if entry.name not in covered]

    @property
    def matrix_loops(self):
        """The loops with a column in the matrix (a loop that never ran has none)."""
        return [loop for loop in self.loops if loop.columns]

    @property
    def known_bug_scenarios(self):
        """``[(scenario id, {category: [loop names]})]``: each scenario that records
        a known CPython bug (tagged, or given such a verdict), and how every loop fared."""
        ids = [s.id for s in self.scenarios if known_bugs.records_bug(s.tags)]
        for loop in self.loops:
            for key in KNOWN_BUG:
                ids.extend(sid for sid in loop.known_bugs[key] if sid not in ids)
        rows = []
        for sid in ids:
            fared = OrderedDict()
            for loop in self.loops:
                counts = self.loop_counts(sid, loop)
                ran = [key for key in CATEGORIES if counts.get(key) and key not in ("notrun",)]
                for key in ran:
                    fared.setdefault(key, []).append(loop.name)
            rows.append((sid, fared))
        return rows

    # -- views ----------------------------------------------------------------------
    def cell(self, sid, column):
        return self.cells[(sid, column.key)]

    def column_at(self, loop, implementation, version):
        """*loop*'s column on that Python, or None if it did not run there."""
        for column in loop.columns:
            if (column.implementation, column.version) == (implementation, version):
                return column
        return None

    def row(self, sid):
        return [self.cell(sid, column) for column in self.columns]

    def feature_counts(self, feature, column):
        counts = Counts()
        for scenario in feature.scenarios:
            counts.add(self.cell(scenario.id, column).category.key)
        return counts

    def loop_counts(self, sid, loop):
        """One scenario's cells on one loop, counted per category."""
        counts = Counts()
        for column in loop.columns:
            counts.add(self.cell(sid, column).category.key)
        return counts

    def has_unexpected(self, feature):
        return any(self.cell(s.id, c).category.unexpected for s in feature.scenarios for c in self.columns)

    def loop_cells(self, loop, keys, spec_only=False):
        """The cells of *loop* in the given categories, in spec then column order
        (with *spec_only*, leaving out ids the spec does not have)."""
        ids = list(self.by_id) if spec_only else list(self.by_id) + list(self.unknown)
        return [
            self.cell(sid, column)
            for sid in ids
            for column in loop.columns
            if self.cell(sid, column).category.key in keys
        ]

    def divergences(self, loop):
        """The loop's expected failures grouped by reason: (footnote, [(sid, [cells])])."""
        grouped = OrderedDict()
        for cell in self.loop_cells(loop, ("xfail",)):
            grouped.setdefault(cell.footnote, OrderedDict()).setdefault(self._sid(cell), []).append(cell)
        return [
            (footnote, list(by_sid.items()))
            for footnote, by_sid in sorted(grouped.items(), key=lambda item: item[0].number)
        ]

    def _sid(self, cell):
        return cell.record["id"]

    def python_condition(self, loop, sid, keys=LISTABLE):
        """A ``python = "..."`` condition for an expectations entry: the versions
        where *sid* fails on *loop*; "" when it fails on every one run, None
        when no single condition says it (the failing versions are not contiguous)."""
        ran, failing = set(), set()
        for column in loop.columns:
            category = self.cell(sid, column).category.key
            if category in ("na", "notrun"):
                continue
            ran.add(column.version)
            if category in keys:
                failing.add(column.version)
        ordered = sorted(ran, key=version_key)
        flags = [version in failing for version in ordered]
        if not any(flags):
            return None
        if all(flags):
            return ""
        first, last = flags.index(True), len(flags) - 1 - flags[::-1].index(True)
        if not all(flags[first : last + 1]):
            return None
        clauses = []
        if first > 0:
            clauses.append(">=" + _short(ordered[first], ordered[first - 1]))
        if last < len(ordered) - 1:
            clauses.append("<=" + _short(ordered[last], ordered[last + 1]))
        return ", ".join(clauses)


def _short(version, neighbour):
    """*version* at major.minor precision unless *neighbour* shares its minor."""
    mine, theirs = version_key(version)[:2], version_key(neighbour)[:2]
    return version if mine == theirs else "{}.{}".format(*mine)
