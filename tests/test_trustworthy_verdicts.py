"""The verdict is about the loop's *server*: each class of fault that once
made a verdict lie is reproduced by a loop in tests/loop_traps, and the
harness must now tell it as what it is."""

import re
import ssl
import sys
from pathlib import Path

import pytest

from .spec_runs import run_spec

pytestmark = pytest.mark.slow  # the whole spec, many times over

ROOT = Path(__file__).resolve().parents[1]
TRAPS = "tests.loop_traps."
CLOSING = ["features/closing.feature", "features/serve_forever.feature", "features/context_manager.feature"]


def _spec(loop, *args, timeout=120):
    return run_spec(["-D", f"loop={TRAPS}{loop}", *args], cwd=str(ROOT), timeout=timeout)


def _one_line_refusal(run):
    assert run.returncode == 2, run.output
    lines = [line for line in run.output.splitlines() if line.startswith("asyncio-server-spec:")]
    assert len(lines) == 1, run.output
    assert "Traceback" not in run.output and "HOOK-ERROR" not in run.output
    assert run.records == {}  # before any scenario
    return lines[0]


@pytest.mark.parametrize("isolate", ["off", "on"])
def test_a_broken_client_side_does_not_fail_a_correct_server(isolate):
    """Class 1: connecting to a closed port hangs, no Unix client, a
    sock_connect that "succeeds" -- none of it is the spec's client."""
    run = _spec("clients:broken_client", "-D", f"isolate={isolate}", timeout=180)
    assert run.returncode == 0, run.output[-3000:]
    assert not run.failed and len(run.passed) >= 100


def test_a_loop_that_swaps_set_event_loop_is_judged_on_its_own_loop():
    """Class 2: the steps run on the factory's loop, so its servers' fault shows."""
    run = _spec("swapper:keeps_listening", *CLOSING, "-D", "isolate=off")
    assert "closing.stops-new-connections" in run.failed, run.output[-3000:]
    assert "a listening socket of this process" in run.output


@pytest.mark.parametrize(
    "loop, words",
    [
        ("builtins:object", "its factory returned builtins.object, not an event loop"),
        (f"{TRAPS}factories:raises", "calling its factory failed with RuntimeError: no loop today"),
        (f"{TRAPS}factories:takes_an_argument", "calling its factory failed with TypeError"),
        (
            f"{TRAPS}factories:one_thread_only",
            "a callback handed to it from another thread with call_soon_threadsafe() failed with "
            "RuntimeError: only this loop's own thread may schedule callbacks",
        ),
        (
            f"{TRAPS}raises_at_import:new_event_loop",
            "importing the module 'tests.loop_traps.raises_at_import' failed with SyntaxError: "
            "invalid syntax (loop.py, line 42)",
        ),
    ],
)
@pytest.mark.parametrize("isolate", ["off", "on"])
def test_a_loop_that_cannot_be_made_is_refused_in_one_line(loop, words, isolate):
    """Classes 3 and 4: one line, exit 2, before any scenario."""
    run = run_spec(["-D", f"loop={loop}", "-D", f"isolate={isolate}"], cwd=str(ROOT), timeout=60)
    line = _one_line_refusal(run)
    assert words in line, line


def test_the_specs_own_failure_is_a_harness_error_not_a_divergence():
    """Class 5: the spec's own code raising -- a bug of ours -- is reported as ours."""
    run = _spec("spec_bug:spec_bug", "features/socket_options.feature", "-D", "isolate=off")
    assert run.returncode != 0
    errors = run.with_verdict("harness-error")
    assert errors == {"socket-options.backlog-default", "socket-options.backlog-given"}, run.output[-3000:]
    assert not run.with_verdict("unexpected-failure"), run.output[-3000:]
    assert "HARNESS ERROR (a bug of the spec, not of the loop)" in run.output
    assert "the spec's own code failed at kernel.py" in run.output


