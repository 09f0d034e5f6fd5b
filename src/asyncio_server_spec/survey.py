"""``asyncio-server-spec survey``: the raw verdict on every registered loop.

For each loop of the registry (``loops.toml``, :mod:`.harness.registry`) that
can run here, and each chosen interpreter, the survey

1. builds a virtualenv of its own, cached under ``.survey/`` and reused while
   what it installs stays the same: this checkout (editable) and the loop's
   pinned ``package==version`` (plus its ``extra`` requirements; with
   ``system_site_packages``, on Debian's own ``/usr/bin/python3.X``, which sees
   the ``debian`` packages);
2. runs ``python -m asyncio_server_spec run --loop NAME --expectations off``
   there, bounded in time, writing ``OUT/NAME-pyX.Y.jsonl``;
3. records what happened in ``OUT/survey.json`` -- every registered loop, the
   skipped ones with their reason, and for a loop that could not be installed
   or run, why.  Such a loop also gets a results log of its own holding only its
   header (``"survey": {"status": ..., "detail": ...}``, never ended), so the
   report lists it;

then prints the summary table and builds the report (``OUT/site``).  One loop
that fails to install, refuses to start or hangs never stops the survey.

By default each loop runs on the newest interpreter here that its pinned
version installs on (``--pythons all``: every one).  Interpreters are found in
pyenv (``$PYENV_ROOT/versions``, the newest patch release of each CPython) and
on ``PATH`` (``python3.X``).
"""

import glob
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

from .harness import registry, results
from .harness.verdicts import CLEANUP, CRASHED, DIVERGED, HARNESS_ERROR, NOT_APPLICABLE, PASSED, TIMED_OUT

#: The checkout this module lives in (``src/asyncio_server_spec/`` -> the root).
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = ".survey"
OUT = os.path.join("reports", "survey")
#: Seconds one loop's run may take on one Python before it is stopped.
TIMEOUT = 1800
#: Seconds an environment may take to build.
INSTALL_TIMEOUT = 900
STATUS_FILE = "survey.json"
#: The columns of the summary: (heading, the statuses counted).
COLUMNS = (
    ("passed", (PASSED,)),
    ("failed", (DIVERGED, CLEANUP)),
    ("crash", (CRASHED,)),
    ("timeout", (TIMED_OUT,)),
    ("harness-error", (HARNESS_ERROR,)),
)


class SurveyError(Exception):
    """The survey cannot start; the message is one line."""


# -- what to run ----------------------------------------------------------------------
def checkout():
    """The root of the checkout the survey installs into each environment."""
    if not (
        os.path.isfile(os.path.join(ROOT, "pyproject.toml"))
        and os.path.isfile(os.path.join(ROOT, registry.FILE))
    ):
        raise SurveyError(
            f"the survey installs the spec from a checkout into each loop's environment, and {ROOT} "
            "is not one; run it from a clone of asyncio-server-spec (pip install -e .)"
        )
    return ROOT


