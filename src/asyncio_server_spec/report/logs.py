"""The results logs a report reads, checked as schema 1 and viewed as runs.

:func:`~asyncio_server_spec.harness.results.read_log` reads the lines; this
module adds the report's checks and its view.  It tolerates what a killed run
leaves behind -- a torn last line, a header whose ``ended`` is null, no
``end`` line, no scenario lines at all -- and fields or record kinds it does
not know.  A log the survey wrote for a loop it could not run (it did not
install, the run refused it, it timed out before writing anything) holds only
a header with a ``"survey": {"status", "detail"}`` field: a run that never
started (:attr:`RunLog.unrun`), not one cut short.  Anything else that is
not a schema-1 log is a :class:`LogError` with a one-line message.
"""

import glob
import os

from ..harness import results
from ..harness.results import SCHEMA, LogError

#: What the implementation field is shown as.
IMPLEMENTATIONS = {"cpython": "CPython", "pypy": "PyPy"}
REQUIRED = ("id", "status", "verdict")
#: How the survey's statuses of a loop it could not run read (survey.json's words).
UNRUN = {
    "refused": "refused",
    "install-failed": "did not install",
    "timed-out": "timed out",
    "no-interpreter": "no interpreter here",
    "missing-debian-packages": "missing Debian packages",
}
#: The label the survey gives each run (``-D label=survey``).
SURVEY_LABEL = "survey"


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
    def started(self):
        return str(self.header.get("started") or "")

    @property
    def ended(self):
        """When the run ended, from the header or the end line; None if cut short."""
        return self.header.get("ended") or (self.end or {}).get("ended")

    @property
    def not_run(self):
        """The ids of the scenarios the run selected but did not run (its
        processes died first), as a ``run --jobs`` log lists them."""
        listed = self.header.get("not_run")
        return list(listed) if isinstance(listed, list) else []

    @property
    def survey(self):
        """``{"status", "detail"}`` the survey recorded for a loop it could not run, or None."""
        said = self.header.get("survey")
        return said if isinstance(said, dict) else None

    @property
    def unrun(self):
        """True for the survey's log of a loop it could not run: a header, no scenario."""
        return self.survey is not None and not self.scenarios

    @property
    def unrun_status(self):
        """What happened to a run that never started, in words: ``did not install``."""
        status = str((self.survey or {}).get("status") or "not run")
        return UNRUN.get(status, status)

    @property
    def unrun_detail(self):
        return str((self.survey or {}).get("detail") or "")

    @property
    def of_survey(self):
        """True when the survey wrote this log (its label, or its "survey" field)."""
        return self.survey is not None or self.header.get("label") == SURVEY_LABEL

    @property
    def cut_short(self):
        """True when the run did not finish: its header's "ended" is null, it
        has no end line, or it lists scenarios that did not run.  A run that
        never started (:attr:`unrun`) is not cut short."""
        if self.unrun:
            return False
        return self.header.get("ended") is None or self.end is None or bool(self.not_run)

    @property
    def counts(self):
        """Scenarios per verdict: the end line's counts, else counted from the lines."""
        if self.end is not None and isinstance(self.end.get("counts"), dict):
            return dict(self.end["counts"])
        counted = {}
        for record in self.scenarios.values():
            counted[record["verdict"]] = counted.get(record["verdict"], 0) + 1
        return counted


def _check_header(header, path):
    if header is None:
        raise LogError(f'{path}: line 1 is not a run header (record "run"); is this a results log?')
    if header.get("schema") != SCHEMA:
        raise LogError(f"{path}: results schema {header.get('schema')!r}; this reader reads schema {SCHEMA}")


def _check_scenario(record, path, number):
    missing = [field for field in REQUIRED if not isinstance(record.get(field), str)]
    if missing:
        raise LogError("{}: line {} is a scenario record without {}".format(path, number, ", ".join(missing)))


def read_log(path):
    """Read one results log; raise :class:`LogError` if it is not one."""
    log = results.read_log(path)
    if not log.records and not log.torn:
        raise LogError(f"{path} is empty; a results log starts with its run header")
    _check_header(log.header, path)
    scenarios = {}
    for number, record in log.records[1:]:
        if record.get("record") == "scenario":
            _check_scenario(record, path, number)
            scenarios[record["id"]] = record
    return RunLog(path, log.header, scenarios, log.end, log.torn)


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
