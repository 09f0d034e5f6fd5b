"""The verdict of a run against a loop: expected failures, unexpected
failures and unexpected passes, per scenario id."""

EXPECTED_FAILURE = "expected failure"
UNEXPECTED_FAILURE = "UNEXPECTED FAILURE"
UNEXPECTED_PASS = "UNEXPECTED PASS"


class Verdicts:
    def __init__(self):
        self.rows = []  # (kind, scenario id, detail)

    def add(self, kind, sid, detail):
        self.rows.append((kind, sid, detail))

    def count(self, kind):
        return sum(1 for row in self.rows if row[0] == kind)

    def summary(self, heading):
        lines = ["", "Divergence summary: " + heading]
        for kind, sid, detail in self.rows:
            lines.append("  {:<18} {}".format(kind, sid))
            lines.append("      {}".format(detail))
        lines.append("  {} expected failure(s), {} unexpected failure(s), {} unexpected pass(es)".format(
            self.count(EXPECTED_FAILURE), self.count(UNEXPECTED_FAILURE), self.count(UNEXPECTED_PASS)))
        return "\n".join(lines)
