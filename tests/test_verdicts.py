"""How outcomes count, and the summary a loop author reads."""

import re

import pytest

from asyncio_server_spec.harness.expectations import Expectation
from asyncio_server_spec.harness.verdicts import (
    EXPECTED_FAILURE,
    HARNESS_ERROR,
    NOT_APPLICABLE,
    PASS,
    UNEXPECTED_FAILURE,
    UNEXPECTED_PASS,
    Outcome,
    Verdicts,
    decide,
)

KNOWN = Expectation("a.one", "known divergence", "https://example.invalid/1")


@pytest.mark.parametrize(
    "kind, expected, status, verdict",
    [
        (None, None, "passed", PASS),
        (None, KNOWN, "passed", UNEXPECTED_PASS),
        ("diverged", None, "diverged", UNEXPECTED_FAILURE),
        ("diverged", KNOWN, "diverged", EXPECTED_FAILURE),
        ("crashed", KNOWN, "crashed", EXPECTED_FAILURE),
        ("timed-out", None, "timed-out", UNEXPECTED_FAILURE),
        ("cleanup", None, "cleanup", UNEXPECTED_FAILURE),
        ("harness-error", None, "harness-error", HARNESS_ERROR),
        ("harness-error", KNOWN, "harness-error", HARNESS_ERROR),  # never excused by a listing
    ],
)
def test_decide_counts_each_outcome(kind, expected, status, verdict):
    got_status, got_verdict, message = decide(kind, "observed", expected, "x.toml")
    assert (got_status, got_verdict) == (status, verdict)
    if verdict == UNEXPECTED_PASS:
        assert message == "listed in x.toml as failing (known divergence), but it passed: remove the entry"


def _outcome(sid, status, verdict, message=None, step=None, expectation=None):
    return Outcome(sid, "a.feature", sid, status, verdict, message, step, expectation)


def test_the_summary_counts_and_groups_identical_failures():
    verdicts = Verdicts()
    for n in range(3):
        verdicts.add(
            _outcome(
                f"a.same-{n}",
                "diverged",
                UNEXPECTED_FAILURE,
                "no server could be created with start_server(): TypeError: no",
                "Given a server started with start_server",
            )
        )
    verdicts.add(_outcome("a.two", "crashed", UNEXPECTED_FAILURE, "killed by SIGSEGV", "When x"))
    verdicts.add(_outcome("a.three", "passed", UNEXPECTED_PASS, "listed, but it passed"))
    verdicts.add(_outcome("a.four", "harness-error", HARNESS_ERROR, "the spec's own code failed"))
    verdicts.add(
        _outcome(
            "a.five", "diverged", EXPECTED_FAILURE, "boom", "Then y", {"reason": "known", "link": "https://x"}
        )
    )
    verdicts.add(_outcome("a.six", NOT_APPLICABLE, NOT_APPLICABLE, "excluded"))
    lines = verdicts.summary("loop=x").splitlines()
    assert lines[1] == "Verdict: loop=x"
    assert lines[2] == (
        "  7 scenarios applied: 0 passed, 1 expected failure(s), "
        "4 unexpected failure(s), 1 unexpected pass(es), 1 harness error(s); "
        "1 not applicable here"
    )
    assert "  [diverged] 3 scenarios: a.same-0, a.same-1, a.same-2" in lines
    assert "      at step: Given a server started with start_server" in lines
    assert "  [crashed] a.two" in lines and "      killed by SIGSEGV" in lines
    assert "      reason: known (https://x)" in lines and "      observed: boom" in lines
    assert lines.index("HARNESS ERROR (a bug of the spec, not of the loop): 1") < lines.index(
        "UNEXPECTED FAILURE: 4, in 2 groups, what to fix first at the top"
    )
    assert verdicts.failed


def test_behave_failing_to_parse_a_steps_argument_is_a_harness_error():
    """A step whose argument does not parse is the spec's wording or code, never the loop."""
    from behave.matchers import StepParseError

    from asyncio_server_spec.harness import faults

    try:
        raise StepParseError(exc_cause=SyntaxError("invalid syntax"))
    except StepParseError as exc:
        kind, message = faults.classify(exc)
    assert kind == faults.HARNESS_ERROR
    assert message.startswith("behave could not run the step: StepParseError")


# -- what to fix first: root causes, their order, short lines --------------------------
from asyncio_server_spec.harness import root_causes  # noqa: E402
from asyncio_server_spec.harness.verdicts import AVOIDS_BUG, FAILING, SHARES_BUG  # noqa: E402


