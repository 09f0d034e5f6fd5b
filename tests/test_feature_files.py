"""House rules of the feature files: stable unique ids, references, the table."""

import io
import re
from pathlib import Path

import pytest

from asyncio_server_spec import cli, features, traceability

ROOT = Path(__file__).resolve().parents[1]
FEATURES = str(ROOT / "features")
SPEC = features.read_features(FEATURES)


def test_every_scenario_has_a_unique_stable_id():
    seen = {}
    for scenario in features.scenarios(FEATURES):
        sid = scenario.id
        assert sid, f"{scenario.feature.path}: '{scenario.title}' has no @id: tag"
        assert re.match(r"^[a-z0-9-]+\.[a-z0-9_.-]+$", sid), f"badly formed id {sid!r}"
        assert sid not in seen, f"id {sid} is used by '{seen[sid]}' and '{scenario.title}'"
        seen[sid] = scenario.title
    assert len(seen) >= 25


def test_every_scenario_cites_what_it_checks():
    for scenario in features.scenarios(FEATURES):
        assert scenario.citations, (
            f"{scenario.feature.file}: '{scenario.title}' has no Docs: or CPython: line"
        )
        for kind, ref in scenario.citations:
            if kind == "docs":
                assert ref.startswith("https://docs.python.org/3/library/"), ref
                assert "#" in ref, "a docs link names its section: " + ref
            else:
                assert re.match(r"^(gh|bpo)-\d+$", ref), ref


@pytest.mark.parametrize("feature", SPEC, ids=lambda feature: feature.file)
def test_every_feature_links_the_docs_it_covers(feature):
    description = feature.description
    checks = "\n".join(description).partition("\n\n")[0] if description else ""
    assert checks.startswith("Checks:") and "https://docs.python.org/3/library/" in checks


def test_the_traceability_table_in_features_readme_is_current():
    readme = (ROOT / "features" / "README.md").read_text(encoding="utf-8")
    assert traceability.render(readme, FEATURES) == readme, "run: python -m asyncio_server_spec trace --write"


def test_trace_describes_ored_range_tags(tmp_path):
    (tmp_path / "a.feature").write_text(
        "Feature: f\n  Checks: https://docs.python.org/3/library/x.html#y\n\n"
        "  @use.with_python=3.13.15..3.13 @use.with_python=3.15..\n  @id:a.one\n"
        "  Scenario: one\n    CPython: gh-1\n    Given a server started with start_server\n"
        "  @use.with_python=..3.14.7 @use.with_python=3.15.0 @id:a.two\n  Scenario: two\n"
        "    CPython: gh-1\n    Given a server started with start_server\n"
    )
    out = io.StringIO()
    assert cli.trace(cli.parse_args(["trace", "--features", str(tmp_path)]), out) == 0
    assert "| gh-1 | `a.one` — 3.13.15–3.13.x, 3.15+<br>`a.two` — ≤ 3.14.7, 3.15.0 |" in out.getvalue()


def test_trace_prints_and_writes_the_table(tmp_path):
    (tmp_path / "a.feature").write_text(
        "Feature: f\n  Checks: https://docs.python.org/3/library/x.html#y\n\n"
        "  @use.with_python.min_version=3.12 @id:a.one\n  Scenario: one\n"
        "    Docs: https://docs.python.org/3/library/x.html#y\n    CPython: gh-1\n"
        "    Given a server started with start_server\n"
        "  @id:a.two @use.with_python.max_version=3.11\n  Scenario: two\n"
        "    CPython: gh-1\n    Given a server started with start_server\n"
    )
    out = io.StringIO()
    assert cli.trace(cli.parse_args(["trace", "--features", str(tmp_path)]), out) == 0
    assert "| [x#y](https://docs.python.org/3/library/x.html#y) | `a.one` — 3.12+ |" in out.getvalue()
    assert "| gh-1 | `a.one` — 3.12+<br>`a.two` — ≤ 3.11 |" in out.getvalue()
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{traceability.BEGIN}\nold\n{traceability.END}\nend\n")
    assert cli.main(["trace", "--features", str(tmp_path), "--write"]) == 0
    text = readme.read_text()
    assert text.startswith("intro\n") and text.endswith("end\n") and "old" not in text
    assert "`a.two` — ≤ 3.11" in text


def test_trace_refuses_a_readme_without_markers(tmp_path, capsys):
    (tmp_path / "README.md").write_text("no markers\n")
    assert cli.main(["trace", "--features", str(tmp_path), "--write"]) == 2
    assert "markers" in capsys.readouterr().err
