"""Values for behave active tags: which Python, which event loop, which OS.

A scenario that describes the behaviour of some versions only carries tags:

- ``@use.with_python.min_version=3.12.1``: from 3.12.1 on;
- ``@use.with_python.max_version=3.11``: up to and including every 3.11.x;
- ``@use.with_python=3.13.0..3.13.14``: an inclusive range (``3.15..`` is
  open-ended, a single version names that release or line).  Several tags of
  this form on one scenario mean *any of* these ranges -- behave ORs active
  tags of one category and ANDs different categories -- which is how a
  behaviour that a fix reached in different patch releases of each line is
  written, e.g. ``@use.with_python=3.12.1..3.12 @use.with_python=3.13.0..3.13.14``;
- ``@use.with_loop=asyncio`` and ``@use.with_os=linux`` (``sys.platform``).

Every version is compared at the precision it is written with
(:mod:`asyncio_server_spec.harness.versions`).
"""

import operator
import sys

from behave.tag_matcher import ActiveTagMatcher, ValueObject

from . import versions


class VersionBound(ValueObject):
    """Compares the running version with a tag's version at the tag's precision."""

    def __init__(self, running, compare):
        super().__init__(tuple(running), compare)

    def matches(self, tag_value):
        return versions.compare(self.compare, self.value, versions.parse(tag_value))


class VersionRange(ValueObject):
    """Whether the running version lies in a tag's range (``3.13.0..3.13.14``)."""

    def __init__(self, running):
        super().__init__(tuple(running))

    def matches(self, tag_value):
        return versions.in_range(tag_value, self.value)


def value_provider(loop_name, version_info=None):
    version = versions.running(version_info)
    return {
        "python": VersionRange(version),
        "python.min_version": VersionBound(version, operator.ge),
        "python.max_version": VersionBound(version, operator.le),
        "loop": loop_name,
        "os": sys.platform,
    }


def matcher(loop_name, version_info=None):
    return ActiveTagMatcher(value_provider(loop_name, version_info))