def _minor(version):
    match = re.match(r"^(\d+)\.(\d+)", version)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def works_in_a_venv(python):
    """True if a virtualenv of *python* starts (one Debian build here does not:
    its venvs cannot find the standard library)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="survey-venv-check-") as scratch:
        try:
            made = subprocess.run(
                [python, "-m", "venv", "--without-pip", scratch], capture_output=True, timeout=120
            )
            if made.returncode != 0:
                return False
            ran = subprocess.run(
                [os.path.join(scratch, "bin", "python"), "-c", "import encodings, venv"], timeout=60
            )
            return ran.returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False


def interpreters(pyenv_root=None, path=None, check=works_in_a_venv):
    """``{"3.X": interpreter}``: pyenv's newest CPython patch release of each
    3.X that passes *check* (a virtualenv of it works), else ``python3.X`` on
    *path* (default ``PATH``)."""
    root = pyenv_root or os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates = {}
    for directory in glob.glob(os.path.join(root, "versions", "3.*")):
        name = os.path.basename(directory)
        python = os.path.join(directory, "bin", "python")
        if re.match(r"^3\.\d+\.\d+$", name) and os.access(python, os.X_OK):
            minor = "{}.{}".format(*_minor(name))
            candidates.setdefault(minor, []).append((tuple(int(part) for part in name.split(".")), python))
    found = {}
    for minor, pythons in candidates.items():
        for _, python in sorted(pythons, reverse=True):
            if check(python):
                found[minor] = python
                break
    for minor in range(8, 30):
        version = f"3.{minor}"
        if version not in found:
            on_path = shutil.which(f"python{version}", path=path)
            if on_path and not on_path.startswith(os.path.join(root, "shims")) and check(on_path):
                found[version] = on_path
    return found


def system_interpreters(prefix="/usr/bin"):
    """``{"3.X": /usr/bin/python3.X}``: the distribution's own interpreters."""
    found = {}
    for python in glob.glob(os.path.join(prefix, "python3.*")):
        match = re.match(r"^python(3\.\d+)$", os.path.basename(python))
        if match and os.access(python, os.X_OK):
            found[match.group(1)] = python
    return found


class Job:
    """One loop on one Python: where it runs, or why it cannot."""

    def __init__(self, entry, version, python=None, problem=None):
        self.entry = entry
        self.version = version
        self.python = python
        self.problem = problem

    @property
    def key(self):
        return f"{self.entry.name}-py{self.version}"


def select(entries, names):
    """The entries *names* (a comma-separated list, or None for every runnable
    one) name; a :class:`SurveyError` for an unknown or skipped name."""
    runnable = [entry for entry in entries if entry.runnable]
    if not names:
        return runnable
    by_name = {entry.name: entry for entry in entries}
    chosen = []
    for name in [n.strip() for n in names.split(",") if n.strip()]:
        if name not in by_name:
            raise SurveyError(
                "unknown loop {!r}; the registry has: {}".format(name, ", ".join(e.name for e in runnable))
            )
        if by_name[name].skip:
            raise SurveyError(f"loop {name!r} cannot run here: {by_name[name].skip}")
        if by_name[name] not in chosen:
            chosen.append(by_name[name])
    if not chosen:
        raise SurveyError("--loops names no loop; give names from loops.toml, separated by commas")
    return chosen


def parse_pythons(text):
    """``newest``, ``all`` or a comma-separated list of ``3.X``."""
    if text in ("newest", "all"):
        return text
    versions = [v.strip() for v in (text or "").split(",") if v.strip()]
    if not versions or not all(re.match(r"^3\.\d+$", v) for v in versions):
        raise SurveyError(f"--pythons {text!r}: give 'newest', 'all' or versions such as 3.12,3.13")
    return versions


def plan(entries, pythons="newest", found=None, system=None):
    """The jobs: for each entry, the Pythons chosen by *pythons* among those
    it installs on; a job with a *problem* where no interpreter is here."""
    found = interpreters() if found is None else found
    system = system_interpreters() if system is None else system
    jobs = []
    for entry in entries:
        available = system if entry.system_site_packages else found
        here = [v for v in sorted(entry.pythons, key=_minor) if v in available]
        if pythons == "newest":
            chosen = here[-1:]
        elif pythons == "all":
            chosen = here
        else:
            chosen = [v for v in pythons if v in entry.pythons]
        if not chosen:
            wanted = (
                entry.pythons if pythons in ("newest", "all") else [v for v in pythons if v in entry.pythons]
            )
            where = "Debian's /usr/bin/python3.X" if entry.system_site_packages else "pyenv or PATH"
            problem = (
                "no interpreter for it here: it installs on {}, and {} has none of them".format(
                    ", ".join(wanted), where
                )
                if wanted
                else "it does not install on Python {}".format(", ".join(pythons))
            )
            version = (wanted or entry.pythons or ["?"])[-1]
            jobs.append(Job(entry, version, problem=problem))
        for version in chosen:
            if version not in available:
                jobs.append(Job(entry, version, problem=f"no Python {version} here (pyenv or PATH)"))
            else:
                jobs.append(Job(entry, version, available[version]))
    return jobs


