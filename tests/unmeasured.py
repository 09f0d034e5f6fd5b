"""An environment for spec runs that coverage need not measure.

Under ``coverage run`` (tox's 3.11 environments), pyproject.toml's
``patch = subprocess`` measures every Python process the tests start, and
``patch = fork`` each isolated scenario's child: thousands of data files
for the runs that repeat the whole spec (jobs 1 against jobs 4, eight runs
side by side, the expectation files' raw runs, the installed wheel), whose
code the other tests and tox's own spec runs measure already.  Those runs
take this environment instead.
"""

import os

#: What coverage's subprocess patch passes on to a child process.
_COVERAGE_VARIABLES = ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START")


def unmeasured(env=None):
    """*env* (default: this process's environment) without coverage's variables."""
    env = dict(os.environ if env is None else env)
    for name in _COVERAGE_VARIABLES:
        env.pop(name, None)
    return env
