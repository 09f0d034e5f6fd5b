"""The spec as pages a person reads: the version × loop matrix from results logs.

``python -m asyncio_server_spec report --out DIR LOG [LOG...]`` reads the
results logs (:mod:`.logs`), the feature files (:mod:`.spec`, as
:mod:`asyncio_server_spec.features` reads them), combines them
(:mod:`.model`) and writes a static site (:mod:`.site`): index.html (summary
and matrix), one page per feature and per loop, traceability.html, runs.html.
"""

import os

from ..harness.registry import RegistryError
from .logs import LogError, read_logs
from .site import build
from .spec import read_spec

__all__ = ["LogError", "RegistryError", "build_site"]


def build_site(out_dir, arguments, features_dir):
    """Build the site from the logs named by *arguments* (files or
    directories of ``*.jsonl``); return (pages written, logs read).  The
    directory above *features_dir* is the spec's repository: its
    ``loops.toml`` and ``expectations/`` give the loops' upstream links.
    A log that is not one is a :class:`LogError`, a ``loops.toml`` that is
    there but malformed a :class:`RegistryError` (each one line)."""
    logs = read_logs(arguments)
    root = os.path.dirname(os.path.abspath(features_dir))
    pages = build(out_dir, read_spec(features_dir), logs, root)
    return pages, logs
