"""The results log: one JSON object per line, written while the run goes on.

``behave -D results=PATH`` writes it (each tox environment writes
``reports/<envname>.jsonl``).  Schema 1:

- line 1, ``{"record": "run", ...}``: what ran -- Python implementation and
  exact version, the loop (name, module, version), behave's version, the
  spec's version and commit, the expectations file, isolation, jobs, a label
  (the tox environment), the platform, ``started`` and ``ended``.  The header
  is rewritten with ``ended`` when the run ends; ``"ended": null`` means the
  run was cut short.
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
that reads up to its last whole line; a reader drops a torn last line.
"""

import datetime
import json
import os
import tempfile

SCHEMA = 1


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


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


def read_log(path):
    """``(header or None, [scenario records], end record or None, id of a
    scenario that started and never ended or None)``; a torn last line -- the
    writer was killed mid-line -- is dropped."""
    header, scenarios, end, running = None, [], None, None
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                except ValueError:
                    break
                kind = record.get("record")
                if kind == "run":
                    header = record
                elif kind == "start":
                    running = record.get("id")
                elif kind == "scenario":
                    scenarios.append(record)
                    running = None
                elif kind == "end":
                    end = record
    except FileNotFoundError:
        pass
    return header, scenarios, end, running
