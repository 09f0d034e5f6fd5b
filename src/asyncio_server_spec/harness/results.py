"""The results log: one JSON object per line, written while the run goes on.

``behave -D results=PATH`` writes it (each tox environment writes
``reports/<envname>.jsonl``).  Schema 1:

- line 1, ``{"record": "run", ...}``: what ran -- Python implementation and
  exact version, the loop (name, module, version, and the package that version
  is of), behave's version, the
  spec's version and commit, the expectations file, isolation, jobs, a label
  (the tox environment), the platform, ``started`` and ``ended``.  The header
  is rewritten with ``ended`` when the run ends; ``"ended": null`` means the
  run was cut short.  A ``run --jobs N`` log adds ``not_run``: the ids of the
  scenarios behave selected that no process of the run recorded (a shard
  died first; empty when none) -- such a run is incomplete, though ended.
- one ``{"record": "scenario", ...}`` line per scenario, in the order they
  finished: ``id``, ``feature``, ``name``, ``status`` (what happened: passed,
  diverged, crashed, timed-out, cleanup, harness-error, not-applicable),
  ``verdict`` (how it counts: pass, expected-failure, unexpected-failure,
  unexpected-pass, not-applicable, harness-error; both spelled in
  :mod:`.verdicts`), ``expectation`` (reason and
  link, or null), ``message`` (what was expected and what was observed; for a
  not-applicable scenario, the tag that excludes it), ``step`` (the failing
  step) and ``duration`` (real seconds).
- before each scenario runs, ``{"record": "start", "id": ...}``: a run that
  dies with no scenario line after it names the scenario it died in.
- last, ``{"record": "end", "ended": ..., "counts": {verdict: n}}``.

Every line is flushed as it is written, so a run that is killed leaves a log
that reads up to its last whole line; the reader (:func:`read_log`) drops a
torn last line.  :func:`run_header` makes what line 1 says about the run.
"""

import datetime
import json
import os
import platform
import sys
import tempfile

from .. import __version__

SCHEMA = 1


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def run_header(root, loop, expectations, isolate, jobs, label):
    """What a run's header says besides what :class:`ResultLog` adds: this
    Python, the *loop* (as :func:`.loops.describe` gives it), behave's
    version, the spec's version and its git commit (of the checkout in
    *root*), the *expectations* file, whether scenarios are isolated, the
    *jobs*, the *label* and the platform."""
    import behave

    version = sys.version_info
    return {
        "python": {
            "implementation": sys.implementation.name,
            "version": f"{version[0]}.{version[1]}.{version[2]}",
            "build": " ".join(sys.version.split()),
        },
        "loop": loop,
        "behave": getattr(behave, "__version__", None),
        "spec": {"version": __version__, "commit": spec_commit(root)},
        "expectations": expectations,
        "isolate": isolate,
        "jobs": jobs,
        "label": label,
        "platform": f"{sys.platform} {platform.machine()}",
    }


def spec_commit(root):
    """The spec's git commit, read from .git without running git (None outside a checkout)."""
    head = os.path.join(root, ".git", "HEAD")
    try:
        with open(head) as f:
            ref = f.read().strip()
        if ref.startswith("ref: "):
            with open(os.path.join(root, ".git", ref[5:])) as f:
                return f.read().strip()
        return ref
    except OSError:
        return None


class ResultLog:
    """Writes one run's results log."""

    def __init__(self, path, header):
        self.path = path
        self.header = dict(header, record="run", schema=SCHEMA, started=now(), ended=None)
        self.counts = {}
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            out.write(json.dumps(self.header) + "\n")

    def _append(self, record):
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
            out.flush()

    def started(self, sid):
        self._append({"record": "start", "id": sid})

    def scenario(self, **fields):
        record = {"record": "scenario"}
        record.update(fields)
        self.counts[fields["verdict"]] = self.counts.get(fields["verdict"], 0) + 1
        self._append(record)

    def close(self):
        """Append the end line and rewrite the header with the end time."""
        ended = now()
        self._append({"record": "end", "ended": ended, "counts": self.counts})
        self.header["ended"] = ended
        with open(self.path, encoding="utf-8") as current:
            lines = current.read().split("\n", 1)
        directory = os.path.dirname(os.path.abspath(self.path))
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".results-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(self.header) + "\n" + (lines[1] if len(lines) > 1 else ""))
        os.replace(temporary, self.path)


class LogError(Exception):
    """A file that is not a readable results log; the message is one line."""


class Log:
    """A results log as read: its header (the ``run`` record of line 1, or
    None), its scenario records in the order they finished, its end record
    (None if the run was cut short), the id of a scenario that started and
    never ended, and whether its last line was torn (and dropped)."""

    def __init__(self, path, records, torn):
        self.path = path
        #: ``(line number, record)`` of every record, in order
        self.records = records
        self.torn = torn
        first = records[0] if records else (None, {})
        self.header = first[1] if first[0] == 1 and first[1].get("record") == "run" else None
        self.scenarios, self.end, self.running = [], None, None
        for _, record in records:
            kind = record.get("record")
            if kind == "start":
                self.running = record.get("id")
            elif kind == "scenario":
                self.scenarios.append(record)
                self.running = None
            elif kind == "end":
                self.end = record
            # any other record kind is a later schema's addition: ignored


def _decode(raw, path, number, last):
    """The JSON object on one line, or None for a torn last line."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except ValueError:  # also UnicodeDecodeError: a write cut mid-character
        if last:
            return None
        raise LogError(f"{path}: line {number} is not JSON (only the last line of a log may be torn)")
    if not isinstance(value, dict):
        raise LogError(f"{path}: line {number} is not a JSON object")
    return value


def read_log(path, missing_ok=False):
    """The results log at *path*, as a :class:`Log`.

    A torn last line (the writer was killed mid-line: no newline after it)
    is dropped.  A file that cannot be read, or any other line that is not a
    JSON object, is a :class:`LogError`; with *missing_ok*, a file that does
    not exist reads as an empty log (a run that died before it wrote one).
    """
    try:
        with open(path, "rb") as stream:
            raw_lines = stream.read().split(b"\n")
    except OSError as exc:
        if missing_ok and isinstance(exc, FileNotFoundError):
            return Log(path, [], False)
        raise LogError(f"cannot read {path}: {exc.strerror or exc}")
    final = len(raw_lines) if raw_lines[-1].strip() else None  # a line with no newline after it
    records, torn = [], False
    for number, raw in enumerate(raw_lines, 1):
        if not raw.strip():
            continue  # (a complete log ends with a newline, leaving an empty last piece)
        value = _decode(raw, path, number, last=number == final)
        if value is None:
            torn = True
        else:
            records.append((number, value))
    return Log(path, records, torn)
