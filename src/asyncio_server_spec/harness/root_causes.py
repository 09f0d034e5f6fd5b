"""What to fix first: a run's failures grouped by root cause, most urgent first.

One home for the grouping that the end-of-run summary
(:meth:`.verdicts.Verdicts.summary`) and the report's loop pages share:

- :func:`normalize` makes a message groupable: the ports, file descriptors,
  object addresses, temp paths, pids, durations and counters that differ from
  one scenario (and one run) to the next become placeholders.  A group still
  shows the first real message of its first scenario as its example.
- :data:`CAPABILITIES` recognizes a whole missing capability (no Unix servers,
  no TLS servers...) from the scenario's feature, its failing step and its
  message, however the loop words its refusal.
- :func:`group` orders the groups by what to fix first: the spec's own bugs
  (harness errors), then crashes, then timeouts, then the rest; within a rank
  the group that strikes the most scenarios first, ties by the first id.  The
  order depends only on the outcomes, never on the order they arrived in
  (shards finish in any order).
- :func:`cap` and :func:`list_ids` keep each printed line short.

An *outcome* here is anything with ``id``, ``feature``, ``status``, ``message``
and ``step`` attributes (a :class:`.verdicts.Outcome`, or a report cell's record).
"""

import re
from collections import namedtuple

#: the longest line a summary prints, in characters
LINE_LIMIT = 300
#: the scenario ids a group line lists before "and K more"
IDS_SHOWN = 8

# -- normalizing a message ------------------------------------------------------
_TEMP_ROOTS = r"(?:/tmp|/var/tmp|/dev/shm|/private/var/folders|/var/folders|/run/user/\d+)"
_NORMALIZERS = [
    # object addresses: <Server at 0x7f3a...>, id 0x...
    (re.compile(r"0x[0-9a-fA-F]+"), "0x…"),
    # temp paths (Unix sockets, certificates): the whole path
    (re.compile(r"(?<![\w/])" + _TEMP_ROOTS + r"/[^\s'\",)\]>]*"), "<temp path>"),
    # ('127.0.0.1', 43121), ('::1', 43121, 0, 0), ('IPv4', '127.0.0.1', 43121)
    (
        re.compile(
            r"(['\"](?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*|localhost)['\"]\s*,\s*)\d+"
        ),
        r"\1<port>",
    ),
    # 127.0.0.1:43121, [::1]:43121, localhost:43121
    (re.compile(r"(\b\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]|\blocalhost):\d+"), r"\1:<port>"),
    (re.compile(r"\b(ports?)([ =:]+)\d+", re.IGNORECASE), r"\1\2<port>"),
    # fd=7, fd 7, fileno=7, file descriptor 7, fds [7, 8]
    (re.compile(r"\b(fd|fileno)([ =:]+)-?\d+", re.IGNORECASE), r"\1\2<fd>"),
    (re.compile(r"\b(file descriptors?)( \d+(?:, \d+)*)", re.IGNORECASE), r"\1 <fd>"),
    (re.compile(r"\b(fds?)\s*[\[{(]\s*-?\d+(?:\s*,\s*-?\d+)*\s*[\]})]", re.IGNORECASE), r"\1 <fds>"),
    # pid 123, pid=123, process 123
    (re.compile(r"\b(pid|process)([ =:]+)\d+", re.IGNORECASE), r"\1\2<pid>"),
    # durations: 0.31 s, 12 ms, 3.0 seconds
    (re.compile(r"\b\d+(?:\.\d+)?\s*(s|ms|us|µs|sec|secs|seconds?)\b"), r"<n> \1"),
    # task and thread names: Task-123, Thread-4
    (re.compile(r"\b(Task|Thread)-\d+\b"), r"\1-<n>"),
    # loopback addresses (the spec picks one per scenario)
    (re.compile(r"\b127\.\d+\.\d+\.\d+\b"), "127.<n>.<n>.<n>"),
    # a thread's native id: thread '<unnamed>' (11162) panicked
    (re.compile(r"(thread '[^']*' )\(\d+\)"), r"\1(<n>)"),
    # whatever whitespace
    (re.compile(r"\s+"), " "),
]


def normalize(message):
    """*message* with what varies between scenarios and runs replaced by
    placeholders (``<port>``, ``<fd>``, ``0x…``, ``<temp path>``, ``<pid>``,
    ``<n> s``), on one line; the key a group is made of."""
    text = "" if message is None else str(message)
    for pattern, placeholder in _NORMALIZERS:
        text = pattern.sub(placeholder, text)
    return text.strip()


