"""The feature files, read: every scenario of the spec and what the tools know about it.

The one reader of ``features/*.feature`` outside behave's own runs: the
traceability table, the results site, the scenario ids an expectations file
may name, the order ``run --jobs`` takes the features in, and the tests of
the house rules all read the spec through it.  It parses with behave's own
parser, so it sees what a run sees: scenario outlines expanded into the
scenarios they make (the ids the results logs carry), and ``Rule:`` blocks,
with a ``Background:`` of their own, whose scenarios inherit the rule's tags.

Each :class:`Scenario` has its id (the ``@id:`` tag), its title (without the
`` -- @1.2 ...`` behave adds to an outline's rows), its effective tags (its
own, its rule's and its feature's), its references (the ``Docs:``,
``CPython:`` and ``Note:`` lines of its description, continuation lines
joined on), the Python versions it applies to as badges (from its
``@use.with_python...`` tags), its :class:`Feature` and its :class:`Rule`
(None outside one).
"""

import glob
import os
import re

from behave.parser import parse_file

from .harness.versions import describe_range

#: A reference line of a scenario's description, and its label.
_REFERENCE = re.compile(r"^(Docs|CPython|Note):\s*(.*)$")
#: What behave adds to the name of an outline's row: `` -- @1.2 Examples name``.
_OUTLINE_SUFFIX = re.compile(r"\s+-- @\d+\.\d+(\s.*)?$")
_MIN_MAX = re.compile(r"^use\.with_python\.(min|max)_version=(\S+)$")
_RANGE = re.compile(r"^use\.with_python=(\S+)$")
#: A line that ends a feature's description: a tag, a comment or the next block.
_BLOCK_START = re.compile(
    r"^\s*(@|#|(Scenario|Scenario Outline|Scenario Template|Example|Background|Rule)\s*:)"
)


def scenario_id(tags):
    """The stable id of a scenario from its tags (``@id:...``), or None."""
    for tag in tags:
        if tag.startswith("id:"):
            return tag[3:]
    return None


def title(name):
    """A scenario's name without the `` -- @1.2 ...`` behave adds to an outline's rows."""
    return _OUTLINE_SUFFIX.sub("", name)


def rule_of(scenario):
    """The behave ``Rule`` a behave scenario belongs to, or None: its parent
    is its outline (if it is one of an outline's rows), a rule or the feature."""
    node = scenario.parent
    if node.type == "scenario_outline":
        node = node.parent
    return node if node.type == "rule" else None


class Reference:
    """A ``Docs:``, ``CPython:`` or ``Note:`` item of a scenario's description."""

    def __init__(self, kind, text):
        self.kind = kind.lower()  # docs, cpython, note
        self.text = text

    @property
    def target(self):
        """The link's target: the docs URL, or the CPython issue as ``gh-NNNN``."""
        return self.text.split()[0] if self.text else ""


def is_reference(line):
    """True if *line* of a description starts a reference (``Docs:``,
    ``CPython:``, ``Note:``); any other line continues the one before it."""
    return _REFERENCE.match(line) is not None


def references(description):
    """The reference items of a description, continuation lines joined on."""
    items = []
    for line in description:
        match = _REFERENCE.match(line)
        if match:
            items.append(Reference(match.group(1), match.group(2).strip()))
        elif items:
            items[-1].text = (items[-1].text + " " + line.strip()).strip()
    return items


def _range(low, high):
    """An inclusive range; a bound written as 3.11 covers every 3.11.x."""
    if high.count(".") < low.count("."):
        high += ".x"
    return f"{low}–{high}"


def _range_badge(text):
    """A ``use.with_python=`` range as a badge: a closed range as :func:`_range`
    shows it, an open one or a single version as the versions module says it."""
    low, dots, high = text.partition("..")
    return _range(low, high) if dots and low and high else describe_range(text)


def _range_key(bounds):
    return [tuple(int(part) for part in re.findall(r"\d+", bound)) or (0,) for bound in bounds]


