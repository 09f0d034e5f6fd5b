"""behave's pretty formatter, showing what the spec writes under each Rule and
Scenario line: the docs links (``Docs:``), the CPython references
(``CPython:``) and the notes (``Note:``).

behave's own pretty formatter prints only the feature's description; the
spec's pyproject.toml registers this class under the name ``pretty``, so
``behave -f pretty`` reads as documentation.
"""

import re

from behave.formatter.pretty import PrettyFormatter

_LABEL = re.compile(r"^[A-Za-z]+:")


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
            # a label line (Docs:, CPython:, Note:) and the lines that continue it
            lines = [line if _LABEL.match(line) else "      " + line for line in description]
            self.print_description(lines, indentation)