#: how the spec reports the loop raising, which says nothing of the root cause
_RAISED = re.compile(
    r"^(?:no server could be created with \w+\(\): |the loop raised )(?=\w+(?:Error|Exception)\b)"
)


def _cause(message):
    """The group key of a message: normalized, and a loop's exception
    keyed alike whichever step met it (creating a server, or any other)."""
    return _RAISED.sub("the loop raised ", normalize(message))


# -- whole missing capabilities -------------------------------------------------
Capability = namedtuple("Capability", "name features where refused")
Capability.__doc__ = """A capability a loop may lack as a whole.

*name* is what the digest says ("no Unix servers"); an outcome shows it when
its feature file is one of *features* or its step or message matches *where*
(a regex), and its message matches *refused* (a regex: the loop refusing,
whatever its words)."""

#: how a loop words "I do not do that" (a missing attribute or keyword counts
#: only when it is the capability's own: see :func:`_refused`)
_REFUSED = r"NotImplementedError|not implemented|not supported|unsupported|does not support"


def _refused(*names):
    """A refusal, or a missing attribute or keyword argument named one of *names*."""
    named = "|".join(names)
    return (
        _REFUSED
        + rf"|has no attribute '(?:{named})'|unexpected keyword argument '(?:{named})'"
        + rf"|'(?:{named})' is an invalid keyword argument"
    )


#: the capabilities the digest names; where one failure shows several (a TLS
#: server on a Unix socket), :func:`capabilities` decides
CAPABILITIES = (
    Capability(
        "no connect_accepted_socket()",
        (),
        r"connect_accepted_socket",
        _refused("connect_accepted_socket"),
    ),
    Capability(
        "no close_clients()/abort_clients()",
        ("client_connections.feature",),
        r"close_clients|abort_clients",
        _refused("close_clients", "abort_clients"),
    ),
    Capability(
        "no TLS upgrade (start_tls())",
        ("tls_upgrade.feature",),
        r"start_tls|switch to TLS",
        _refused("start_tls"),
    ),
    Capability(
        "no Unix servers",
        ("unix.feature",),
        r"unix_server|Unix server|AF_UNIX|Unix socket",
        _refused("create_unix_server", "start_unix_server") + r"|Address family not supported",
    ),
    Capability(
        "no TLS servers",
        ("tls.feature", "tls_connections.feature"),
        r"TLS server|\bssl=|'ssl'|ssl_handshake_timeout|ssl_shutdown_timeout",
        _refused("ssl", "ssl_handshake_timeout", "ssl_shutdown_timeout"),
    ),
    Capability(
        "no servers on a socket of your own (sock=)",
        (),
        r"\bsock=|'sock'",
        _refused("sock"),
    ),
)


def _candidates(outcome):
    """``[(rule, by feature)]``: the capabilities whose absence *outcome* may show."""
    message = str(getattr(outcome, "message", None) or "")
    step = str(getattr(outcome, "step", None) or "")
    feature = str(getattr(outcome, "feature", None) or "")
    found = []
    for rule in CAPABILITIES:
        by_feature = feature in rule.features
        if (by_feature or re.search(rule.where, step + "\n" + message)) and re.search(rule.refused, message):
            found.append((rule, by_feature))
    return found


def capabilities(outcomes):
    """``{id(outcome): Capability}`` for the *outcomes* that show a missing capability.

    A failure that could show several (a TLS server on a Unix socket refused)
    goes to one that another failure of the run shows alone, then to the one
    its feature file is about, then to the first in :data:`CAPABILITIES`."""
    candidates = {id(o): _candidates(o) for o in outcomes}
    alone = {found[0][0].name for found in candidates.values() if len(found) == 1}
    chosen = {}
    for key, found in candidates.items():
        if found:
            best = min(found, key=lambda item: (item[0].name not in alone, not item[1]))
            chosen[key] = best[0]
    return chosen


def capability(outcome):
    """The :class:`Capability` whose absence *outcome*'s failure shows, or None."""
    return capabilities([outcome]).get(id(outcome))


# -- groups, in the order to fix them --------------------------------------------
#: statuses by urgency: the spec's own bug first, then the loop dying or hanging
_RANK = {"harness-error": 0, "crashed": 1, "timed-out": 2}
_OTHER = 3


