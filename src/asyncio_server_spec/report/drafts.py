"""Expectation-file entries drafted from raw runs: one ``[[expected_failure]]``
per scenario that failed, as the report's model sees the logs.

``python -m asyncio_server_spec expectations draft LOG...`` prints them (or
writes ``expectations/LOOP.toml``); each reason is the observed message,
marked as a draft to be put into plain words.  The ``python`` condition comes
from :meth:`.model.Report.python_condition`: absent when the scenario fails on
every Python the logs ran, else the versions where it fails.  Each entry links the
loop's tracker where the registry has the loop (matched as the report matches
it: :func:`.upstream.registered`).

:func:`expectations_text` is the one writer of these entries: the command
prints it, and each loop's page of the report shows it.
"""

import json
import os

from .model import LISTABLE, Report

#: Where a drafted reason starts, so that an unedited one shows as such.
DRAFT = "draft, to be edited -- observed: "
#: A reason longer than this is cut (a message may hold a whole traceback).
REASON_WIDTH = 300


class DraftError(Exception):
    """No draft can be made from these logs; the message is one line."""


class Entry:
    """One drafted ``[[expected_failure]]``: the scenario, the observed
    message, the Pythons it failed on, the condition saying so."""

    def __init__(self, sid, message, failed_on, python, link):
        self.id = sid
        self.message = message
        self.failed_on = failed_on
        self.python = python
        self.link = link

    @property
    def reason(self):
        text = " ".join(str(self.message or "").split()) or "it failed (no message)"
        if len(text) > REASON_WIDTH:
            text = text[: REASON_WIDTH - 3].rstrip() + "..."
        return DRAFT + text


def choose_loop(report, name=None):
    """The report's loop named *name*, or its only loop."""
    names = [loop.name for loop in report.loops]
    if name is not None:
        if name not in report.loop_by_name:
            raise DraftError(
                "the logs hold no run of loop {!r}; they hold: {}".format(name, ", ".join(names))
            )
        return report.loop_by_name[name]
    if len(names) != 1:
        raise DraftError(
            "the logs hold runs of {}; choose one with --loop".format(", ".join(names) or "no loop")
        )
    return report.loops[0]


def entries(report, loop, link=None):
    """The drafted entries of *loop*, in the spec's order."""
    by_sid = {}
    for cell in report.loop_cells(loop, LISTABLE, spec_only=True):
        by_sid.setdefault(cell.record["id"], []).append(cell)
    drafted = []
    for sid, cells in by_sid.items():
        condition = report.python_condition(loop, sid)
        failed_on = [cell.column.version for cell in cells]
        if condition is None:  # not one range: each failing version, exactly
            condition = " or ".join("==" + version for version in failed_on)
        drafted.append(Entry(sid, cells[0].message or cells[0].category.name, failed_on, condition, link))
    return drafted


def harness_errors(report, loop):
    """The ids of *loop*'s harness errors: never listed (they are the spec's bugs)."""
    return sorted({cell.record["id"] for cell in report.loop_cells(loop, ("harness",), spec_only=True)})


def _string(text):
    return json.dumps(str(text), ensure_ascii=False)  # a TOML basic string


def to_toml(loop, drafted, harness=()):
    """The expectations file for *loop* as text."""
    pythons = ", ".join(column.python for column in loop.columns)
    lines = [
        f"# Expected failures of {loop.label} (asyncio-server-spec).",
        f"# Drafted by `asyncio-server-spec expectations draft` from the runs on {pythons}.",
        "# Each reason is the observed message: put it into plain words (what the loop does",
        '# instead), drop the "draft" mark, and link the upstream issue where there is one.',
    ]
    if harness:
        lines.append(
            "# Not listed, being harness errors (bugs of the spec, to report to it): " + ", ".join(harness)
        )
    if not drafted:
        lines.append("# No scenario failed: nothing to expect.")
    for entry in drafted:
        lines += [
            "",
            "[[expected_failure]]",
            f"id = {_string(entry.id)}",
            f"reason = {_string(entry.reason)}",
        ]
        if entry.link:
            lines.append(f"link = {_string(entry.link)}")
        if entry.python:
            lines.append(f"python = {_string(entry.python)}")
    return "\n".join(lines) + "\n"


def expectations_text(report, loop):
    """The drafted expectations file of *loop* in *report* (text): an entry per
    scenario that failed, each linking the loop's tracker if it has one."""
    return to_toml(loop, entries(report, loop, loop.tracker), harness_errors(report, loop))


def draft(features, logs, name=None, registry=None):
    """The drafted expectations file (text) and the loop it is for.  *registry*:
    the loops.toml entries (default: the spec's own, :func:`.upstream.registry_entries`)."""
    if registry is None:
        from ..harness.behave_run import spec_root
        from .upstream import registry_entries

        registry = registry_entries(spec_root())
    report = Report(features, logs, registry)
    loop = choose_loop(report, name)
    return expectations_text(report, loop), loop


def command(options, out):
    """``expectations draft``: print the draft, or write it with ``--write``."""
    from ..harness.behave_run import spec_root
    from .logs import read_logs
    from .spec import read_spec
    from .upstream import registry_entries

    root = spec_root()
    logs = read_logs(options.logs)
    text, loop = draft(read_spec(os.path.join(root, "features")), logs, options.loop, registry_entries(root))
    if not options.write:
        out.write(text)
        return 0
    path = os.path.join(root, "expectations", loop.slug + ".toml")
    if os.path.exists(path) and not options.force:
        raise DraftError(f"{path} exists; --force replaces it (edited reasons would be lost)")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(text)
    count = text.count("[[expected_failure]]")
    print(f"wrote {path}: {count} expected failure{'' if count == 1 else 's'} of {loop.label}", file=out)
    return 0
