"""What the report knows about a loop beyond its logs: its registry entry and
the upstream issues its expectations file links.

Both are read tolerantly: a repository without ``loops.toml`` or without
``expectations/NAME.toml`` (an installed spec, a loop nobody listed yet), or a
file this reader cannot use, gives no entry and no links -- never an error, as
the report must build from logs alone.

``loops.toml`` (at the repository's root) lists the registered loops, each
with ``name``, ``package``, ``version``, ``factory``, ``tracker`` (a URL) and
``pythons``; this reader accepts an array of tables (``[[loop]]``) or a table
per loop (``[loops.NAME]``) and ignores the fields it does not know.
"""

import os

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

from ..harness import expectations

REGISTRY = "loops.toml"


class Registered:
    """One loop of the registry, as far as the report uses it."""

    def __init__(self, fields):
        self.name = str(fields.get("name") or "")
        self.package = _text(fields.get("package"))
        self.version = _text(fields.get("version"))
        self.factory = _text(fields.get("factory"))
        self.tracker = _text(fields.get("tracker"))
        pythons = fields.get("pythons")
        self.pythons = [str(p) for p in pythons] if isinstance(pythons, list) else []

    def names(self):
        """The names a results log may give this loop: its name, its factory, its package."""
        return {n for n in (self.name, self.factory, self.package) if n}


def _text(value):
    return str(value) if isinstance(value, (str, int, float)) and str(value) else None


def _tables(document):
    """The loop tables of a registry document, however it is laid out."""
    for value in document.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    yield item
        elif isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, dict):
                    yield dict(item, name=item.get("name") or name)


def read_registry(root):
    """The registered loops of the repository at *root*: ``[Registered]``, or
    ``[]`` when there is no usable ``loops.toml``."""
    if not root:
        return []
    try:
        with open(os.path.join(root, REGISTRY), "rb") as data:
            document = tomllib.load(data)
    except (OSError, ValueError):
        return []
    return [Registered(table) for table in _tables(document) if table.get("name")]


def registered(registry, loop_name, module=None):
    """The registry's entry for the loop a log calls *loop_name*, or None."""
    top = (module or loop_name.partition(":")[0]).split(".")[0]
    for entry in registry:
        if loop_name in entry.names():
            return entry
    for entry in registry:
        if top and top in entry.names():
            return entry
    return None


def known_upstream(root, names):
    """``{scenario id: link}`` from the expectations file of the first of
    *names* that has one under ``ROOT/expectations``; ``{}`` if none can be read."""
    if not root:
        return {}
    for name in names:
        if not name or "/" in name or ":" in name:
            continue
        path = os.path.join(root, "expectations", f"{name}.toml")
        if not os.path.isfile(path):
            continue
        try:
            listed = expectations.load(path)
        except expectations.ExpectationError:
            return {}
        return {entry.id: entry.link for entry in listed.entries if entry.link}
    return {}
