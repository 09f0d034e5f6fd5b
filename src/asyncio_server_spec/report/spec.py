"""The spec as the report shows it: features, their scenarios, steps, references
and the tags that say where a scenario applies.

Read with behave's own parser, outlines expanded into the scenarios they make
(the ids the results logs carry).
"""

import glob
import os
import re

from behave.parser import parse_file

from ..harness.results import scenario_id
from ..harness.versions import describe_range

_LABEL = re.compile(r"^(Docs|CPython|Note):\s*(.*)$")
_OUTLINE_SUFFIX = re.compile(r"\s+-- @\d+\.\d+(\s.*)?$")
_MIN_MAX = re.compile(r"^use\.with_python\.(min|max)_version=(\S+)$")
_RANGE = re.compile(r"^use\.with_python=(\S+)$")
_OTHER_ACTIVE = re.compile(r"^(use|not)\.with_(loop|os)=(\S+)$")


class Step:
    """A step: keyword, text, and its table or doc string if it has one."""

    def __init__(self, step):
        self.keyword = step.keyword
        self.name = step.name
        self.table = [list(step.table.headings)] + [list(row) for row in step.table] if step.table else None
        self.text = step.text

    def __str__(self):
        return f"{self.keyword} {self.name}"


class Reference:
    """A ``Docs:``, ``CPython:`` or ``Note:`` item of a scenario's description."""

    def __init__(self, kind, text):
        self.kind = kind.lower()  # docs, cpython, note
        self.text = text

    @property
    def target(self):
        """The link's target: the docs URL, or the CPython issue as ``gh-NNNN``."""
        return self.text.split()[0] if self.text else ""


def _references(description):
    """The labelled items of a description, continuation lines joined on."""
    items = []
    for line in description:
        match = _LABEL.match(line)
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


def other_badges(tags):
    """Loop and OS active tags as short badges: ``loop: asyncio``, ``not loop: uvloop``."""
    badges = []
    for tag in sorted(tags):
        match = _OTHER_ACTIVE.match(tag)
        if match:
            prefix = "" if match.group(1) == "use" else "not "
            badges.append(f"{prefix}{match.group(2)}: {match.group(3)}")
    return badges


class Scenario:
    """One scenario of the spec (an outline's example row is one of its own)."""

    def __init__(self, feature, scenario):
        self.feature = feature
        self.id = scenario_id(scenario.tags) or f"{feature.file}:{scenario.line}"
        self.title = _OUTLINE_SUFFIX.sub("", scenario.name)
        self.keyword = scenario.keyword
        self.line = scenario.line
        self.tags = sorted(scenario.effective_tags)
        self.steps = [Step(step) for step in scenario.all_steps]
        self.references = _references(scenario.description)
        self.versions = version_badges(self.tags)
        self.conditions = other_badges(self.tags)

    def refs(self, kind):
        return [ref for ref in self.references if ref.kind == kind]

    @property
    def search_text(self):
        """What the index's filter matches against."""
        return f"{self.id} {self.title} {self.feature.title}".lower()


_BLOCK_START = re.compile(
    r"^\s*(@|#|(Scenario|Scenario Outline|Scenario Template|Example|Background|Rule)\s*:)")


def _paragraphs(path, parsed):
    """The feature's description as paragraphs (behave drops the blank lines
    between them; they are read back from the file).  Falls back to one
    paragraph per line if the file and behave disagree."""
    with open(path, encoding="utf-8") as lines:
        text = lines.read().splitlines()
    paragraphs, current = [], []
    for line in text[parsed.line:]:  # parsed.line: the Feature: line, counted from 1
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
        return [line for line in parsed.description]
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


class Feature:
    """A feature file: its title, description and scenarios."""

    def __init__(self, path):
        parsed = parse_file(path)
        self.path = path
        self.file = os.path.basename(path)
        self.slug = self.file[: -len(".feature")] if self.file.endswith(".feature") else self.file
        self.title = parsed.name
        self.description = list(parsed.description)
        self.paragraphs = _paragraphs(path, parsed)
        self.scenarios = [Scenario(self, scenario) for scenario in parsed.walk_scenarios()]

    @property
    def page(self):
        return f"features/{self.slug}.html"


def read_spec(features_dir):
    """Every feature file of *features_dir*, sorted by file name."""
    return [Feature(path) for path in sorted(glob.glob(os.path.join(features_dir, "*.feature")))]
