"""``python -m asyncio_server_spec``: the command line, parsed and dispatched.

- ``serve``: the reference echo server (:mod:`.reference.echo_server`);
- ``trace``: the features' traceability table (:mod:`.traceability`);
- ``report``: the results logs as a static site (:mod:`.report`);
- ``run``: the spec against a loop (:mod:`.harness.runner`);
- ``survey``: the raw verdict on every registered loop (:mod:`.survey`).

Bad arguments, and a run that cannot start, print one line and exit 2.
"""

import argparse
import os
import sys

from . import survey, traceability
from .harness import behave_run, parallel, runner
from .harness.loops import LoopSelectionError, checked_loop_factory
from .reference import echo_server

USAGE_ERROR = 2


class UsageError(Exception):
    """A bad command line; the message is the one line shown to the user."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _port(text):
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is out of range; a port is 0-65535")
    return port


def whole_number(least, what):
    """An argparse type: a whole number of at least *least*; else the error
    says *what* is expected."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = least - 1
        if value < least:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value

    return parse


_jobs = whole_number(1, "a number of processes (1 or more)")


def _expectations(text):
    if not text:
        raise argparse.ArgumentTypeError("give 'off' or the path of an expectations file (.toml)")
    return text


RUN_HELP = """\
Options that are not run's own go to behave unchanged, as do all arguments
after '--': for example --tags=id:closing.leaves-clients-open, -n REGEX,
--format progress, -D isolate=off.  Feature paths name the spec's own files
(closing.feature, features/closing.feature:42).  The exit status is behave's;
a loop that cannot be used stops the run with one line and status 2."""


def _add_run(commands):
    run = commands.add_parser(
        "run",
        help="run the spec against an event loop",
        description=RUN_HELP,
        usage="%(prog)s [--loop NAME] [--expectations off|FILE] [--results PATH] "
        "[behave args...] [-- behave args...]",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    run.add_argument(
        "--loop", metavar="NAME", help="asyncio (default), uvloop, rloop or package.module:factory"
    )
    run.add_argument(
        "--expectations",
        metavar="off|FILE",
        type=_expectations,
        help="'off' for the raw verdict, or an expectations file "
        "(default: the spec's expectations/NAME.toml)",
    )
    run.add_argument(
        "--results", metavar="PATH", help="write the results log (JSON lines, one per scenario) to PATH"
    )
    run.add_argument(
        "--jobs",
        metavar="N",
        type=_jobs,
        default=parallel.usable_cpus(),
        help="run the scenarios in N processes at once and merge their verdicts "
        "(default: the number of CPUs, here %(default)s)",
    )
    run.add_argument("--report", metavar="DIR", help="also build the results site for this run into DIR")


def _add_survey(commands):
    command = commands.add_parser(
        "survey",
        help="the raw verdict on every loop of the registry (loops.toml), each in its own virtualenv",
        description="Builds (and reuses) a virtualenv per registered loop and Python, runs the spec "
        "there with --expectations off, writes OUT/LOOP-pyX.Y.jsonl and OUT/survey.json, prints a "
        "summary and builds the report into OUT/site.",
    )
    command.add_argument(
        "--loops", metavar="A,B", help="only these registered loops (default: every runnable one)"
    )
    command.add_argument(
        "--pythons",
        metavar="newest|all|3.X,...",
        default="newest",
        help="the Pythons each loop runs on, among those it installs on (default: the newest here)",
    )
    command.add_argument(
        "--out", metavar="DIR", default=survey.OUT, help="where the logs go (default: %(default)s)"
    )
    command.add_argument(
        "--cache",
        metavar="DIR",
        default=survey.CACHE,
        help="where the virtualenvs are kept (default: %(default)s)",
    )
    command.add_argument(
        "--jobs",
        metavar="N",
        type=_jobs,
        default=parallel.usable_cpus(),
        help="each run's --jobs (default: the number of CPUs, here %(default)s); loops run one after another",
    )
    command.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_jobs,
        default=survey.TIMEOUT,
        help="stop one loop's run after this long (default: %(default)s)",
    )
    command.add_argument(
        "--registry", metavar="FILE", help="another loop registry (default: the spec's loops.toml)"
    )
    command.add_argument(
        "--matrix", action="store_true", help="print the runnable loops as a CI matrix (JSON) and stop"
    )
    command.add_argument("--no-report", action="store_true", help="do not build the report")


def _add_expectations(commands):
    command = commands.add_parser("expectations", help="expectation files: draft one from raw runs")
    actions = command.add_subparsers(dest="action", metavar="{draft}")
    actions.required = True
    draft = actions.add_parser(
        "draft",
        help="print an expectations file listing every scenario that failed in raw runs (--expectations off)",
    )
    draft.add_argument("logs", nargs="+", metavar="LOG", help="results logs, or directories of *.jsonl logs")
    draft.add_argument("--loop", metavar="NAME", help="the loop to draft for, when the logs hold several")
    draft.add_argument("--write", action="store_true", help="write it to the spec's expectations/LOOP.toml")
    draft.add_argument("--force", action="store_true", help="with --write: replace an existing file")


