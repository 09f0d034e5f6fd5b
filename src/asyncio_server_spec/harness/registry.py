"""The loop registry: every asyncio event loop on PyPI, in ``loops.toml``.

``loops.toml`` (at the repository's root; a wheel carries it beside the spec)
is data, one ``[[loop]]`` table per loop::

    [[loop]]
    name = "veloxloop"                      # the name --loop and -D loop= accept
    package = "veloxloop"                   # its PyPI package
    version = "0.2.0"                       # pinned: the survey installs exactly this
    factory = "veloxloop:new_event_loop"    # module:callable returning a new loop
    pythons = ["3.11", "3.12", "3.13", "3.14"]   # where that version installs
    tracker = "https://github.com/.../issues"    # its upstream issues
    released = "2026-01"                    # when that version came out (YYYY-MM)
    extra = ["PySide6==6.12.0"]             # optional: more requirements
    debian = ["python3-gi"]                 # optional: Debian packages it needs ...
    system_site_packages = true             # ... seen from Debian's own /usr/bin/python3.X
    skip = "Windows only"                   # optional: why it cannot run here

This module is its one reader (:func:`load`); a name in the registry is a
known loop name for :mod:`.loops`, and the survey (:mod:`asyncio_server_spec.survey`)
installs and runs every entry that has no ``skip``.
"""

import os
import re

from .expectations import read_toml

FILE = "loops.toml"
REQUIRED = ("name", "package", "version", "factory", "pythons", "tracker", "released")
FIELDS = set(REQUIRED) | {"extra", "debian", "system_site_packages", "skip", "note"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_FACTORY = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
_PYTHON = re.compile(r"^3\.\d+$")
_RELEASED = re.compile(r"^\d{4}-\d{2}$")


class RegistryError(Exception):
    """The registry cannot be used; the message is one line."""


class Entry:
    """One registered loop (the fields of its ``[[loop]]`` table)."""

    def __init__(self, fields):
        self.name = fields["name"]
        self.package = fields["package"]
        self.version = fields["version"]
        self.factory = fields["factory"]
        self.pythons = list(fields["pythons"])
        self.tracker = fields["tracker"]
        self.released = fields["released"]
        self.extra = list(fields.get("extra", []))
        self.debian = list(fields.get("debian", []))
        self.system_site_packages = bool(fields.get("system_site_packages", False))
        self.skip = fields.get("skip")
        self.note = fields.get("note")

    @property
    def module(self):
        return self.factory.partition(":")[0]

    @property
    def attribute(self):
        return self.factory.partition(":")[2]

    @property
    def runnable(self):
        return not self.skip

    @property
    def requirement(self):
        """What pip installs for it: ``package==version``."""
        return f"{self.package}=={self.version}"

    def maintained(self, today):
        """Released within two years of *today* (a ``(year, month)`` pair)."""
        year, month = (int(part) for part in self.released.split("-"))
        return (today[0] - year) * 12 + today[1] - month <= 24

    def __repr__(self):
        return f"<loop {self.name} {self.requirement}>"


def default_path():
    """``loops.toml`` beside the spec: the wheel's copy, else the checkout's."""
    from .behave_run import spec_root

    return os.path.join(spec_root(), FILE)


def _check(raw, where):
    if not isinstance(raw, dict):
        raise RegistryError(f"{where} is not a table")
    unknown = set(raw) - FIELDS
    if unknown:
        raise RegistryError(
            "{}: unknown field(s) {}; accepted: {}".format(
                where, ", ".join(sorted(unknown)), ", ".join(sorted(FIELDS))
            )
        )
    for field in REQUIRED:
        if field not in raw:
            raise RegistryError(f"{where}: '{field}' is required")
    for field in ("name", "package", "version", "factory", "tracker", "released", "skip", "note"):
        if field in raw and (not isinstance(raw[field], str) or not raw[field].strip()):
            raise RegistryError(f"{where}: '{field}' must be a non-empty string")
    checks = (
        ("name", _NAME, "lower-case letters, digits, '.', '_' or '-'"),
        ("factory", _FACTORY, "package.module:callable"),
        ("released", _RELEASED, "YYYY-MM"),
    )
    for field, pattern, accepted in checks:
        if not pattern.match(raw[field]):
            raise RegistryError(f"{where}: {field} = {raw[field]!r} is not {accepted}")
    pythons = raw["pythons"]
    if not isinstance(pythons, list) or not all(isinstance(p, str) and _PYTHON.match(p) for p in pythons):
        raise RegistryError(f'{where}: pythons must be a list of versions such as ["3.12", "3.13"]')
    if not pythons and "skip" not in raw:
        raise RegistryError(f"{where}: pythons is empty; give the versions it installs on, or a skip reason")
    for field in ("extra", "debian"):
        value = raw.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise RegistryError(f"{where}: {field} must be a list of strings")
    if not isinstance(raw.get("system_site_packages", False), bool):
        raise RegistryError(f"{where}: system_site_packages must be true or false")


def load(path=None):
    """The registry's entries, in file order; a :class:`RegistryError` if the
    file cannot be read or an entry is malformed (two entries of one name too)."""
    path = path or default_path()
    document = read_toml(path, "the loop registry", RegistryError)
    if set(document) - {"loop"}:
        raise RegistryError(f"the loop registry {path}: only [[loop]] tables are accepted")
    entries, seen = [], set()
    for number, raw in enumerate(document.get("loop", []), 1):
        where = f"the loop registry {path}, loop {number}"
        _check(raw, where)
        if raw["name"] in seen:
            raise RegistryError("{}: the name {!r} is registered twice".format(where, raw["name"]))
        seen.add(raw["name"])
        entries.append(Entry(raw))
    return entries


def load_if_present(path):
    """:func:`load`, or ``[]`` when there is no file at *path* (a report of
    logs alone); a file that is there must be usable."""
    if not os.path.exists(path):
        return []
    return load(path)


def find(name, path=None):
    """The entry named *name*, or None if the registry has none."""
    for entry in load(path):
        if entry.name == name:
            return entry
    return None
