"""The one reader of the feature files: outlines, Rules (with a Background of
their own), references, titles and version badges, as every tool sees them."""

import pytest

from asyncio_server_spec import features
from asyncio_server_spec.harness.conformance import excluding_tags

RULED = """\
@ftag
Feature: A feature with a rule
  Checks: https://docs.python.org/3/library/x.html#y

  Some more words.

  Background:
    Given a feature background

  @id:f.top
  Scenario: top
    Docs: https://docs.python.org/3/library/x.html#a
      a line that continues it
    Given a step

  @use.with_python.min_version=3.12 @not.with_loop=uvloop
  Rule: a rule
    What the rule says,
    in two lines.

    Background:
      Given a rule background

    @id:f.in-rule
    Scenario: in rule
      CPython: gh-1
      Note: a note
      Given a step

    @id:f.outline-<n> @use.with_python=3.13.15..3.13
    Scenario Outline: outline <n>
      Docs: https://docs.python.org/3/library/x.html#b
      Given a step <n>
      Examples:
        | n |
        | 1 |
        | 2 |
"""


@pytest.fixture
def feature(tmp_path):
    (tmp_path / "ruled.feature").write_text(RULED, encoding="utf-8")
    (spec,) = features.read_features(str(tmp_path))
    return spec


def test_scenarios_of_a_rule_have_the_rule_its_tags_and_its_background(feature):
    top, in_rule, first, second = feature.scenarios
    assert [s.id for s in feature.scenarios] == ["f.top", "f.in-rule", "f.outline-1", "f.outline-2"]
    assert top.rule is None and in_rule.rule is first.rule is feature.rules[0]
    assert feature.rules[0].name == "a rule"
    assert feature.rules[0].description == ["What the rule says,", "in two lines."]
    assert [step.name for step in top.steps] == ["a feature background", "a step"]
    assert [step.name for step in second.steps] == ["a feature background", "a rule background", "a step 2"]
    assert top.tags == ["ftag", "id:f.top"]
    assert "use.with_python.min_version=3.12" in in_rule.tags and "ftag" in in_rule.tags
    assert all(s.feature is feature for s in feature.scenarios)


def test_titles_references_and_versions(feature):
    top, in_rule, first, _ = feature.scenarios
    assert (top.title, first.title) == ("top", "outline 1")  # no " -- @1.1 " suffix
    assert [(r.kind, r.text) for r in top.references] == [
        ("docs", "https://docs.python.org/3/library/x.html#a a line that continues it")
    ]
    assert top.citations == [("docs", "https://docs.python.org/3/library/x.html#a")]
    assert in_rule.citations == [("cpython", "gh-1")]
    assert [(r.kind, r.text) for r in in_rule.references] == [("cpython", "gh-1"), ("note", "a note")]
    assert in_rule.versions == ["3.12+"]
    assert first.versions == ["3.12+", "3.13.15–3.13.x"]
    assert top.versions == []
    assert feature.paragraphs == ["Checks: https://docs.python.org/3/library/x.html#y", "Some more words."]


def test_spec_ids_and_a_scenario_without_an_id(tmp_path):
    (tmp_path / "a.feature").write_text(RULED, encoding="utf-8")
    (tmp_path / "b.feature").write_text("Feature: b\n  Scenario: no id\n    Given a step\n")
    assert features.spec_ids(str(tmp_path)) == {"f.top", "f.in-rule", "f.outline-1", "f.outline-2", None}


def test_a_rules_active_tags_are_named_when_they_exclude_a_scenario(feature):
    assert excluding_tags(feature.scenarios[0].parsed) == ""
    assert excluding_tags(feature.scenarios[1].parsed) == (
        "@use.with_python.min_version=3.12 @not.with_loop=uvloop"
    )
    assert excluding_tags(feature.scenarios[2].parsed) == (
        "@use.with_python.min_version=3.12 @not.with_loop=uvloop @use.with_python=3.13.15..3.13"
    )