def _refused(n, port, fd, address):
    """A close() that kept listening, as a loop's scenario would report it: its port,
    fd and address differ from scenario to scenario."""
    return _outcome(
        f"closing.kept-listening-{n}",
        "diverged",
        UNEXPECTED_FAILURE,
        f"expected a new client to be refused; a connection to 127.{n}.42.1:{port} was accepted "
        f"by <socket.socket fd={fd}, laddr=('127.{n}.42.1', {port})> of <Server at {address}> "
        f"after 0.3{n} s (pid {4000 + n}, /tmp/asv-{n}x/s.sock)",
        "Then a client cannot connect",
    )


def _no_unix(sid, message, step, feature="unix.feature"):
    o = _outcome(sid, "diverged", UNEXPECTED_FAILURE, message, step)
    o.feature = feature
    return o


def _shuffled_run(seed):
    import random

    outcomes = [_refused(n, 30000 + 7 * n, 5 + n, hex(0x7F3A00 + 16 * n)) for n in range(6)]
    outcomes += [
        _no_unix(
            "unix.path-makes-socket-file",
            "no server could be created with start_unix_server(): NotImplementedError",
            "Given a server started with start_unix_server",
        ),
        _no_unix(
            "unix.path-and-sock-value-error",
            "expected ValueError, got NotImplementedError()",
            "Then it failed with ValueError",
        ),
        _no_unix(
            "protocols.callback-order-create_unix_server",
            "the loop raised NotImplementedError",
            "Given a server made with create_unix_server whose protocol echoes what it receives",
            "protocols.feature",
        ),
        _no_unix(
            "stream-reader.read-start_unix_server",
            "no server could be created with start_unix_server(): AttributeError: 'Loop' object has no "
            "attribute 'create_unix_server'",
            "Given a server started with start_unix_server whose handler is steered by the scenario",
            "stream_reader.feature",
        ),
        _no_unix(
            "tls.start_server-echoes",
            "no server could be created with start_server(): ValueError: ssl is not supported",
            "Given a TLS server started with start_server",
            "tls.feature",
        ),
        _outcome("load.one-after-another", "timed-out", UNEXPECTED_FAILURE, "killed after 30.0 s", "When x"),
        _outcome("handlers.z-crash", "crashed", UNEXPECTED_FAILURE, "killed by SIGSEGV", "When y"),
        _outcome("a.harness", "harness-error", HARNESS_ERROR, "the spec's own code failed", "When z"),
    ]
    random.Random(seed).shuffle(outcomes)  # shards finish in any order
    verdicts = Verdicts()
    for o in outcomes:
        verdicts.add(o)
    return verdicts


def test_messages_differing_in_ports_fds_addresses_paths_pids_and_durations_group_together():
    messages = {_refused(n, 30000 + n, 5 + n, hex(0x7F00 + n)).message for n in range(3)}
    assert len(messages) == 3
    (normalized,) = {root_causes.normalize(m) for m in messages}
    assert normalized == (
        "expected a new client to be refused; a connection to 127.<n>.<n>.<n>:<port> was accepted by "
        "<socket.socket fd=<fd>, laddr=('127.<n>.<n>.<n>', <port>)> of <Server at 0x…> after <n> s "
        "(pid <pid>, <temp path>)"
    )
    # what tells two root causes apart is kept: an errno, a count of bytes, an exception's name
    assert root_causes.normalize("[Errno 98] in use") != root_causes.normalize("[Errno 111] in use")
    assert root_causes.normalize("got TypeError") != root_causes.normalize("got ValueError")


def test_a_missing_capability_is_one_group_however_the_loop_words_it():
    lines = _shuffled_run(1).summary("loop=x").splitlines()
    (unix,) = [line for line in lines if "no Unix servers" in line and line.startswith("  [")]
    assert unix == (
        "  [diverged] no Unix servers -- 4 scenarios: protocols.callback-order-create_unix_server, "
        "stream-reader.read-start_unix_server, unix.path-and-sock-value-error, unix.path-makes-socket-file"
    )
    assert "  missing as a whole: no Unix servers: 4 scenario(s); no TLS servers: 1 scenario(s)" in lines
    # the six refusals differing in port, fd, address, pid, path and duration are one group
    assert any(line.startswith("  [diverged] 6 scenarios: closing.kept-listening-0, ") for line in lines)
    # and its example is a real message of its first scenario, not the placeholders
    assert any("127.0.42.1:30000 was accepted" in line for line in lines)