def matrix(entries, found=None, system=None):
    """The CI matrix of the runnable *entries*: ``{"include": [{loop, python, debian}]}``,
    each on the newest Python it installs on (``system`` for Debian's own)."""
    include = []
    for entry in entries:
        if entry.runnable:
            python = "system" if entry.system_site_packages else max(entry.pythons, key=_minor)
            include.append({"loop": entry.name, "python": python, "debian": " ".join(entry.debian)})
    return {"include": include}


# -- environments ---------------------------------------------------------------------
def _tail(text, lines=5, width=300):
    kept = [line.rstrip()[:width] for line in text.strip().splitlines()[-lines:]]
    return " | ".join(line for line in kept if line)


def missing_debian(packages):
    """The *packages* dpkg does not list as installed."""
    missing = []
    for package in packages:
        try:
            proc = subprocess.run(
                ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, timeout=60
            )
            installed = proc.returncode == 0 and proc.stdout.endswith(" installed")
        except (OSError, subprocess.TimeoutExpired):
            installed = False
        if not installed:
            missing.append(package)
    return missing


class Environment:
    """The virtualenv of one job, under *cache*; rebuilt when what it should hold changes."""

    def __init__(self, job, cache, root):
        self.job = job
        self.root = root
        self.path = os.path.join(cache, "venvs", job.key)
        self.python = os.path.join(self.path, "bin", "python")
        self.log = os.path.join(cache, "logs", job.key + ".install.log")
        entry = job.entry
        self.requirements = ["-e", root, entry.requirement] + entry.extra
        recipe = [job.python, str(entry.system_site_packages)] + self.requirements
        self.stamp = hashlib.sha256("\n".join(recipe).encode()).hexdigest()

    def _stamp_path(self):
        return os.path.join(self.path, ".survey-stamp")

    def ready(self):
        try:
            with open(self._stamp_path()) as stamp:
                return stamp.read().strip() == self.stamp and os.access(self.python, os.X_OK)
        except OSError:
            return False

    def build(self):
        """Make the environment unless it is ready; return None, or why it failed (one line)."""
        if self.ready():
            return None
        shutil.rmtree(self.path, ignore_errors=True)
        os.makedirs(os.path.dirname(self.log), exist_ok=True)
        venv = [self.job.python, "-m", "venv"]
        if self.job.entry.system_site_packages:
            venv.append("--system-site-packages")
        with open(self.log, "w") as log:
            # an interpreter whose ensurepip fails gets its packages from this
            # Python's pip (pip --python installs into another interpreter)
            pip = [self.python, "-m", "pip"]
            if self._step(venv + [self.path], log) is not None:
                shutil.rmtree(self.path, ignore_errors=True)
                pip = [sys.executable, "-m", "pip", "--python", self.python]
                problem = self._step(venv + ["--without-pip", self.path], log)
                if problem:
                    return problem
            problem = self._step(pip + ["install", "--quiet"] + self.requirements, log)
            if problem:
                return problem
        with open(self._stamp_path(), "w") as stamp:
            stamp.write(self.stamp + "\n")
        return None

    def _step(self, command, log):
        """Run one step of the build, logging it; None, or why it failed (one line)."""
        log.write("$ " + " ".join(command) + "\n")
        log.flush()
        try:
            proc = subprocess.run(
                command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=INSTALL_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            return f"{' '.join(command[1:4])} took more than {INSTALL_TIMEOUT} s"
        log.write(proc.stdout)
        if proc.returncode != 0:
            return "{} failed: {}".format(" ".join(command[1:4]), _tail(proc.stdout) or "no output")
        return None


# -- running --------------------------------------------------------------------------
def _python_version(python):
    try:
        proc = subprocess.run(
            [python, "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return proc.stdout.strip() or None
    except (OSError, subprocess.TimeoutExpired):
        return None


def placeholder_log(path, job, status, detail):
    """A results log holding only a header: *job* has no verdict, and why."""
    entry = job.entry
    version = (_python_version(job.python) if job.python else None) or job.version
    loop = {"name": entry.name, "module": entry.module, "version": entry.version, "package": entry.package}
    header = {
        "python": {"implementation": "cpython", "version": version, "build": None},
        "loop": loop,
        "expectations": None,
        "label": "survey",
        "survey": {"status": status, "detail": detail},
    }
    results.ResultLog(path, header)  # writes the header; never ended: no scenario ran


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()


def run_job(job, out, jobs, timeout, cache, root, behave_args=()):
    """Install and run one *job*; return its status record for survey.json."""
    entry = job.entry
    log_path = os.path.join(out, job.key + ".jsonl")
    record = {
        "loop": entry.name,
        "package": entry.package,
        "version": entry.version,
        "python": job.version,
        "log": os.path.basename(log_path),
    }
    started = time.monotonic()

    def finish(status, detail=None):
        record.update(status=status, detail=detail, seconds=round(time.monotonic() - started, 1))
        if status not in ("ran", "failing"):
            placeholder_log(log_path, job, status, detail)
        return record

    if job.problem:
        return finish("no-interpreter", job.problem)
    missing = missing_debian(entry.debian)
    if missing:
        return finish(
            "missing-debian-packages",
            "needs the Debian package(s) {0}: apt-get install {0}".format(" ".join(missing)),
        )
    environment = Environment(job, cache, root)
    problem = environment.build()
    if problem:
        return finish("install-failed", f"{problem} (the whole log: {environment.log})")
    if os.path.exists(log_path):
        os.remove(log_path)
    output = os.path.join(out, job.key + ".out")
    command = [environment.python, "-m", "asyncio_server_spec", "run", "--loop", entry.name]
    command += ["--expectations", "off", "--jobs", str(jobs), "--results", log_path]
    command += ["--", "-D", "label=survey", "--format", "progress"] + list(behave_args)
    with open(output, "w") as stream:
        proc = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            record.update(status="timed-out", seconds=round(time.monotonic() - started, 1))
            record["detail"] = f"the run took more than {timeout} s and was stopped; its log is cut short"
            if not os.path.exists(log_path):
                placeholder_log(log_path, job, "timed-out", record["detail"])
            return record
        except BaseException:
            _kill_group(proc)
            raise
    with open(output) as stream:
        said = stream.read()
    if code in (0, 1) and os.path.exists(log_path):
        return finish("ran" if code == 0 else "failing")
    return finish("refused", refusal(code, said))


#: The one line a run prints when it refuses its input (exit 2): ``PROG: error: WHY``.
_ERROR_LINE = re.compile(r"^[\w.-]+: error: (.+)$")


def refusal(code, said):
    """Why a run that exited *code* after printing *said* ran nothing: its
    one-line error when it refused the loop (exit 2), else its last words."""
    if code == 2:
        for line in reversed(said.strip().splitlines()):
            match = _ERROR_LINE.match(line.strip())
            if match:
                return match.group(1)[:1000]
    return f"the run exited {code}: {_tail(said, 2)}"


def counts(path):
    """Scenarios per column of the summary, read from a results log."""
    log = results.read_log(path, missing_ok=True)
    statuses = {}
    for record in log.scenarios:
        statuses[record.get("status")] = statuses.get(record.get("status"), 0) + 1
    row = {"applicable": sum(n for s, n in statuses.items() if s != NOT_APPLICABLE)}
    for heading, kinds in COLUMNS:
        row[heading] = sum(statuses.get(kind, 0) for kind in kinds)
    row["python"] = ((log.header or {}).get("python") or {}).get("version")
    return row


def table(records, out):
    """The summary: one line per loop and Python."""
    headings = ["loop", "version", "python", "applicable"] + [h for h, _ in COLUMNS] + ["seconds", "status"]
    rows = []
    for record in records:
        if record["status"] == "skipped":
            rows.append([record["loop"], record["version"], "-", "", "", "", "", "", "", "", "skipped"])
            continue
        numbers = counts(os.path.join(out, record["log"]))
        status = record["status"] if record["status"] in ("ran", "failing") else record["status"].upper()
        rows.append(
            [record["loop"], record["version"], numbers["python"] or record["python"], numbers["applicable"]]
            + [numbers[h] for h, _ in COLUMNS]
            + [record["seconds"], status]
        )
    widths = [max(len(str(row[i])) for row in [headings] + rows) for i in range(len(headings))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
        for row in [headings] + rows
    ]
    return "\n".join(lines) + "\n"


def write_status(out, records):
    """Write ``OUT/survey.json``: *records*, after those of earlier surveys into
    the same directory that they do not replace (same loop and Python)."""
    path = os.path.join(out, STATUS_FILE)
    try:
        with open(path, encoding="utf-8") as stream:
            earlier = json.load(stream).get("loops", [])
    except (OSError, ValueError, AttributeError):
        earlier = []
    keys = {(r.get("loop"), r.get("python")) for r in records}
    kept = [r for r in earlier if isinstance(r, dict) and (r.get("loop"), r.get("python")) not in keys]
    with open(path, "w", encoding="utf-8") as stream:
        json.dump({"schema": 1, "updated": results.now(), "loops": kept + records}, stream, indent=1)
        stream.write("\n")
    return path


def survey(options, stdout=None):
    """Run the survey as *options* say (see :mod:`.cli`); return 0 when every
    chosen loop got its verdict (whatever it is) -- a loop the run refused
    (its check failed: the refusal is its verdict) or that is skipped here
    included -- else 1 (one did not install, found no interpreter or hung)."""
    stdout = stdout or sys.stdout
    try:
        entries = registry.load(options.registry)
    except registry.RegistryError as exc:
        raise SurveyError(str(exc))
    chosen = select(entries, options.loops)
    if options.matrix:
        print(json.dumps(matrix(chosen)), file=stdout)
        return 0
    root = checkout()
    pythons = parse_pythons(options.pythons)
    out, cache = os.path.abspath(options.out), os.path.abspath(options.cache)
    try:
        os.makedirs(out, exist_ok=True)
        os.makedirs(cache, exist_ok=True)
    except OSError as exc:
        raise SurveyError(f"cannot create {exc.filename}: {exc.strerror}")
    jobs = plan(chosen, pythons)
    records = []
    if not options.loops:
        for entry in entries:
            if entry.skip:
                records.append(
                    {
                        "loop": entry.name,
                        "package": entry.package,
                        "version": entry.version,
                        "status": "skipped",
                    }
                )
                records[-1]["detail"] = entry.skip
    began = time.monotonic()
    for number, job in enumerate(jobs, 1):
        print(
            f"[{number}/{len(jobs)}] {job.entry.requirement} on Python {job.version} ...",
            file=stdout,
            flush=True,
        )
        record = run_job(job, out, options.jobs, options.timeout, cache, root)
        records.append(record)
        said = record["status"] + (f": {record['detail']}" if record.get("detail") else "")
        print(f"    {said} ({record['seconds']} s)", file=stdout, flush=True)
        write_status(out, records)
    status_path = write_status(out, records)
    minutes = (time.monotonic() - began) / 60
    stdout.write(table(records, out))
    print(f"{len(jobs)} runs in {minutes:.1f} min; statuses in {status_path}", file=stdout)
    if not options.no_report:
        from .report import LogError, RegistryError, build_site  # jinja2 is needed only here

        site = os.path.join(out, "site")
        try:
            build_site(site, [out], os.path.join(root, "features"))
        except (LogError, RegistryError) as exc:
            raise SurveyError(str(exc))
        print(f"the report: {os.path.join(site, 'index.html')}", file=stdout)
    return 0 if all(r["status"] in ("ran", "failing", "skipped", "refused") for r in records) else 1
