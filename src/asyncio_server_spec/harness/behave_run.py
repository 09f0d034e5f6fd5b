"""behave on the spec, from any directory: what ``asyncio-server-spec run``
(:mod:`.runner`) and each of its shards run.

The spec is the repository's ``features/``, ``steps/``, ``environment.py`` and
``expectations/``.  A wheel carries them as ``asyncio_server_spec/spec/``; a
source checkout (an editable install) uses the repository's own files.

behave runs in this process, with the configuration the repository gives it
(its pretty formatter prints the scenarios' Docs:/CPython:/Note: lines) and
without reading any configuration file (tox.ini, setup.cfg, behave.ini, ...)
from the current directory, so where it is run from changes nothing but where
relative paths such as ``--results`` land.
"""

import os

from behave.__main__ import run_behave
from behave.configuration import Configuration, setup_parser
from behave.exception import ConfigError, TagExpressionError
from behave.formatter import _registry

#: Formatters registered as behave's ``[behave.formatters]`` section does in the repository.
FORMATTERS = {"pretty": "asyncio_server_spec.harness.formatters:DescribedPrettyFormatter"}

#: The package's top folder (``asyncio_server_spec/``), where a wheel puts ``spec/``.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class SpecError(Exception):
    """The spec or an argument for behave is unusable; the message is one line."""


def is_spec_root(path):
    """True if *path* holds the spec as behave needs it."""
    return (
        os.path.isfile(os.path.join(path, "environment.py"))
        and os.path.isdir(os.path.join(path, "steps"))
        and os.path.isdir(os.path.join(path, "features"))
    )


def spec_root():
    """The directory holding ``features/``, ``steps/``, ``environment.py``, ``expectations/``.

    The copy inside the installed package if there is one, else the source
    checkout this module lives in (``src/asyncio_server_spec/`` -> the root).
    """
    packaged = os.path.join(_PACKAGE_DIR, "spec")
    checkout = os.path.dirname(os.path.dirname(_PACKAGE_DIR))
    for candidate in (packaged, checkout):
        if is_spec_root(candidate):
            return candidate
    raise SpecError(
        f"the spec is missing: neither {packaged} nor {checkout} holds features/, "
        "steps/ and environment.py; reinstall asyncio-server-spec"
    )


def userdata_args(loop=None, expectations=None, results=None):
    """behave's ``-D name=value`` arguments for the options that were given."""
    args = []
    for name, value in (("loop", loop), ("expectations", expectations), ("results", results)):
        if value is not None:
            args += ["-D", f"{name}={value}"]
    return args


def resolve_path(path, root):
    """A feature file or directory named relative to the spec, as behave's path.

    ``closing.feature``, ``features/closing.feature`` and ``closing.feature:42``
    all name the spec's own file, wherever the command runs.
    """
    name, sep, line = path.rpartition(":")
    if not (sep and line.isdigit()):
        name, sep, line = path, "", ""
    for base in (root, os.path.join(root, "features")):
        candidate = os.path.normpath(os.path.join(base, name))
        if os.path.exists(candidate):
            return candidate + sep + line
    features = os.path.join(root, "features")
    raise SpecError(f"{path} is not a feature file or directory of the spec; name one relative to {features}")


def _one_line(exc):
    return "behave: " + ((str(exc).splitlines() or [type(exc).__name__])[0])


def check_behave_args(args):
    """Parse *args* as behave would and return the options; raise
    :class:`SpecError` with one line if it refuses them (behave itself would
    print its usage too)."""
    parser = setup_parser()

    def refuse(message):
        raise SpecError("behave: " + message)

    parser.error = refuse
    options = parser.parse_args(list(args))
    for name, target in FORMATTERS.items():
        _registry.register_as(name, target)
    for name in options.format or ():
        if name != "help" and not _registry.is_formatter_valid(name):
            raise SpecError(f"behave: unknown formatter {name!r}; `-f help` lists them")
    return options


def configuration(args, root):
    """behave's Configuration for *args* run on the spec in *root*, ignoring config files."""
    check_behave_args(args)
    try:
        config = Configuration(list(args), load_config=False, more_formatters=dict(FORMATTERS))
    except (ConfigError, TagExpressionError) as exc:
        raise SpecError(_one_line(exc))
    except ValueError:  # behave's old tag syntax reads "tag:N" as a limit, and fails
        tags = [t for t in check_behave_args(args).tags or () if "," in t]
        if not tags:
            raise
        raise SpecError(
            f"behave: --tags={tags[0]!r} is not a tag expression behave accepts: with a comma "
            "behave reads its old syntax, where 'tag:N' is a tag with a limit of N; to select "
            "either scenario write --tags='id:a or id:b'"
        ) from None
    #: (whether the arguments named what to run)
    config.paths_given = bool(config.paths)
    if config.paths:
        config.paths = [resolve_path(path, root) for path in config.paths]
    else:
        config.paths = [os.path.join(root, "features")]
    return config


def run(args):
    """Run behave with *args* (behave's own command-line arguments) on the spec.

    Returns behave's exit status.  A loop the hooks refuse ends the process
    with status 2 before any scenario (see environment.py).
    """
    return run_behave(configuration(args, spec_root()))


def planned(args):
    """``(id, feature file name, title)`` of every scenario behave would run
    with *args* on the spec (its paths, line numbers, ``--tags`` and
    ``--name``), in order: what a run must account for, whether it ran
    them or not (active tags exclude some as not applicable only once the
    loop is known; they count as run here)."""
    from behave.runner_util import collect_feature_locations, parse_features

    from ..features import scenario_id, title

    config = configuration(args, spec_root())
    locations = [path for path in collect_feature_locations(config.paths) if not config.exclude(path)]
    found = []
    for feature in parse_features(locations, language=config.lang):
        for scenario in feature.walk_scenarios():
            if scenario.should_run(config):
                found.append(
                    (scenario_id(scenario.tags), os.path.basename(scenario.filename), title(scenario.name))
                )
    return found