def test_groups_come_in_the_order_to_fix_them_whatever_the_order_of_the_shards():
    summaries = {_shuffled_run(seed).summary("loop=x") for seed in range(8)}
    assert len(summaries) == 1
    lines = summaries.pop().splitlines()
    heads = [line for line in lines if line.startswith("  [")]
    assert heads == [
        "  [harness-error] a.harness",
        "  [crashed] handlers.z-crash",
        "  [timed-out] load.one-after-another",
        heads[3],  # the 6 refusals: the most scenarios struck
        heads[4],  # no Unix servers: 4
        "  [diverged] no TLS servers -- tls.start_server-echoes",
    ]
    assert heads[3].startswith("  [diverged] 6 scenarios") and "no Unix servers" in heads[4]
    assert "UNEXPECTED FAILURE: 13, in 5 groups, what to fix first at the top" in lines


def test_every_line_is_capped_and_long_id_lists_end_in_and_k_more():
    verdicts = Verdicts()
    for n in range(40):
        verdicts.add(
            _outcome(
                f"some-feature.a-rather-long-scenario-id-number-{n:02}",
                "diverged",
                UNEXPECTED_FAILURE,
                "expected nothing; got " + "x" * 3000 + f" at port {40000 + n}",
                "Then y",
            )
        )
    lines = verdicts.summary("loop=x").splitlines()
    assert max(len(line) for line in lines) <= root_causes.LINE_LIMIT
    (head,) = [line for line in lines if line.startswith("  [diverged]")]
    assert head.startswith("  [diverged] 40 scenarios: some-feature.a-rather-long-scenario-id-number-00, ")
    assert re.search(r" and (\d+) more$", head) and int(re.search(r"(\d+) more$", head).group(1)) >= 32
    (message,) = [line for line in lines if "expected nothing" in line]
    assert message.endswith(" more characters)")


def test_known_cpython_bugs_are_shown_apart_and_never_fail_the_run():
    assert SHARES_BUG == "shares-cpython-bug" and AVOIDS_BUG == "avoids-cpython-bug"
    assert SHARES_BUG not in FAILING and AVOIDS_BUG not in FAILING
    verdicts = Verdicts()
    verdicts.add(
        _outcome("serving.start-serving-after-close-known-bug", "diverged", AVOIDS_BUG, "no TypeError")
    )
    verdicts.add(_outcome("protocols.writelines-empty-last-chunk-hangs-x", "passed", SHARES_BUG))
    verdicts.add(_outcome("a.ok", "passed", PASS))
    lines = verdicts.summary("loop=x").splitlines()
    assert lines[2].startswith("  1 scenarios applied: 1 passed, ")
    i = lines.index("  CPython's known bugs (not counted):")
    assert lines[i + 1 : i + 3] == [
        "    shares 1: protocols.writelines-empty-last-chunk-hangs-x",
        "    avoids 1: serving.start-serving-after-close-known-bug",
    ]
    assert not verdicts.failed


def test_a_loop_missing_an_internal_attribute_lacks_no_capability():
    """bracio: every server creation fails on a private attribute; that is not 'no TLS servers'."""
    broken = (
        "no server could be created with start_server(): "
        "AttributeError: 'Loop' object has no attribute '_start_serving'"
    )
    tls = _no_unix(
        "tls.start_server-echoes", broken, "Given a TLS server started with start_server", "tls.feature"
    )
    clients = _no_unix(
        "clients.close_clients-ends-every-client", broken, "Given a server", "client_connections.feature"
    )
    plain = _no_unix(
        "closing.close-twice", broken.replace("start_server", "create_server"), "Given x", "closing.feature"
    )
    assert root_causes.digest([tls, clients, plain]) == []
    (group,) = root_causes.group([tls, clients, plain])  # one exception, whichever call met it
    assert group.ids == [
        "clients.close_clients-ends-every-client",
        "closing.close-twice",
        "tls.start_server-echoes",
    ]
    # while the capability's own name missing is one
    named = _no_unix(
        "clients.x",
        "the loop raised AttributeError: 'Server' object has no attribute 'close_clients'",
        "When y",
        "client_connections.feature",
    )
    assert root_causes.digest([named]) == [("no close_clients()/abort_clients()", 1)]