def test_a_server_that_hands_out_no_socket_is_a_divergence_not_a_harness_error():
    """Class 5: listening "sockets" without a usable file descriptor break an
    assumption of the spec's check; the verdict says what was expected."""
    run = _spec("odd_sockets:odd_sockets", "features/socket_options.feature", "-D", "isolate=off")
    assert run.returncode != 0
    assert "socket-options.backlog-default" in run.with_verdict("unexpected-failure")
    assert not run.with_verdict("harness-error"), run.output[-3000:]
    assert (
        "expected server.sockets[0] to be a socket with a file descriptor; it is a "
        "_OddSocket whose fileno() gave a _OddFd"
    ) in run.output


def test_a_native_method_that_raises_is_a_divergence_not_a_harness_error():
    """Class 5: an exception raised by compiled code has no frame of the
    loop's own; it is still the loop's."""
    run = _spec("native_raise:native_raise", "features/creating.feature", "-D", "isolate=off")
    assert run.returncode != 0
    assert not run.with_verdict("harness-error"), run.output[-3000:]
    assert "creating.create_server-serves-at-once" in run.with_verdict("unexpected-failure")
    assert "no server could be created with create_server(): TypeError: len() takes" in run.output


def test_an_accepted_refusal_probe_says_who_accepted():
    """Class 6: not a timeout, but what was observed."""
    run = run_spec(
        ["-D", "loop=tests.deviants.lifecycle:close_keeps_listening", "features/closing.feature"],
        cwd=str(ROOT),
        timeout=120,
    )
    assert "closing.stops-new-connections" in run.failed
    assert (
        "expected a new client to be refused; a connection to 127." in run.output
        and "was accepted by a listening socket of this process" in run.output
    ), run.output
    assert "timed out" not in run.output


def test_identical_failures_are_grouped_and_name_their_step():
    """Class 8: a loop that cannot create a server gets one entry, not 100."""
    run = _spec("no_server:no_server", "-D", "isolate=off")
    match = re.search(r"\[diverged\] (\d+) scenarios: ", run.output)
    assert match and int(match.group(1)) >= 50, run.output[-3000:]
    assert (
        "no server could be created with start_server(): TypeError: create_server() is not "
        "implemented by this loop" in run.output
    )
    assert re.search(r"      at steps?: Given a server started with start_server", run.output)


def test_a_crash_keeps_the_panic_location_and_no_internal_names():
    """Class 8: a Rust-style panic's location survives a long backtrace."""
    run = _spec("panics:panics", "features/unix.feature", "-D", "isolate=on")
    assert run.with_status("crashed"), run.output[-3000:]
    assert "panicked at src/server.rs:1173:22" in run.output
    assert "ReplayedError" not in run.output and "Replayed" not in run.output


def test_cleanup_problems_are_failures_not_hook_errors():
    """Class 8: a leak found by cleanup fails its scenario as 'cleanup'."""
    run = _spec("leaky:leaks_on_close", "features/closing.feature", "-D", "isolate=off")
    assert "HOOK-ERROR" not in run.output
    assert "closing.close-twice" in run.with_status("cleanup"), run.output[-3000:]
    assert "expected every file descriptor the scenario opened to be closed" in run.output


def test_process_wide_resources_made_on_first_use_blame_no_scenario():
    """Class 9: what a loop keeps for the whole process is made before the baseline."""
    run = _spec(
        "leaky:process_wide_on_first_use",
        "features/closing.feature",
        "features/creating.feature",
        "-D",
        "isolate=off",
    )
    assert run.returncode == 0, run.output[-3000:]
    assert not run.failed


def test_durations_are_real_under_isolation():
    """Class 8: behave's 'Took' counts the isolated scenarios' real time (it
    once counted only the replay, a small fraction of it).  Features without
    a Rule: behave 1.3's 'Took' sums the scenarios a feature holds itself,
    not those inside its rules."""
    run = run_spec(
        ["-D", "isolate=on", "features/sockets.feature", "features/serving.feature"],
        cwd=str(ROOT),
        timeout=120,
    )
    took = re.search(r"Took (\d+)min ([\d.]+)s", run.output)
    assert took, run.output
    seconds = int(took.group(1)) * 60 + float(took.group(2))
    wall = sum(r["duration"] for r in run.records.values())  # each scenario's, as the parent saw it
    assert 0.8 * wall <= seconds <= 1.2 * wall, (seconds, wall)


