"""Every divergence message says what was expected and what was observed.

A failed check of the spec is what a loop author reads in the summary and the
report, next to the step's sentence, so each one states the expectation as
well as the observation: ``expected <what the step states>; <what was seen>``
(a check of the spec's own setup reads ``precondition: expected ...``).  This
is checked on the source: every ``assert`` in steps/ and in the reference
module carries a message, and that message -- like the one of every
``raise AssertionError(...)`` -- says "expected".

One form is allowed without the word: a handler of a failed check that adds
what it knows to the message it caught, ``except AssertionError as exc:
raise AssertionError(f"{exc}; ...")`` -- the caught message already says
what was awaited or expected, and it comes first.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = [ROOT / "steps", ROOT / "src" / "asyncio_server_spec" / "reference"]
WORD = "expected"


def _caught_assertions(handler):
    """The name an ``except`` clause binds an AssertionError to, or None."""
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    catches = any(isinstance(kind, ast.Name) and kind.id == "AssertionError" for kind in kinds)
    return handler.name if catches else None


def _is_assertion_error(exc):
    """Is *exc* (what a ``raise`` raises) ``AssertionError`` or ``AssertionError(...)``?"""
    named = exc.func if isinstance(exc, ast.Call) else exc
    return isinstance(named, ast.Name) and named.id == "AssertionError"


def _extends_caught(message, caught):
    """Is *message* an f-string that starts with a caught AssertionError's own text?"""
    if not (isinstance(message, ast.JoinedStr) and message.values):
        return False
    first = message.values[0]
    return (
        isinstance(first, ast.FormattedValue)
        and isinstance(first.value, ast.Name)
        and first.value.id in caught
    )


def unworded(source, filename="<source>"):
    """``file:line: what is wrong`` for each check in *source* whose message
    does not say what was expected."""
    problems = []

    def visit(node, caught):
        if isinstance(node, ast.ExceptHandler):
            name = _caught_assertions(node) if node.type is not None else None
            caught = caught | {name} if name else caught
        if isinstance(node, ast.Assert):
            if node.msg is None:
                problems.append(f"{filename}:{node.lineno}: an assert without a message")
            elif WORD not in ast.get_source_segment(source, node.msg):
                problems.append(f"{filename}:{node.lineno}: an assert whose message does not say {WORD!r}")
        elif isinstance(node, ast.Raise) and _is_assertion_error(node.exc):
            exc = node.exc
            message = exc.args[0] if isinstance(exc, ast.Call) and exc.args else None
            if message is None:
                problems.append(f"{filename}:{node.lineno}: an AssertionError without a message")
            elif WORD not in ast.get_source_segment(source, message) and not _extends_caught(message, caught):
                problems.append(
                    f"{filename}:{node.lineno}: an AssertionError whose message does not say {WORD!r}"
                )
        for child in ast.iter_child_nodes(node):
            visit(child, caught)

    visit(ast.parse(source, filename), frozenset())
    return problems


def test_the_check_finds_every_message_without_an_expectation():
    source = (
        "def step(x, y):\n"
        "    assert x\n"
        "    assert x == y, f'{x!r}'\n"
        "    assert x == y, f'expected {y!r}; it is {x!r}'\n"
        "    raise AssertionError(f'{x!r} is wrong')\n"
        "def other(x):\n"
        "    raise AssertionError\n"
        "def wait(x):\n"
        "    try:\n"
        "        x()\n"
        "    except AssertionError as exc:\n"
        "        raise AssertionError(f'{exc}; x had done nothing')\n"
        "    except ValueError as exc:\n"
        "        raise AssertionError(f'{exc}; x had done nothing')\n"
        "    raise AssertionError('expected x to raise; it returned')\n"
    )
    assert unworded(source, "s.py") == [
        "s.py:2: an assert without a message",
        "s.py:3: an assert whose message does not say 'expected'",
        "s.py:5: an AssertionError whose message does not say 'expected'",
        "s.py:7: an AssertionError without a message",
        "s.py:14: an AssertionError whose message does not say 'expected'",
    ]


def test_every_check_of_the_spec_says_what_was_expected():
    problems = []
    for folder in CHECKED:
        for path in sorted(folder.rglob("*.py")):
            problems += unworded(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert problems == [], (
        "expected every check to say what was expected and what was observed "
        "(`expected ...; ...`); these do not:\n" + "\n".join(problems)
    )
