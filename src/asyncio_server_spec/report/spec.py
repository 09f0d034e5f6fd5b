"""The spec as the report shows it: the features as :mod:`asyncio_server_spec.features`
reads them, with what the pages add -- each step's table, the loop and OS
conditions as badges, a file name and a page per feature.
"""

import re

from .. import features

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


def other_badges(tags):
    """Loop and OS active tags as short badges: ``loop: asyncio``, ``not loop: uvloop``."""
    badges = []
    for tag in sorted(tags):
        match = _OTHER_ACTIVE.match(tag)
        if match:
            prefix = "" if match.group(1) == "use" else "not "
            badges.append(f"{prefix}{match.group(2)}: {match.group(3)}")
    return badges


class Scenario(features.Scenario):
    """A scenario as its feature's page shows it."""

    def __init__(self, feature, parsed, rule=None):
        super().__init__(feature, parsed, rule)
        if self.id is None:  # (the feature files' tests require one)
            self.id = f"{feature.file}:{self.line}"
        self.steps = [Step(step) for step in self.steps]
        self.conditions = other_badges(self.tags)

    @property
    def search_text(self):
        """What the index's filter matches against."""
        return f"{self.id} {self.title} {self.feature.title}".lower()


class Feature(features.Feature):
    """A feature file and its page."""

    scenario_class = Scenario

    def __init__(self, path):
        super().__init__(path)
        self.slug = self.file[: -len(".feature")] if self.file.endswith(".feature") else self.file

    @property
    def page(self):
        return f"features/{self.slug}.html"


def read_spec(features_dir):
    """Every feature file of *features_dir*, sorted by file name."""
    return features.read_features(features_dir, Feature)
