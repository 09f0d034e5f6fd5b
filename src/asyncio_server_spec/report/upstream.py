"""What the report knows about a loop beyond its logs: its registry entry and
the upstream issues its expectations file links.

The registry (``loops.toml`` at the spec's root) is read by its one reader,
:func:`asyncio_server_spec.harness.registry.load`.  A spec without the file
(an installed one, a checkout of another project's logs) gives no entries and
no links, as the report must build from logs alone; a file that is there but
malformed is a :class:`~asyncio_server_spec.harness.registry.RegistryError`
(one line: ``report`` exits 2), as the tests keep the repository's own valid.

An ``expectations/NAME.toml`` that cannot be read gives no links.
"""

import os

from ..harness import expectations, registry


def registry_entries(root):
    """The registered loops of the spec at *root* (:class:`.registry.Entry`),
    ``[]`` when it has no ``loops.toml``; a :class:`.registry.RegistryError`
    when it has one that cannot be used."""
    return registry.load_if_present(os.path.join(root, registry.FILE)) if root else []


def registered(entries, loop_name, module=None):
    """The registry entry for the loop a results log calls *loop_name*, or None:
    the entry of that name; for a run of ``--loop module:factory``, the entry
    of that factory, else of that module (the header's *module*, else the part
    before the colon), else of that module's top-level package."""
    for entry in entries:
        if entry.name == loop_name:
            return entry
    if ":" not in loop_name:
        return None
    for entry in entries:
        if entry.factory == loop_name:
            return entry
    module = module or loop_name.partition(":")[0]
    for entry in entries:
        if entry.module == module:
            return entry
    top = module.split(".")[0]
    for entry in entries:
        if entry.module.split(".")[0] == top:
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
