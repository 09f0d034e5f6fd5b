"""Values for behave active tags: which Python and which event loop is running.

Tags read ``@use.with_python.min_version=3.12.1`` (run from 3.12.1 on),
``@use.with_python.max_version=3.11`` (run up to and including 3.11.x) and
``@use.with_loop=asyncio`` and ``@use.with_os=linux`` (``sys.platform``).  A version in a tag is compared at the precision
it is written with, so ``max_version=3.11`` includes 3.11.7 and
``min_version=3.12.1`` excludes 3.12.0.
"""

import operator
import sys

from behave.tag_matcher import ActiveTagMatcher, ValueObject


def version_tuple(text):
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        raise ValueError("{!r} is not a version like 3.12 or 3.12.1".format(text)) from None


class VersionBound(ValueObject):
    """Compares the running version with a tag's version at the tag's precision."""

    def __init__(self, running, compare):
        super().__init__(tuple(running), compare)

    def matches(self, tag_value):
        wanted = version_tuple(tag_value)
        return self.compare(self.value[: len(wanted)], wanted)


def value_provider(loop_name, version_info=None):
    version = tuple(version_info or sys.version_info)[:3]
    return {
        "python.min_version": VersionBound(version, operator.ge),
        "python.max_version": VersionBound(version, operator.le),
        "loop": loop_name,
        "os": sys.platform,
    }


def matcher(loop_name, version_info=None):
    return ActiveTagMatcher(value_provider(loop_name, version_info))