def test_the_spec_needs_no_event_loop_policy():
    """Python 3.14 deprecates the policy API and 3.16 removes it: the harness
    runs every step on the loop under test without it."""
    run = _spec(
        "no_policy:selector_loop", "features/closing.feature", "features/serving.feature", "-D", "isolate=off"
    )
    assert run.returncode == 0, run.output[-3000:]
    assert not run.failed and len(run.passed) >= 15


def test_a_report_no_step_expected_fails_the_scenario_as_a_divergence():
    """A loop that complains to its exception handler for no reason is not
    conforming: the scenarios where it does fail, naming the report."""
    run = _spec("noisy:noisy", "features/closing.feature", "-D", "isolate=off")
    assert run.returncode != 0
    assert "closing.leaves-clients-open" in run.with_verdict("unexpected-failure"), run.output[-3000:]
    assert not run.with_verdict("harness-error")
    assert "closing.stops-new-connections" in run.passed  # no connection accepted, nothing reported
    assert (
        "after the last step: expected the loop to report nothing to its exception handler that no "
        "step expected; it reported spurious complaint about an accepted connection"
    ) in run.output


def test_a_handler_exception_the_loop_lets_escape_is_its_divergence():
    """Class 5: a loop that lets the exception of the spec's deliberately
    failing handler out of run_until_complete() diverges; the exception is the
    loop's to report, and the message says so."""
    run = _spec("escapes:escapes", "features/handlers.feature", "-D", "isolate=off")
    assert not run.with_verdict("harness-error"), run.output[-3000:]
    assert "handlers.plain-raise-left-open" in run.with_verdict("unexpected-failure")
    assert (
        "expected the loop to report the handler's exception (the plain handler failed on purpose) "
        "to its exception handler and go on; it let the exception escape from run_until_complete() instead"
    ) in run.output


@pytest.mark.parametrize(
    "loop, scenario, words",
    [
        (
            "none_info",
            "handlers.peername-is-client",
            "expected the handler's peername to be the client's address ('127.0.0.1', ",
        ),
        (
            "none_info",
            "protocols.pause-writing-create_server",
            'expected the connection\'s "socket" extra info to be a socket with a file descriptor; '
            "it is None",
        ),
        (
            "socket_wrapper",
            "socket-options.tcp-nodelay",
            'expected the connection\'s "socket" extra info to be a socket; it is a '
            "tests.loop_traps.odd_connections._SocketWrapper without getsockopt()",
        ),
        pytest.param(
            "bare_transport",
            "protocols.pause-writing-create_server",
            "expected the loop's tests.loop_traps.odd_connections._BareTransport object to have "
            "'_no_get_write_buffer_limits', as the object asyncio documents in its place has",
            marks=pytest.mark.skipif(sys.version_info < (3, 10), reason="AttributeError.obj is 3.10+"),
        ),
    ],
)
def test_a_connection_that_hands_out_none_or_a_non_socket_is_a_divergence(loop, scenario, words):
    """Class 5: None for a peer or a socket, a socket without a socket's
    methods, a transport without a documented method: what the spec's check
    met is said in words, as the loop's divergence."""
    features = ["features/handlers.feature", "features/protocols.feature", "features/socket_options.feature"]
    run = _spec(f"odd_connections:{loop}", *features, "-D", "isolate=off")
    assert not run.with_verdict("harness-error"), run.output[-3000:]
    assert scenario in run.with_verdict("unexpected-failure"), run.output[-3000:]
    assert words in run.output, run.output[-3000:]


@pytest.mark.parametrize(
    "loop, scenario, words",
    [
        (
            "native_raise",
            "tls-connections.create_server-ssl-object",
            "no server could be created with create_server(): TypeError: len() takes",
        ),
        (
            "native_raise",
            "protocols.callback-order-create_unix_server",
            "no server could be created with create_unix_server(): TypeError: len() takes",
        ),
        (
            "native_server_methods",
            "serve-forever.accepts",
            "expected server.serve_forever() to return; it raised: TypeError: len() takes",
        ),
        (
            "native_server_methods",
            "serving.serves-by-default",
            "expected server.is_serving() to return; it raised: TypeError: len() takes",
        ),
    ],
)
def test_every_native_call_into_the_loop_that_raises_is_a_divergence(loop, scenario, words):
    """Class 5, the whole spec: wherever the spec calls the loop -- the
    protocol and TLS servers made outside World.start, a server's methods --
    a native raise (no frame of the loop's own) is the loop's divergence."""
    run = _spec(f"native_raise:{loop}", "-D", "isolate=off", timeout=300)
    assert not run.with_verdict("harness-error"), run.output[-3000:]
    assert scenario in run.with_verdict("unexpected-failure"), run.output[-3000:]
    assert words in run.records[scenario]["message"], run.records[scenario]["message"]