def build_parser():
    parser = _Parser(prog="python -m asyncio_server_spec")
    commands = parser.add_subparsers(dest="command", metavar="{serve,trace,report,run,survey,expectations}")
    commands.required = True
    serve = commands.add_parser("serve", help="run the reference echo server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=0, help="TCP port; 0 (default) picks a free one")
    serve.add_argument("--unix", metavar="PATH", help="listen on a Unix socket at PATH instead of TCP")
    serve.add_argument(
        "--loop", default="asyncio", help="event loop: asyncio, uvloop, rloop or module:factory"
    )
    trace = commands.add_parser("trace", help="print the traceability table of the features")
    trace.add_argument("--features", default="features", help="the features directory (default: features)")
    trace.add_argument("--write", action="store_true", help="update the table in FEATURES/README.md")
    report = commands.add_parser("report", help="build the results site from results logs")
    report.add_argument("--out", required=True, metavar="DIR", help="the directory to write the site into")
    report.add_argument("--features", default="features", help="the features directory (default: features)")
    report.add_argument(
        "logs",
        nargs="+",
        metavar="LOG",
        help="a results log (behave -D results=PATH), or a directory of *.jsonl logs",
    )
    _add_run(commands)
    _add_survey(commands)
    _add_expectations(commands)
    return parser


def parse_args(argv):
    """Parse *argv*; raise :class:`UsageError` with one line on bad input.

    For ``run``, ``options.behave_args`` holds what goes to behave: the
    options ``run`` does not know, then everything after ``--``.
    """
    argv = list(argv)
    after_dashes = []
    if "--" in argv:
        cut = argv.index("--")
        argv, after_dashes = argv[:cut], argv[cut + 1 :]
    options, unknown = build_parser().parse_known_args(argv)
    if options.command != "run" and (unknown or after_dashes):
        raise UsageError(f"unrecognized arguments: {' '.join(unknown + after_dashes)}")
    if options.command == "serve":
        options.new_loop = loop_factory_or_usage_error(options.loop)
    if options.command == "run":
        options.behave_args = unknown + after_dashes
    return options


def trace(options, out=sys.stdout):
    """Print the traceability table, or write it into the features' README."""
    if not os.path.isdir(options.features):
        raise UsageError(f"{options.features} is not a directory of feature files")
    if not options.write:
        out.write(traceability.table(options.features))
        return 0
    try:
        readme = traceability.write_readme(options.features)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot update {os.path.join(options.features, 'README.md')}: {exc}")
    print("updated " + readme, file=out)
    return 0


def report(options, out=None):
    """Build the results site from the logs; print where its index is."""
    from .report import LogError, RegistryError, build_site  # jinja2 is needed only here

    if not os.path.isdir(options.features):
        raise UsageError(f"{options.features} is not a directory of feature files")
    if os.path.exists(options.out) and not os.path.isdir(options.out):
        raise UsageError(f"--out {options.out} is a file; give a directory for the site")
    try:
        pages, logs = build_site(options.out, options.logs, options.features)
    except (LogError, RegistryError) as exc:
        raise UsageError(str(exc))
    except OSError as exc:
        raise UsageError(f"cannot write the site into {options.out}: {exc.strerror or exc}")
    index = os.path.join(options.out, "index.html")
    plural = "" if len(logs) == 1 else "s"
    print(f"wrote {index} ({len(pages)} pages from {len(logs)} log{plural})", file=out or sys.stdout)
    return 0


def expectations(options, out=None):
    """``expectations draft``: an expectations file drafted from raw runs."""
    from .report import LogError, RegistryError, drafts  # jinja2 is needed only here

    try:
        return drafts.command(options, out or sys.stdout)
    except (LogError, RegistryError, drafts.DraftError) as exc:
        raise UsageError(str(exc))
    except OSError as exc:
        raise UsageError(f"cannot write {exc.filename}: {exc.strerror}")


def loop_factory_or_usage_error(name):
    try:
        return checked_loop_factory(name)
    except LoopSelectionError as exc:
        raise UsageError(str(exc))


def serve(options):
    """The reference echo server, until SIGINT or SIGTERM."""
    try:
        return echo_server.run(options.new_loop, host=options.host, port=options.port, unix=options.unix)
    except echo_server.CannotListen as exc:
        raise UsageError(str(exc))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        options = parse_args(argv)
        commands = {
            "trace": trace,
            "report": report,
            "run": runner.run,
            "serve": serve,
            "survey": survey.survey,
            "expectations": expectations,
        }
        return commands[options.command](options)
    except (UsageError, LoopSelectionError, behave_run.SpecError, survey.SurveyError) as exc:
        print(f"asyncio_server_spec: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
