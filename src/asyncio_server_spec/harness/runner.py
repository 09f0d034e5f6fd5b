"""``asyncio-server-spec run``: the spec against one loop, in this process or
in shards (``--jobs N``), with its results log and, if asked, the results site.

:mod:`asyncio_server_spec.cli` parses the command line into *options* --
``loop``, ``expectations``, ``results``, ``jobs``, ``report`` (each None when
not given, ``jobs`` a number) and ``behave_args`` (what goes to behave
unchanged) -- and hands them to :func:`run`.  A run that cannot start raises
:class:`~.loops.LoopSelectionError` or :class:`~.behave_run.SpecError`, whose
message is one line.
"""

import os
import sys
import tempfile

from . import behave_run, parallel, registry
from .loops import check_loop_in_child, checked_loop_factory


def behave_args(options, results=None):
    """behave's command line for a run in this process: the pass-through
    arguments, then ``-D`` for each option given (so that ``--loop`` wins over
    a ``-D loop=``).  *results*: the results log (default ``options.results``)."""
    return list(options.behave_args) + behave_run.userdata_args(
        loop=options.loop,
        expectations=options.expectations,
        results=options.results if results is None else results,
    )


def run(options):
    """Run the spec as *options* say; return behave's exit status (0 every
    scenario held, 1 a failing verdict, 2 the run was refused).

    The loop is checked before behave starts -- in a child when the run is
    sharded, so that this process, whose children the shards are, never sees
    it.  Its module may live in the current directory: behave puts that on
    sys.path too.
    """
    sharded = options.jobs > 1
    if options.loop is not None:
        if os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        (check_loop_in_child if sharded else checked_loop_factory)(options.loop)
    results = options.results
    if options.report:
        check_writable_dir(options.report, "the results site")
        check_registry(behave_run.spec_root())
        if not results:
            results = os.path.join(options.report, "results.jsonl")
    if results:
        check_writable_file(results, "the results log")
    root = behave_run.spec_root()
    if sharded:
        args = list(options.behave_args) + behave_run.userdata_args(
            loop=options.loop, expectations=options.expectations
        )
        named = behave_run.configuration(args, root).paths_given
        features = () if named else parallel.heaviest_first(os.path.join(root, "features"))
        status = parallel.run(args, options.jobs, results, features=features)
    else:
        status = behave_run.run(behave_args(options, results))
    if options.report and status in (0, 1):
        from ..report import build_site  # jinja2 is needed only here

        build_site(options.report, [results], os.path.join(root, "features"))
        print(f"the results site: {os.path.join(options.report, 'index.html')}")
    return status


def check_registry(root):
    """Check, before the run, that the loop registry the site will read is
    usable (absent is fine); raise :class:`~.behave_run.SpecError` (one line) if not."""
    try:
        registry.load_if_present(os.path.join(root, registry.FILE))
    except registry.RegistryError as exc:
        raise behave_run.SpecError(str(exc)) from None


def check_writable_dir(path, what):
    """Make the directory *path* (for *what*) if need be, and check that a
    file can be written in it; raise :class:`~.behave_run.SpecError` (one
    line) if not -- before the run, not after it."""
    try:
        os.makedirs(path, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=path, prefix=".write-check-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise behave_run.SpecError(f"cannot write {what} into {path}: {exc.strerror or exc}") from None


def check_writable_file(path, what):
    """Check that the file *path* (for *what*) can be written, making its
    directory if need be; a file that was not there is not left behind."""
    existed = os.path.exists(path)
    try:
        if os.path.isdir(path):
            raise IsADirectoryError(21, "it is a directory; give a file")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "a"):
            pass
        if not existed:
            os.unlink(path)
    except OSError as exc:
        raise behave_run.SpecError(f"cannot write {what} {path}: {exc.strerror or exc}") from None
