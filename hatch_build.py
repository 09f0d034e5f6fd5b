"""Build hook: the wheel carries the spec inside the package.

The repository keeps behave's layout at its root (features/, steps/,
environment.py, expectations/) and the loop registry (loops.toml); a wheel
gets the same files under ``asyncio_server_spec/spec/``, where ``asyncio-server-spec run`` finds them.
Editable installs get nothing: they run the repository's own files.
"""

import glob
import os

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: The spec's files, relative to the project root.
SPEC_FILES = (
    "features/*.feature",
    "features/README.md",
    "steps/*.py",
    "steps/vocabulary/*.py",
    "environment.py",
    "expectations/*.toml",
    "loops.toml",
)
#: Where they go in the wheel.
SPEC_DIR = "asyncio_server_spec/spec"


def spec_files(root):
    """The spec's files under *root*, as sorted paths relative to it."""
    found = set()
    for pattern in SPEC_FILES:
        found.update(os.path.relpath(path, root) for path in glob.glob(os.path.join(root, pattern)))
    return sorted(found)


class SpecBuildHook(BuildHookInterface):
    """Adds the spec's files to a standard (not editable) wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if version == "editable":
            return
        files = spec_files(self.root)
        if "environment.py" not in files or not any(f.endswith(".feature") for f in files):
            raise RuntimeError(f"the spec is incomplete under {self.root}: {files}")
        force_include = build_data.setdefault("force_include", {})
        for relative in files:
            target = "/".join([SPEC_DIR] + relative.split(os.sep))
            force_include[os.path.join(self.root, relative)] = target