def version_badges(tags):
    """The Python versions a scenario runs on, as badges: ``3.12.1+``, ``≤ 3.11``,
    ``3.10.7–3.11.6``; one badge per ``use.with_python=A..B`` range (several
    ranges mean any of them).  An empty list means every version."""
    bounds, ranges = {}, []
    for tag in sorted(tags):
        match = _MIN_MAX.match(tag)
        if match:
            bounds[match.group(1)] = match.group(2)
        match = _RANGE.match(tag)
        if match:
            ranges.append(match.group(1))
    badges = [_range_badge(text) for text in sorted(ranges, key=lambda t: _range_key(t.split("..")))]
    if "min" in bounds and "max" in bounds:
        badges.insert(0, _range(bounds["min"], bounds["max"]))
    elif "min" in bounds:
        badges.insert(0, "{}+".format(bounds["min"]))
    elif "max" in bounds:
        badges.insert(0, "≤ {}".format(bounds["max"]))
    return badges


class Rule:
    """A ``Rule:`` block of a feature: its name, description and tags."""

    def __init__(self, parsed):
        self.name = parsed.name
        self.description = list(parsed.description)
        self.tags = list(parsed.tags)
        self.line = parsed.line


class Scenario:
    """One scenario of the spec (each row of an outline is one of its own)."""

    def __init__(self, feature, parsed, rule=None):
        self.feature = feature
        self.rule = rule
        #: behave's scenario, as its parser made it
        self.parsed = parsed
        self.id = scenario_id(parsed.tags)
        self.title = title(parsed.name)
        self.keyword = parsed.keyword
        self.line = parsed.line
        self.tags = sorted(parsed.effective_tags)
        #: behave's steps: the backgrounds' (feature, then rule), then its own
        self.steps = list(parsed.all_steps)
        self.references = references(parsed.description)
        self.versions = version_badges(self.tags)

    @property
    def citations(self):
        """What it checks: ``(kind, target)`` of each ``Docs:`` and ``CPython:`` reference."""
        return [
            (ref.kind, ref.target)
            for ref in self.references
            if ref.kind in ("docs", "cpython") and ref.target
        ]


class Feature:
    """A feature file: its title, description, rules and scenarios."""

    #: the class of its scenarios (the results site adds to it)
    scenario_class = Scenario

    def __init__(self, path):
        parsed = parse_file(path)
        self.path = path
        self.file = os.path.basename(path)
        self.title = parsed.name
        self.description = list(parsed.description)
        self.tags = list(parsed.tags)
        self.line = parsed.line
        self.paragraphs = _paragraphs(path, parsed)
        rules = {id(rule): Rule(rule) for rule in parsed.iter_rules()}
        self.rules = list(rules.values())
        self.scenarios = []
        for scenario in parsed.walk_scenarios():
            rule = rule_of(scenario)
            self.scenarios.append(
                self.scenario_class(self, scenario, None if rule is None else rules[id(rule)])
            )


def _paragraphs(path, parsed):
    """A feature's description as paragraphs (behave drops the blank lines
    between them; they are read back from the file): each a text, or the list
    of its items if it is a list (its first line starts with ``- ``).  One
    paragraph per line if the file and behave disagree."""
    with open(path, encoding="utf-8") as lines:
        text = lines.read().splitlines()
    paragraphs, current = [], []
    for line in text[parsed.line :]:  # parsed.line: the Feature: line, counted from 1
        if _BLOCK_START.match(line):
            break
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    kept = [line for paragraph in paragraphs for line in paragraph]
    if kept != [line.strip() for line in parsed.description]:
        return list(parsed.description)
    return [_joined(paragraph) for paragraph in paragraphs]


def _joined(lines):
    """A paragraph's lines as one text; a paragraph whose first line starts
    with ``- `` is a list, returned as the list of its items."""
    if not lines[0].startswith("- "):
        return " ".join(lines)
    items = []
    for line in lines:
        if line.startswith("- "):
            items.append(line[2:])
        else:
            items[-1] += " " + line
    return items


def read_features(features_dir, feature_class=Feature):
    """Every feature file of *features_dir*, sorted by file name."""
    return [feature_class(path) for path in sorted(glob.glob(os.path.join(features_dir, "*.feature")))]


def scenarios(features_dir):
    """Every scenario of every feature file of *features_dir*, in file order."""
    return [scenario for feature in read_features(features_dir) for scenario in feature.scenarios]


def spec_ids(features_dir):
    """Every scenario id of the spec in *features_dir*."""
    return {scenario.id for scenario in scenarios(features_dir)}
