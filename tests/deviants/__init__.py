"""Deliberately deviant servers: each breaks one documented behaviour.

A deviant is a loop factory (usable as ``behave -D loop=tests.deviants.MODULE:NAME``)
returning a real asyncio loop whose ``create_server`` / ``create_unix_server``
hand out servers with one behaviour changed.  ``asyncio.start_server`` goes
through ``loop.create_server``, so every way of creating a server is covered.

Each deviant is registered once, with :func:`deviant`: its name, the scenario
ids that must fail against it and the Python versions where they must.
"""

import asyncio
import sys

from asyncio_server_spec.harness import versions


class Catch:
    """A deviant (a factory in the same module) and the scenario ids that must
    fail against it, on the Python versions given: *python* is a condition
    like the expectation files' (``">=3.12.1"``, ``">=3.11.7, <=3.11"``),
    *python_ranges* ranges like the spec's ``@use.with_python=A..B`` tags,
    ORed; both read by :mod:`asyncio_server_spec.harness.versions`, at the
    precision written."""

    def __init__(self, factory, *ids, python=None, python_ranges=(), also=()):
        assert ids, "a deviant must name the scenarios that catch it"
        self.factory = factory
        self.ids = set(ids)
        #: scenarios about the same behaviour that may fail against it too
        #: (any other scenario of their feature files must pass)
        self.also = set(also)
        self.python = python
        self._holds = versions.condition(python) if python else None
        self.python_ranges = tuple(python_ranges)

    def applies(self, version_info=None):
        version = versions.running(version_info)
        if self._holds is not None and not self._holds(version):
            return False
        if self.python_ranges:
            return any(versions.in_range(text, version) for text in self.python_ranges)
        return True


#: Every registered catch, by module name, in registration order.
REGISTRY = {}


def deviant(name, *ids, python=None, python_ranges=(), also=()):
    """Register the deviant *name*: the scenarios *ids* must fail against it
    (where *python* / *python_ranges* hold, as for :class:`Catch`), and no
    other scenario of their feature files may, but those in *also* (about the
    same behaviour, they may fail too).

    Applied to a server mixin class, binds ``name = deviant_loop(mixin)`` in
    the calling module; applied to a loop factory (any other callable), binds
    ``name`` to it.  Either way the target is returned unchanged, so a
    decorated mixin stays usable as a base class.  Registering one name again
    (other ids on other versions) needs the same target.
    """
    catch = Catch(name, *ids, python=python, python_ranges=python_ranges, also=also)
    module = sys.modules[sys._getframe(1).f_globals["__name__"]]  # the deviants' module

    def register(target):
        factory = deviant_loop(target) if isinstance(target, type) else target
        made_from = getattr(module, "_deviant_targets", None)
        if made_from is None:
            made_from = module._deviant_targets = {}
        if name in made_from:
            if made_from[name] is not target:
                raise ValueError(f"{module.__name__}: {name} registered with two different targets")
        elif hasattr(module, name):
            raise ValueError(f"{module.__name__}: {name} is already bound")
        else:
            made_from[name] = target
            setattr(module, name, factory)
        REGISTRY.setdefault(module.__name__, []).append(catch)
        return target

    return register


def catches(module):
    """The catches registered in *module* (a module object or its name)."""
    return list(REGISTRY.get(getattr(module, "__name__", module), ()))


def tracked_clients(server):
    """Transports of the server's open client connections (see :func:`deviant_loop`)."""
    return [t for t in getattr(server, "_deviant_transports", []) if not t.is_closing()]


def deviant_loop(server_mixin=None, adjust_kwargs=None):
    """A loop factory whose servers mix in *server_mixin* and whose creation
    keyword arguments pass through *adjust_kwargs* first."""

    def factory():
        loop = asyncio.new_event_loop()
        for method in ("create_server", "create_unix_server"):
            _patch_create(loop, method, server_mixin, adjust_kwargs)
        return loop

    return factory


#: The positional parameters after protocol_factory, by method.
_POSITIONAL = {"create_server": ("host", "port"), "create_unix_server": ("path",)}


def _patch_create(loop, method, server_mixin, adjust_kwargs):
    original = getattr(loop, method)

    async def create(protocol_factory, *args, **kwargs):
        transports = []

        def tracking_factory():
            protocol = protocol_factory()
            made = protocol.connection_made

            def connection_made(transport):
                transports.append(transport)
                return made(transport)

            protocol.connection_made = connection_made
            return protocol

        kwargs.update(zip(_POSITIONAL[method], args))
        if adjust_kwargs is not None:
            kwargs = adjust_kwargs(kwargs)
        server = await original(tracking_factory, **kwargs)
        server._deviant_transports = transports
        if server_mixin is not None:
            # keep the class name: repr(server) starts with it
            cls = type(server)
            server.__class__ = type(cls.__name__, (server_mixin, cls), {})
        return server

    setattr(loop, method, create)
