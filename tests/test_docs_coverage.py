"""The docs-coverage table (features/docs_coverage.toml, rendered into
features/README.md): every behaviour is checked by scenarios the spec has,
or says why it is not; the README shows the table as the data says."""

from pathlib import Path

import pytest

from asyncio_server_spec import docs_coverage

ROOT = Path(__file__).resolve().parents[1]
FEATURES = str(ROOT / "features")


def test_every_behaviour_is_checked_by_real_scenarios_or_says_why_not():
    sections = docs_coverage.load(FEATURES)
    assert {s["part"] for s in sections} == set(docs_coverage.PARTS)
    checked, total = docs_coverage.counts(sections)
    assert total >= 80 and 0 < checked <= total


def test_the_table_in_features_readme_is_current():
    readme = (ROOT / "features" / "README.md").read_text(encoding="utf-8")
    assert docs_coverage.render(readme, FEATURES) == readme, (
        "run: python -m asyncio_server_spec trace --write"
    )


def _write(tmp_path, text):
    (tmp_path / "a.feature").write_text(
        "Feature: f\n  Checks: https://docs.python.org/3/library/x.html#y\n\n"
        "  @id:a.one\n  Scenario: one\n    Docs: https://docs.python.org/3/library/x.html#y\n"
        "    Given a server started with start_server\n"
    )
    (tmp_path / "docs_coverage.toml").write_text(text)
    return str(tmp_path)


SECTION = '[[section]]\npart = "servers"\npage = "x"\nanchor = "y"\nname = "n"\n'


def test_an_id_the_spec_does_not_have_is_refused(tmp_path):
    features = _write(tmp_path, SECTION + '[[section.behaviour]]\nsays = "s"\nchecked_by = ["a.two"]\n')
    with pytest.raises(docs_coverage.CoverageError, match=r"a\.two"):
        docs_coverage.load(features)


def test_a_behaviour_needs_scenarios_or_a_reason_not_both(tmp_path):
    both = '[[section.behaviour]]\nsays = "s"\nchecked_by = ["a.one"]\nnot_checked = "why"\n'
    with pytest.raises(docs_coverage.CoverageError, match="either checked_by or not_checked"):
        docs_coverage.load(_write(tmp_path, SECTION + both))


def test_the_table_counts_each_part(tmp_path):
    features = _write(
        tmp_path,
        SECTION + '[[section.behaviour]]\nsays = "s"\nchecked_by = ["a.one"]\n'
        '[[section.behaviour]]\nsays = "t"\nnot_checked = "it cannot be seen"\n',
    )
    text = docs_coverage.table(features)
    assert "Behaviours checked: 1 of 2 (50%)" in text
    assert "| t | not checked: it cannot be seen |" in text
    assert "| s | `a.one` |" in text