class Group:
    """Outcomes with one root cause: a missing capability, or one normalized message."""

    def __init__(self, key, capability=None):
        self.key = key
        #: the missing :class:`Capability`, or None for a group by message
        self.capability = capability
        self.members = []

    @property
    def ids(self):
        """The scenario ids struck, each once, sorted."""
        return sorted({m.id for m in self.members})

    @property
    def statuses(self):
        return sorted({m.status for m in self.members}, key=lambda s: (_RANK.get(s, _OTHER), s))

    @property
    def status(self):
        """The most urgent status among the members."""
        return self.statuses[0]

    @property
    def rank(self):
        return _RANK.get(self.status, _OTHER)

    @property
    def example(self):
        """A real message, as the loop's failure worded it: of the message most
        members share (normalized), the first scenario's by id."""
        counts = {}
        for m in self.members:
            text = normalize(m.message)
            counts[text] = counts.get(text, 0) + 1
        common = min(counts, key=lambda text: (-counts[text], text))
        shown = [m for m in self.members if normalize(m.message) == common]
        return min(shown, key=lambda m: (m.id, str(m.message or ""), str(m.step or ""))).message

    @property
    def varied(self):
        """True when the members' messages differ (beyond ports, fds, addresses...)."""
        return len({normalize(m.message) for m in self.members}) > 1

    @property
    def steps(self):
        """``[(step, scenarios)]``: the failing steps, the most frequent first."""
        counts = {}
        for m in self.members:
            if m.step:
                counts.setdefault(m.step, set()).add(m.id)
        return sorted(((s, len(ids)) for s, ids in counts.items()), key=lambda item: (-item[1], item[0]))

    @property
    def sort_key(self):
        return (self.rank, -len(self.ids), self.ids[0] if self.ids else "", str(self.key))


def group(outcomes, key=None):
    """The failing *outcomes* as :class:`Group` s, in the order to fix them.

    An outcome that shows a missing capability joins that capability's group;
    any other joins the group of its status and normalized message -- or of
    ``key(outcome)`` when *key* is given (an expected failure's listed reason)."""
    outcomes = list(outcomes)
    missing_of = capabilities(outcomes) if key is None else {}
    groups = {}
    for outcome in outcomes:
        missing = missing_of.get(id(outcome))
        if missing is not None:
            k = ("capability", missing.name)
        elif key is not None:
            k = ("key", outcome.status, key(outcome))
        else:
            k = ("message", outcome.status, _cause(outcome.message))
        groups.setdefault(k, Group(k, missing)).members.append(outcome)
    return sorted(groups.values(), key=lambda g: g.sort_key)


def digest(outcomes):
    """``[(capability name, scenarios)]``: the whole capabilities missing, most scenarios first."""
    found = [g for g in group(outcomes) if g.capability is not None]
    return sorted(((g.capability.name, len(g.ids)) for g in found), key=lambda item: (-item[1], item[0]))


# -- short lines --------------------------------------------------------------------
def cap(line, limit=LINE_LIMIT):
    """*line* cut to *limit* characters, ending in "… (N more characters)" if cut."""
    if len(line) <= limit:
        return line
    tail = " … ({} more characters)"
    keep = limit - len(tail.format(len(line)))
    return line[:keep] + tail.format(len(line) - keep)


def list_ids(ids, shown=IDS_SHOWN, room=None):
    """``a, b, c and 12 more``: at most *shown* ids, and no more than fit in
    *room* characters (at least one is always shown)."""
    ids = list(ids)
    listed = []
    for n, sid in enumerate(ids):
        rest = len(ids) - n - 1
        text = ", ".join(listed + [sid]) + (f" and {rest} more" if rest else "")
        if listed and (len(listed) >= shown or (room is not None and len(text) > room)):
            break
        listed.append(sid)
    rest = len(ids) - len(listed)
    return ", ".join(listed) + (f" and {rest} more" if rest else "")


def message_lines(message, indent, lead="", limit=LINE_LIMIT, most=6):
    """A message as lines: the first after *indent* and *lead* (``e.g.``),
    the rest after *indent*; each capped, at most *most* of them."""
    lines = [line.rstrip() for line in str(message or "").splitlines() if line.strip()]
    out = [cap((indent + lead if n == 0 else indent) + line, limit) for n, line in enumerate(lines[:most])]
    if len(lines) > most:
        out.append(f"{indent}… ({len(lines) - most} more lines)")
    return out
