"""Scenario results as JSON lines, written while the run goes on.

``behave -D results=PATH`` makes environment.py append one line when a
scenario starts and one when it ends, flushed at once, so that even a run
whose process dies (a crashing event loop) leaves a record of which scenario
was running.
"""

import json


def scenario_id(tags):
    """The stable id of a scenario from its tags (``@id:...``), or None."""
    for tag in tags:
        if tag.startswith("id:"):
            return tag[3:]
    return None


class ResultLog:
    """Appends result events to a JSON-lines file."""

    def __init__(self, path):
        self.path = path

    def write(self, **event):
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(event, sort_keys=True) + "\n")
            out.flush()

    def started(self, sid, name):
        self.write(event="start", id=sid, name=name)

    def ended(self, sid, status, error=None):
        self.write(event="end", id=sid, status=status, error=error)


def read_events(path):
    """The events of a results file, in order; a torn last line is ignored."""
    events = []
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                try:
                    events.append(json.loads(line))
                except ValueError:
                    break  # the writer died mid-line
    except FileNotFoundError:
        pass
    return events


def outcomes(events):
    """Map scenario id -> final status; a started, never-ended scenario is 'crashed'."""
    result = {}
    for event in events:
        if event["event"] == "start":
            result[event["id"]] = "crashed"
        else:
            result[event["id"]] = event["status"]
    return result