def test_a_listener_that_closes_after_close_returned_is_said_so():
    """Class 6: a close() that leaves its listening socket open a little
    longer fails the one scenario that demands the listener closed before
    close() returned, whose message says so -- not that "something"
    accepted; the scenarios that only need new clients refused give the
    listener a prompt while, so no verdict depends on who was faster."""
    for _ in range(3):
        run = _spec("late_close:late_close", "features/closing.feature", "-D", "isolate=off")
        caught = run.with_verdict("unexpected-failure")
        assert caught == {"closing.refuses-before-any-await"}, run.output[-3000:]
        assert not run.with_verdict("harness-error")
        message = run.records["closing.refuses-before-any-await"]["message"]
        expected = "expected the connection right after close() to be refused; a connection to 127."
        assert message.startswith(expected), message
        assert "after close() had returned" in message, message
        assert "accepted by something" not in run.output


@pytest.mark.parametrize(
    "loop, feature, scenario, words",
    [
        (
            "tls_ignored:tls_ignored",
            "features/tls.feature",
            "tls.shutdown-timeout-ignored-after-client-eof",
            "expected the server to complete the TLS handshake; the client's TLS handshake failed: "
            "[SSL: WRONG_VERSION_NUMBER]",
        ),
        (
            "serve_forever_hangs:serve_forever_hangs",
            "features/serve_forever.feature",
            "serve-forever.closed-server-runtime-error",
            "expected RuntimeError; none came: expected serve_forever() to give up at once; it had not come",
        ),
        (
            "task_machinery:own_task_class",
            "features/handlers.feature",
            "handlers.coroutine-runs-as-task",
            "asyncio.current_task() inside it is an instance of asyncio.tasks.Task, not of asyncio.Task: "
            "the loop's own task class (its task machinery, not its server)",
        ),
        pytest.param(
            "task_machinery:shared_context",
            "features/serve_forever.feature",
            "serve-forever.handler-context-from-serving-task",
            "the loop's task machinery does not copy the context (not its server's doing)",
            marks=pytest.mark.skipif(sys.version_info < (3, 11), reason="create_task(context=) is 3.11+"),
        ),
    ],
)
def test_words_name_the_party_that_failed(loop, feature, scenario, words):
    """Class 7: our own TLS client's failure is what the client observed, not
    "the loop raised SSLError"; a wait that gave up reads as words, not as an
    internal class; a task-machinery quirk says it is one."""
    run = _spec(loop, feature, "-D", "isolate=off")
    assert scenario in run.with_verdict("unexpected-failure"), run.output[-3000:]
    assert not run.with_verdict("harness-error"), run.output[-3000:]
    assert words in run.output, run.output[-3000:]
    assert "the loop raised SSLError" not in run.output
    assert "Stalled" not in run.output and "WaitTimeout" not in run.output


def test_an_error_the_spec_client_observed_is_worded_as_the_clients():
    """Class 7: an exception the standard library raised inside the spec's
    client code is what the client observed of the server."""
    from asyncio_server_spec.harness import faults

    client_code = str(ROOT / "src" / "asyncio_server_spec" / "reference" / "client.py")
    namespace = {}
    exec(compile("def through_the_client(call):\n    return call()\n", client_code, "exec"), namespace)

    def handshake():  # stands for the ssl module's frame: not the spec's code
        raise ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")

    with pytest.raises(ssl.SSLError) as raised:
        namespace["through_the_client"](handshake)
    assert faults.classify(raised.value) == (
        "diverged",
        "the client's TLS connection failed: SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number",
    )
    with pytest.raises(ssl.SSLError) as raised:
        handshake()
    assert faults.classify(raised.value)[1].startswith("the loop raised SSLError")
