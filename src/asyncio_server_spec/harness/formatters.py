"""behave's pretty formatter, showing what the spec writes under each Rule and
Scenario line: the docs links (``Docs:``), the CPython references
(``CPython:``) and the notes (``Note:``).

behave's own pretty formatter prints only the feature's description; the
repository's tox.ini registers this class under the name ``pretty`` (its
``[behave.formatters]`` section, which behave reads), and the packaged runner
does the same (:data:`.behave_run.FORMATTERS`), so ``behave -f pretty`` and
``asyncio-server-spec run -f pretty`` read as documentation.
"""

from behave.formatter.pretty import PrettyFormatter

from ..features import is_reference


class DescribedPrettyFormatter(PrettyFormatter):
    name = "pretty"
    description = "pretty formatter that also prints rule and scenario descriptions"

    def print_statement(self):
        statement = self.statement
        super().print_statement()
        description = getattr(statement, "description", None)
        if statement is not None and description:
            nested = self.current_rule is not None and statement.type != "rule"
            indentation = "      " if nested else "    "
            self.print_description(_indented(description), indentation)


def _indented(description):
    """A description's lines, the lines that continue a reference (a ``Docs:``,
    ``CPython:`` or ``Note:`` line) indented under it; prose (a rule's
    description) as written."""
    lines, continuing = [], False
    for line in description:
        if is_reference(line):
            continuing = True
            lines.append(line)
        elif continuing and line.strip():
            lines.append("      " + line)
        else:
            continuing = continuing and bool(line.strip())
            lines.append(line)
    return lines
