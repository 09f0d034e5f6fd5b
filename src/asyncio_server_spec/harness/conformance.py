"""One conformance run: what environment.py's hooks do, as a class.

Its options (``behave -D NAME=VALUE``) are read and checked by
:mod:`.options`; a run that cannot start raises :class:`~.options.Refused`.
"""

import atexit
import gc
import os
import shutil
import sys
import tempfile
import time

from behave.model_core import Status

from ..features import rule_of, scenario_id, spec_ids, title
from ..reference.scenario import World, warm_up
from . import active_tags, deferred, faults, isolation, known_bugs, loops, processes, stepping
from .expectations import ExpectationError, for_loop
from .loops import LoopSelectionError
from .options import Options, Refused
from .results import ResultLog, run_header
from .verdicts import (
    AVOIDS_BUG,
    CLEANUP,
    EXPECTED_FAILURE,
    HARNESS_ERROR,
    NOT_APPLICABLE,
    PASSED,
    TIMED_OUT,
    UNEXPECTED_PASS,
    Outcome,
    Verdicts,
    decide,
)

#: How many times ``-D time_limit`` an isolated ``@long`` scenario may take.
LONG_FACTOR = 4


def excluding_tags(scenario):
    """The active tags that can exclude *scenario*, in the order they are
    written (its feature's, its rule's, then its own): the same words in every run."""
    rule = rule_of(scenario)
    written = [*scenario.feature.tags, *(rule.tags if rule is not None else ()), *scenario.tags]
    active = [t for t in written if t.startswith(("use.", "not."))]
    return " ".join("@" + t for t in sorted(set(active), key=active.index))


class ScenarioRun:
    """What the hooks learn about the scenario that is running."""

    def __init__(self, scenario, expected):
        self.scenario = scenario
        self.id = scenario_id(scenario.tags)
        self.expected = expected
        self.started = time.monotonic()
        self.kind = self.message = self.step = None
        self.steps = list(scenario.all_steps)
        self.decided = None
        #: the child running it beside the next scenarios (see deferred.py), or None
        self.beside = None
        #: what its isolated child did, played back in this process (isolation.Replay), or None
        self.replay = None

    def fail(self, kind, message, step):
        if self.kind is None:
            self.kind, self.message, self.step = kind, message, step


