"""The step vocabulary reads as sentences: every feature step has a
definition, every definition is used and documented, and a custom parse
type stands only for an open set (steps/vocabulary/__init__.py).

behave's step registry is global, so the steps are loaded in a process of
their own, never in the one that runs the tests (other tests run the spec).
"""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STEPS = ROOT / "steps"

_LOAD = r"""
import glob, json, os, sys
from behave.matchers import ParseMatcher
from behave.parser import parse_file
from behave.runner_util import load_step_modules
from behave.step_registry import registry

root = sys.argv[1]
load_step_modules([os.path.join(root, "steps")])
uses, unmatched = {}, []
for path in sorted(glob.glob(os.path.join(root, "features", "*.feature"))):
    for scenario in parse_file(path).walk_scenarios():
        for step in scenario.all_steps:
            match = registry.find_match(step)
            if match is None:
                unmatched.append(f"{step.location}: {step.keyword} {step.name}")
            else:
                key = str(match.location)
                uses[key] = uses.get(key, 0) + 1
patterns = [{"type": step_type, "pattern": matcher.pattern, "location": str(matcher.location),
             "doc": (matcher.func.__doc__ or "").strip()}
            for step_type, matchers in registry.steps.items() for matcher in matchers]
types = {name: {"pattern": getattr(parse, "pattern", None),
                "names": list(getattr(parse, "names", ()) or ()),
                "phrases": list(getattr(parse, "phrases", ()) or ()),
                "free_text": bool(getattr(parse, "free_text", False))}
         for name, parse in ParseMatcher.TYPE_REGISTRY.items()}
print(json.dumps({"patterns": patterns, "uses": uses, "unmatched": unmatched, "types": types}))
"""


@pytest.fixture(scope="module")
def vocabulary():
    proc = subprocess.run(
        [sys.executable, "-c", _LOAD, str(ROOT)], capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout)


def _placeholders(pattern):
    """``[(name, type or None)]`` of a parse pattern's fields."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"\{(\w*)(?::(\w+))?\}", pattern)]


def test_every_feature_step_has_a_step_definition(vocabulary):
    assert vocabulary["unmatched"] == []


def test_every_step_pattern_is_used_by_some_feature(vocabulary):
    unused = [
        f"{p['location']}: @{p['type']}({p['pattern']!r})"
        for p in vocabulary["patterns"]
        if p["location"] not in vocabulary["uses"]
    ]
    assert unused == [], "step patterns no feature uses:\n" + "\n".join(unused)


def test_every_step_has_a_docstring(vocabulary):
    # behave --steps-catalog shows it under the sentence
    bare = [f"{p['location']}: {p['pattern']!r}" for p in vocabulary["patterns"] if not p["doc"]]
    assert bare == [], "steps without a docstring:\n" + "\n".join(bare)


def test_every_custom_type_names_an_open_set_and_is_used(vocabulary):
    used = {kind for p in vocabulary["patterns"] for _, kind in _placeholders(p["pattern"]) if kind}
    problems = []
    for name, kind in vocabulary["types"].items():
        if name not in used:
            problems.append(f"{name}: no step pattern uses it")
        if kind["pattern"] is not None and re.fullmatch(kind["pattern"], ""):
            problems.append(f"{name}: matches nothing at all -- an optional phrase is two sentences")
        if kind["names"]:
            odd = [n for n in kind["names"] if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", n)]
            if odd:
                problems.append(f"{name}: {odd} are not names of code")
        elif kind["phrases"]:
            if len(kind["phrases"]) < 3:
                problems.append(f"{name}: two phrases are two sentences, not a type")
        elif not kind["free_text"]:
            problems.append(
                f"{name}: neither names of code, three or more phrases, nor free text "
                "(make it with names_of_code, code_table or phrases in steps/vocabulary)"
            )
    assert problems == [], "\n".join(problems)


def test_no_placeholder_is_glued_to_a_word(vocabulary):
    # "the {first:First}server" or "connect{way:LoadWay}" hide a second sentence in a type
    glued = [p["pattern"] for p in vocabulary["patterns"] if re.search(r"\w\{|\}\w", p["pattern"])]
    assert glued == []


def test_the_steps_catalog_reads_as_a_dictionary():
    # every sentence once, each followed by what it does
    proc = subprocess.run(
        [sys.executable, "-m", "behave", "--steps-catalog"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    entries, current = [], None
    for line in proc.stdout.splitlines():
        if re.match(r"^(Given|When|Then|Step) ", line):
            current = [line, []]
            entries.append(current)
        elif current is not None and line.strip():
            current[1].append(line.strip())
    assert len(entries) >= 100
    sentences = [sentence for sentence, _ in entries]
    assert len(sentences) == len(set(sentences)), "a sentence is defined twice"
    unexplained = [sentence for sentence, doc in entries if not doc]
    assert unexplained == []


def _step_files():
    return sorted(STEPS.glob("*.py")) + sorted((STEPS / "vocabulary").glob("*.py"))


def test_step_files_are_short_and_build_no_sockets():
    for path in _step_files():
        text = path.read_text()
        assert len(text.splitlines()) <= 250, f"{path.name} is longer than 250 lines"
        for made_here in ("socket.socket(", "ssl.MemoryBIO(", "setsockopt(", "create_default_context("):
            assert made_here not in text, f"{path.name} makes {made_here}...): that belongs in reference/"


def test_no_connection_handler_is_written_in_steps():
    # handlers live in src/asyncio_server_spec/reference/handlers.py
    for path in _step_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [arg.arg for arg in node.args.args]
                assert names[:2] != ["reader", "writer"], (
                    f"{path.name}:{node.lineno}: {node.name} is a connection handler"
                )
