"""Per-loop expectation files: the scenarios a loop is known to fail, and why.

A file such as ``expectations/uvloop.toml`` holds entries like::

    [[expected_failure]]
    id = "serve-forever.close-ends-it"
    reason = "close() does not end a running serve_forever(); it keeps waiting"
    link = "https://github.com/MagicStack/uvloop/issues/602"
    python = ">=3.8"          # optional: only on these interpreters

A scenario listed (and applying to the running Python) that fails is an
*expected failure*: reported, not failing the run.  One that passes is an
*unexpected pass*, and fails the run so that stale entries are noticed.
"""

import os
import sys

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

from . import versions


def read_toml(path, what, error):
    """The TOML document at *path*; *error* (an exception class) with one
    line naming *what* the file is if it cannot be read or is not TOML."""
    try:
        with open(path, "rb") as data:
            return tomllib.load(data)
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{what} {path} is not valid TOML: {exc}") from None


FIELDS = {"id", "reason", "link", "python"}


class ExpectationError(Exception):
    """An expectations file cannot be used; the message is one line."""


class Expectation:
    def __init__(self, sid, reason, link=None, python=None):
        self.id = sid
        self.reason = reason
        self.link = link
        self.python = python
        self._holds = versions.condition(python) if python else (lambda version: True)

    def applies(self, version_info=None):
        return self._holds(tuple(version_info or sys.version_info)[:3])

    def describe(self):
        text = self.reason
        if self.link:
            text += f" ({self.link})"
        return text


class Expectations:
    """The expected failures of one loop on one interpreter."""

    def __init__(self, source=None, entries=()):
        self.source = source
        self.entries = list(entries)

    def applying(self, version_info=None):
        return {e.id: e for e in self.entries if e.applies(version_info)}

    def ids(self):
        return {e.id for e in self.entries}


def load(path):
    """Read and check an expectations file."""
    document = read_toml(path, "expectations file", ExpectationError)
    unknown_tables = set(document) - {"expected_failure"}
    if unknown_tables:
        raise ExpectationError(
            "expectations file {}: unknown key(s) {}; only [[expected_failure]] entries are accepted".format(
                path, ", ".join(sorted(unknown_tables))
            )
        )
    entries, seen = [], set()
    for number, raw in enumerate(document.get("expected_failure", []), 1):
        where = f"expectations file {path}, entry {number}"
        unknown = set(raw) - FIELDS
        if unknown:
            raise ExpectationError(
                "{}: unknown field(s) {}; accepted: {}".format(
                    where, ", ".join(sorted(unknown)), ", ".join(sorted(FIELDS))
                )
            )
        for field in ("id", "reason"):
            if not isinstance(raw.get(field), str) or not raw[field].strip():
                raise ExpectationError(f"{where}: '{field}' is required (a non-empty string)")
        if raw["id"] in seen:
            raise ExpectationError("{}: id {!r} is listed twice".format(where, raw["id"]))
        seen.add(raw["id"])
        try:
            entries.append(Expectation(raw["id"], raw["reason"], raw.get("link"), raw.get("python")))
        except ValueError as exc:
            raise ExpectationError(f"{where}: python = {exc}")
    return Expectations(path, entries)


def for_loop(loop_name, setting, directory):
    """The expectations to apply for *loop_name* given ``-D expectations=SETTING``.

    SETTING ``off`` applies none (the raw verdict); a path names a file; no
    setting means ``DIRECTORY/<loop_name>.toml`` when it exists, else none.
    """
    if setting == "off":
        return Expectations()
    if setting:
        return load(setting)
    default = os.path.join(directory, f"{loop_name}.toml")
    if ":" not in loop_name and os.path.exists(default):
        return load(default)
    return Expectations()