class ConformanceRun:
    def __init__(self, root):
        self.root = root
        self.features_dir = os.path.join(root, "features")
        self.verdicts = Verdicts()
        self.log = None
        self.current = None
        self.children = []  # scenarios running beside the others, not yet recorded
        #: the time limit of scenarios run in this process (isolate=off), or None
        self.watchdog = None

    # -- before_all ---------------------------------------------------------------
    def setup(self, userdata, registry, config=None):
        """Check every option and the loop; raise :class:`Refused` if the run
        cannot start.  *config*: behave's configuration (its capture settings)."""
        self.behave_config = config
        options = Options(userdata)
        self.loop_name, self.claims = options.loop, options.claims
        self.isolate, self.time_limit = options.isolate, options.time_limit
        self.load_clients = options.load_clients  # (the load steps read it)
        try:
            self.new_loop = loops.loop_factory(self.loop_name)
            check = loops.check_factory_in_child if self.isolate else loops.check_factory
            self.loop_description = loops.describe(self.loop_name, check(self.loop_name, self.new_loop))
            self.expectations = for_loop(
                self.loop_name, options.expectations, os.path.join(self.root, "expectations")
            )
            listed = self.expectations.ids()  # (the spec is parsed only if there are any)
            unknown = sorted(listed - spec_ids(self.features_dir)) if listed else []
            if unknown:
                raise ExpectationError(
                    f"{self.expectations.source} lists scenario id(s) the "
                    f"spec does not have: {', '.join(unknown)}"
                )
        except (LoopSelectionError, ExpectationError) as exc:
            raise Refused(str(exc)) from None
        self.expected = self.expectations.applying()
        # (CPython's loop, or one built on it, answers for CPython's recorded bugs)
        self.counts_cpython_bugs = self.loop_name == "asyncio" or known_bugs.factory_built_on_asyncio(
            self.new_loop, in_child=self.isolate
        )
        self.matcher = active_tags.matcher(self.loop_name)
        faults.add_spec_code(os.path.join(self.root, "steps"))
        faults.add_spec_code(os.path.join(self.root, "environment.py"))
        stepping.run_on_loop_under_test(registry)
        self.scratch = tempfile.mkdtemp(prefix="ass-run-")
        if self.isolate:
            isolation.wrap_step_registry(registry)
        else:
            self.watchdog = isolation.Watchdog(self._stop_hung)
            self.watchdog.arm(self.time_limit)
            warm_up(self.new_loop, self.scratch)
            self.watchdog.disarm()
        processes.end_on_sigterm(self._end_children)  # (its scratch dir goes, with atexit)
        if options.results:
            header = run_header(
                self.root,
                self.loop_description,
                self.expectations.source,
                self.isolate,
                int(options.jobs),
                options.label,
            )
            try:
                self.log = ResultLog(options.results, header)
            except OSError as exc:
                shutil.rmtree(self.scratch, ignore_errors=True)
                why = exc.strerror or exc
                raise Refused(f"cannot write the results log {options.results}: {why}") from None
        # (also if behave stops before after_all; never from a forked child)
        atexit.register(_remove_own, self.scratch, os.getpid())
        # what exists by now (behave's model of the features, the modules) lives
        # as long as the run: kept out of the collector's way, "garbage is
        # collected" costs a scenario its own garbage only (CPython 3.7+; PyPy has no freeze)
        if hasattr(gc, "freeze"):
            gc.freeze()

    # -- per scenario ---------------------------------------------------------------
    def claim(self, scenario):
        """True if this process is to run *scenario*: always, unless it is one
        of the shards of ``run --jobs N`` (``-D claims=DIR``); then only if it is
        the first shard to create the scenario's file in DIR, which the kernel
        lets exactly one of them do."""
        if not self.claims:
            return True
        name = f"{os.path.basename(scenario.filename)}-{scenario.line}"
        try:
            os.close(os.open(os.path.join(self.claims, name), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    def excluded(self, tags):
        return self.matcher.should_skip_with_tags(tags)

    def not_applicable(self, scenario):
        sid = scenario_id(scenario.tags)
        outcome = Outcome(
            sid,
            os.path.basename(scenario.filename),
            title(scenario.name),
            NOT_APPLICABLE,
            NOT_APPLICABLE,
            message="excluded here by " + excluding_tags(scenario),
        )
        self._record(outcome)

    def scenario_time_limit(self, scenario):
        """How long an isolated scenario may run: ``-D time_limit``, and for a
        scenario tagged ``@long`` (a load of clients, bounded by its own steps)
        :data:`LONG_FACTOR` times that, so a loaded machine cannot make a
        correct loop time out."""
        if "long" in scenario.effective_tags:
            return self.time_limit * LONG_FACTOR
        return self.time_limit

    def begin(self, scenario):
        """Start a scenario: fork for it (isolated, or in a shard when it waits
        on purpose: :mod:`.deferred`) or make its world.  Returns ``(world,
        channel)``: in a parent that forked both are None; in the child the
        channel reports to the parent."""
        self._record_ended_children()
        self.current = ScenarioRun(scenario, self.expected.get(scenario_id(scenario.tags)))
        if self.claims and deferred.waits(scenario):  # a shard: run it beside the next ones
            return self._begin_beside(scenario)
        if self.log:
            self.log.started(self.current.id)
        if self.isolate:
            channel, report = isolation.fork(self.scenario_time_limit(scenario))
            if report is not None:  # the parent: replay what the child did
                self.current.replay = isolation.Replay(report)
                return None, None
            return self._child_world(channel)
        self.watchdog.arm(self.scenario_time_limit(scenario))
        return World(self.new_loop, check_leaks=True, temp_root=self.scratch), None

    def _child_world(self, channel):
        """In a scenario's child: its world, and the channel to its parent."""
        if self.behave_config is not None:
            # what the child writes to sys.stderr must reach the file its parent
            # quotes (isolation.start_child), not behave's capture, lost with the child
            self.behave_config.capture_stderr = False
        try:
            return World(self.new_loop, check_leaks=False, temp_root=self.scratch), channel
        except Exception as exc:  # the factory passed its check once, then failed
            channel.setup_failed(f"the scenario's event loop could not be made: {type(exc).__name__}: {exc}")
            os._exit(0)

    def _begin_beside(self, scenario):
        """Fork a child that runs *scenario* (see :mod:`.deferred`); the
        shard skips it and goes on."""
        channel, child = isolation.start_child(self.scenario_time_limit(scenario))
        if child is None:  # the child: run the scenario, report to the shard
            return self._child_world(channel)
        self.current.beside = child
        self.children.append(self.current)
        scenario.skip(reason="runs in a process of its own, beside the next scenarios")
        return None, None

    def _record_ended_children(self, wait=False):
        """Record the verdicts of the children that have ended (*wait*: of
        every child, each waited for within its time limit)."""
        for run in list(self.children):
            if wait or run.beside.ended():
                self.children.remove(run)
                report = run.beside.collect()
                kind, message, step = deferred.judge(report, run.steps)
                if kind is not None:
                    run.fail(kind, message, step)
                # (the child's own time: a busy shard may hear of its end much later)
                self._record_run(run, report.child_seconds or report.wall_time)

    def step_done(self, step, world, channel):
        """After each step: report it (child), or judge it (parent, one process)."""
        run = self.current
        index = next((i for i, s in enumerate(run.steps) if s is step), len(run.steps) - 1)
        last = index == len(run.steps) - 1
        if last and world is not None and not step.status.has_failed():
            _fail_on_unexpected_reports(step, world)
        if channel is not None:  # the child reports what it saw
            kind, message = faults.classify(step.exception) if step.exception is not None else (None, None)
            channel.step(
                step.status.name if not step.status.has_failed() else "failed", kind, message, step.duration
            )
            return
        replay = run.replay
        if replay is not None:
            kind, message, step.duration = replay.outcome(index)
            if last or step.status.has_failed():  # the child's setup and cleanup count too
                step.duration += max(0.0, replay.report.wall_time - _sum_durations(run.steps))
        elif step.status.has_failed():
            kind, message = faults.classify(step.exception)
        if step.status.has_failed():
            run.fail(kind, message, f"{step.keyword} {step.name}")
        elif last and replay is not None and not replay.report.finished:
            report = replay.report  # the child died while cleaning up
            run.fail(report.death_kind, report.death(), "(cleanup)")
        elif last:
            problems = world.close() if world is not None else replay.report.problems
            if problems:
                run.fail(CLEANUP, "cleanup: " + "; ".join(problems), "(cleanup)")
        if step.status.has_failed() or last:
            self._decide(step)

    def _decide(self, step):
        run = self.current
        if run.decided:
            return
        status, verdict, message = run.decided = self._verdict(run)
        if verdict == EXPECTED_FAILURE:
            step.status = Status.skipped
            run.scenario.skip(reason="expected failure: " + run.expected.describe())
        elif verdict == AVOIDS_BUG:
            step.status = Status.skipped
            run.scenario.skip(reason=message)
        elif verdict == UNEXPECTED_PASS or (status != PASSED and not step.status.has_failed()):
            step.status = Status.failed  # an unexpected pass, or a failure cleanup found
            step.exception = AssertionError(message)
            step.error_message = message

    def _verdict(self, run):
        """``(status, verdict, message)`` of *run*; a scenario that records a
        CPython bug is not counted on a loop not built on CPython's
        (:mod:`.known_bugs`)."""
        decided = decide(run.kind, run.message, run.expected, self.expectations.source)
        if not known_bugs.records_bug(run.scenario.effective_tags):
            return decided
        status, _, message = decided
        bug = known_bugs.verdict(status, self.counts_cpython_bugs)
        if bug is None:
            return decided
        if status == PASSED:
            return status, bug, "does what CPython's recorded bug does (not counted against this loop)"
        avoided = "behaves otherwise than CPython's recorded bug (not counted against this loop)"
        return status, bug, f"{avoided}: {message}"

    def end(self, scenario, world, channel):
        """After a scenario: clean up (the child then exits), record the verdict."""
        run = self.current
        if run.beside is not None:  # running in a child of its own, recorded once it ends
            self.current = None
            return
        if channel is not None:  # the child: clean up, report, and vanish -- whatever happens
            try:
                channel.end(world.close() if world is not None else [])
            except BaseException as exc:
                channel.end([f"cleanup raised {type(exc).__name__}: {exc}"])
            finally:
                os._exit(0)
        if world is not None:
            world.close()  # after a failed step; a passing one was cleaned up already
        if self.watchdog is not None:
            self.watchdog.disarm()
        if run.decided is None:  # no step ran (an undefined step, a hook error)
            run.fail(HARNESS_ERROR, f"the scenario did not run: {scenario.status.name}", None)
        self._record_run(run, time.monotonic() - run.started)
        self.current = None

    def _record_run(self, run, seconds):
        if run.decided is None:
            run.decided = self._verdict(run)
        status, verdict, message = run.decided
        expectation = (
            {"reason": run.expected.reason, "link": run.expected.link} if run.expected is not None else None
        )
        self._record(
            Outcome(
                run.id,
                os.path.basename(run.scenario.filename),
                title(run.scenario.name),
                status,
                verdict,
                message,
                run.step,
                expectation,
                round(seconds, 4),
            )
        )

    def _record(self, outcome):
        self.verdicts.add(outcome)
        if self.log:
            self.log.scenario(**outcome.record())

    def _stop_hung(self):
        """The watchdog's call (from its thread): the scenario running in this
        process (isolate=off) outlived its time limit.  Record it as timed
        out, with where the threads were, print the summary, and end the run:
        this process's loop cannot be stopped for the next scenario to run."""
        run = self.current
        where = isolation.where_threads_are()
        if self.log is None and run is None:  # in setup: warming the loop up
            shutil.rmtree(self.scratch, ignore_errors=True)
            print(
                f"asyncio-server-spec: loop {self.loop_name!r} did not start and close a first server "
                f"within {self.time_limit:g} s (-D time_limit)" + ("; " + where if where else ""),
                file=sys.__stderr__,
                flush=True,
            )
            os._exit(2)
        if run is None or run.beside is not None:  # (it ended meanwhile)
            return
        limit = self.scenario_time_limit(run.scenario)
        message = (
            f"expected the scenario to finish within {limit:g} s; it did not, and as it ran in the "
            "run's own process (isolate=off), the run stopped there"
        ) + ("; " + where if where else "")
        step = next((s for s in run.steps if s.status.name in ("untested", "executing")), None)
        run.decided = None
        run.fail(TIMED_OUT, message, f"{step.keyword} {step.name}" if step is not None else None)
        self._record_run(run, time.monotonic() - run.started)
        self._end_children()  # (lost with the run: leave none behind)
        # (the log is not closed: its run did not end, and the report says so)
        print(self.verdicts.summary(self._heading()), file=sys.__stdout__, flush=True)
        print(
            f"asyncio-server-spec: the run stopped: scenario {run.id} outlived its time limit of "
            f"{limit:g} s in the run's own process (isolate=off); the scenarios after it did not run "
            "(with -D isolate=on a scenario that hangs is ended and the run goes on)",
            file=sys.__stderr__,
            flush=True,
        )
        shutil.rmtree(self.scratch, ignore_errors=True)
        os._exit(1)

    def _end_children(self):
        """Kill the children running beside this process (the run is ending early)."""
        for run in self.children:
            run.beside.kill()

    # -- after_all --------------------------------------------------------------------
    def finish(self):
        self._record_ended_children(wait=True)
        if self.log:
            self.log.close()
        shutil.rmtree(self.scratch, ignore_errors=True)
        return self.verdicts.summary(self._heading())

    def _heading(self):
        source = self.expectations.source or "none"
        version = self.loop_description.get("version")
        loop = f"{self.loop_name} {version}" if version else self.loop_name
        return (
            f"loop={loop}, {sys.implementation.name} {sys.version.split()[0]}, "
            f"expectations: {source}, isolation {'on' if self.isolate else 'off'}"
        )


def _remove_own(path, pid):
    if os.getpid() == pid:
        shutil.rmtree(path, ignore_errors=True)


def _fail_on_unexpected_reports(step, world):
    """Fail the scenario's last step (a divergence) if the loop reported
    something to its exception handler that no step expected."""
    unexpected = world.unexpected_reports()
    if not unexpected:
        return
    told = "; ".join(world.described_reports(unexpected))
    message = (
        f"after the last step: expected the loop to report nothing to its exception "
        f"handler that no step expected; it reported {told}"
    )
    step.status = Status.failed
    step.exception = AssertionError(message)
    step.error_message = message


def _sum_durations(steps):
    return sum(s.duration or 0.0 for s in steps)
