"""Reading results logs (JSON lines, schema 1) as ``behave -D results=PATH`` writes them.

The reader follows the schema and nothing else: line 1 is the run header, then
one ``scenario`` line per scenario in the order they finished, then an ``end``
line.  It tolerates what a killed run leaves behind -- a torn last line, a
header whose ``ended`` is null, no ``end`` line, no scenario lines at all --
and fields or record kinds it does not know.  Anything else that is not a
schema-1 log is a :class:`LogError` with a one-line message.
"""

import glob
import json
import os

SCHEMA = 1
#: What the implementation field is shown as.
IMPLEMENTATIONS = {"cpython": "CPython", "pypy": "PyPy"}
REQUIRED = ("id", "status", "verdict")


class LogError(Exception):
    """A file that is not a readable results log; the message is one line."""


class RunLog:
    """One results log: its run header, its scenario records, its end record."""

    def __init__(self, path, header, scenarios, end, torn):
        self.path = path
        self.header = header
        #: scenario id -> the scenario record (the last one, if an id repeats)
        self.scenarios = scenarios
        self.end = end
        #: True when the last line was cut off mid-way (and ignored)
        self.torn = torn
        #: the id of its section on runs.html, set by the report
        self.anchor = None

    @property
    def name(self):
        return os.path.basename(self.path)

    @property
    def python(self):
        return self.header.get("python") or {}

    @property
    def loop(self):
        return self.header.get("loop") or {}

    @property
    def loop_name(self):
        return str(self.loop.get("name") or "?")

    @property
    def implementation(self):
        impl = str(self.python.get("implementation") or "?")
        return IMPLEMENTATIONS.get(impl, impl)

    @property
    def python_version(self):
        return str(self.python.get("version") or "?")

    @property
    def python_label(self):
        """The Python as a column header shows it, e.g. ``CPython 3.13.18``."""
        return f"{self.implementation} {self.python_version}"

    @property
    def ended(self):
        """When the run ended, from the header or the end line; None if cut short."""
        return self.header.get("ended") or (self.end or {}).get("ended")

    @property
    def cut_short(self):
        """True when the run did not finish: its header's "ended" is null or it
        has no end line."""
        return self.header.get("ended") is None or self.end is None

    @property
    def counts(self):
        """Scenarios per verdict: the end line's counts, else counted from the lines."""
        if self.end is not None and isinstance(self.end.get("counts"), dict):
            return dict(self.end["counts"])
        counted = {}
        for record in self.scenarios.values():
            counted[record["verdict"]] = counted.get(record["verdict"], 0) + 1
        return counted


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


def _check_header(header, path):
    if header is None or header.get("record") != "run":
        raise LogError(f"{path}: line 1 is not a run header (record \"run\"); is this a results log?")
    if header.get("schema") != SCHEMA:
        raise LogError(f"{path}: results schema {header.get('schema')!r}; this reader reads schema {SCHEMA}")


def _check_scenario(record, path, number):
    missing = [field for field in REQUIRED if not isinstance(record.get(field), str)]
    if missing:
        raise LogError("{}: line {} is a scenario record without {}".format(path, number, ", ".join(missing)))


def read_log(path):
    """Read one results log; raise :class:`LogError` if it is not one."""
    try:
        with open(path, "rb") as stream:
            raw_lines = stream.read().split(b"\n")
    except OSError as exc:
        raise LogError(f"cannot read {path}: {exc.strerror or exc}")
    # a complete log ends with a newline, leaving an empty last piece
    numbered = [(n, raw) for n, raw in enumerate(raw_lines, 1) if raw.strip()]
    if not numbered:
        raise LogError(f"{path} is empty; a results log starts with its run header")
    final = len(raw_lines) if raw_lines[-1].strip() else None  # the line with no newline after it
    records, torn = [], False
    for number, raw in numbered:
        value = _decode(raw, path, number, last=number == final)
        if value is None:
            torn = True
        else:
            records.append((number, value))
    header = records[0][1] if records and records[0][0] == 1 else None
    _check_header(header, path)
    scenarios, end = {}, None
    for number, record in records[1:]:
        kind = record.get("record")
        if kind == "scenario":
            _check_scenario(record, path, number)
            scenarios[record["id"]] = record
        elif kind == "end":
            end = record
        # any other record kind is a later schema's addition: ignored
    return RunLog(path, header, scenarios, end, torn)


def log_paths(arguments):
    """The log files named by *arguments*: files, or directories of ``*.jsonl``.

    Each file appears once, in the order given (a directory's files sorted)."""
    found, seen = [], set()
    for argument in arguments:
        if os.path.isdir(argument):
            inside = sorted(glob.glob(os.path.join(argument, "*.jsonl")))
            if not inside:
                raise LogError(f"{argument} holds no *.jsonl results logs")
        elif os.path.isfile(argument):
            inside = [argument]
        else:
            raise LogError(f"{argument} does not exist; give results logs (*.jsonl) or directories of them")
        for path in inside:
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                found.append(path)
    return found


def read_logs(arguments):
    """Every results log named by *arguments* (see :func:`log_paths`)."""
    return [read_log(path) for path in log_paths(arguments)]
