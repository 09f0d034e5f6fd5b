"""The results site: reading results logs (schema 1), the pages built from the
hand-written logs in tests/fixtures/results/, and the pages opened in a real
headless browser (Debian's chromium through Playwright)."""

import glob
import html
import json
import os
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from asyncio_server_spec import cli
from asyncio_server_spec.features import scenarios, version_badges
from asyncio_server_spec.harness import registry
from asyncio_server_spec.report import build_site, drafts, upstream
from asyncio_server_spec.report.logs import LogError, read_log, read_logs
from asyncio_server_spec.report.spec import read_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEATURES = os.path.join(ROOT, "features")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "results")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: the (loop, Python) columns the fixture logs make, in the order the matrix shows them
COLUMNS = [
    ("asyncio", "CPython 3.11.7"),
    ("asyncio", "CPython 3.12.1"),
    ("asyncio", "CPython 3.13.18"),
    ("asyncio", "PyPy 3.11.13"),
    ("uvloop", "CPython 3.11.7"),
    ("uvloop", "CPython 3.12.1"),
    ("uvloop", "CPython 3.13.18"),
]


def fixture(name):
    return os.path.join(FIXTURES, name)


def write_log(path, *lines, end="\n"):
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + end)
    return str(path)


HEADER = {
    "record": "run",
    "schema": 1,
    "python": {"implementation": "cpython", "version": "3.12.1", "build": "x"},
    "loop": {"name": "asyncio", "module": "asyncio", "version": None},
    "behave": "1.3.3",
    "spec": {"version": "0.1.0", "commit": None},
    "expectations": None,
    "isolate": False,
    "jobs": 1,
    "label": None,
    "platform": "linux",
    "started": "2026-11-27T09:00:00+00:00",
    "ended": "2026-11-27T09:00:05+00:00",
}
SCENARIO = {
    "record": "scenario",
    "id": "closing.close-twice",
    "feature": "closing.feature",
    "name": "close() can be called twice",
    "status": "passed",
    "verdict": "pass",
    "expectation": None,
    "message": None,
    "step": None,
    "duration": 0.01,
}
END = {"record": "end", "ended": "2026-11-27T09:00:05+00:00", "counts": {"pass": 1}}


# -- the reader ---------------------------------------------------------------------
def test_a_complete_log_is_read_with_its_header_scenarios_and_end():
    log = read_log(fixture("asyncio-cpython-3.13.jsonl"))
    assert log.python_label == "CPython 3.13.18" and log.loop_name == "asyncio"
    assert len(log.scenarios) == 8
    assert log.scenarios["serve-forever.accepts"]["verdict"] == "harness-error"
    assert not log.cut_short and not log.torn
    assert log.counts == {"pass": 5, "not-applicable": 2, "harness-error": 1}


def test_a_torn_last_line_is_ignored_and_the_run_is_cut_short():
    log = read_log(fixture("asyncio-pypy-3.11-torn.jsonl"))
    assert log.torn and log.cut_short and log.end is None
    assert list(log.scenarios) == ["closing.stops-new-connections"]
    assert log.python_label == "PyPy 3.11.13"
    assert log.counts == {"pass": 1}  # counted from the lines, as there is no end line


def test_a_log_with_no_scenario_lines_is_a_run_cut_short(tmp_path):
    log = read_log(fixture("asyncio-cpython-3.12-empty.jsonl"))
    assert log.scenarios == {} and log.cut_short and log.counts == {}
    # ended filled in but no end line: also cut short
    assert read_log(write_log(tmp_path / "x.jsonl", HEADER)).cut_short


def test_unknown_fields_and_record_kinds_are_ignored(tmp_path):
    path = write_log(
        tmp_path / "x.jsonl",
        dict(HEADER, host="ci-3", schema_note="later"),
        dict(SCENARIO, attempts=2),
        {"record": "progress", "done": 1},
        END,
    )
    log = read_log(path)
    assert log.scenarios["closing.close-twice"]["attempts"] == 2
    assert not log.cut_short and log.counts == {"pass": 1}


def test_a_multibyte_character_cut_in_the_last_line_counts_as_torn(tmp_path):
    path = tmp_path / "x.jsonl"
    whole = (
        json.dumps(HEADER) + "\n" + json.dumps(dict(SCENARIO, message="é" * 3), ensure_ascii=False)
    ).encode()
    path.write_bytes(whole[:-5])
    log = read_log(str(path))
    assert log.torn and log.scenarios == {}


@pytest.mark.parametrize(
    "lines, end, message",
    [
        ([], "", "is empty"),
        (['{"record": "scenario"'], "", "line 1 is not a run header"),
        ([SCENARIO], "\n", "line 1 is not a run header"),
        ([dict(HEADER, schema=2)], "\n", "results schema 2; this reader reads schema 1"),
        (
            [HEADER, "{not json", SCENARIO],
            "\n",
            "line 2 is not JSON (only the last line of a log may be torn)",
        ),
        ([HEADER, "[1, 2]"], "\n", "line 2 is not a JSON object"),
        (
            [HEADER, {"record": "scenario", "id": "x"}],
            "\n",
            "line 2 is a scenario record without status, verdict",
        ),
    ],
)
def test_what_is_not_a_schema_1_log_is_a_one_line_error(tmp_path, lines, end, message):
    path = write_log(tmp_path / "bad.jsonl", *lines, end=end) if lines else str(tmp_path / "bad.jsonl")
    if not lines:
        open(path, "w").close()
    with pytest.raises(LogError) as raised:
        read_log(path)
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_a_directory_gives_its_jsonl_files_once_each():
    logs = read_logs([FIXTURES, fixture("uvloop-cpython-3.12.jsonl")])
    names = sorted(log.name for log in logs)
    assert names == sorted(n for n in os.listdir(FIXTURES) if n.endswith(".jsonl"))


# -- version badges -----------------------------------------------------------------
@pytest.mark.parametrize(
    "tags, badges",
    [
        (["id:x"], []),
        (["use.with_python.min_version=3.12.1"], ["3.12.1+"]),
        (["use.with_python.max_version=3.11"], ["≤ 3.11"]),
        (["use.with_python.min_version=3.10.7", "use.with_python.max_version=3.11.6"], ["3.10.7–3.11.6"]),
        (["use.with_python.min_version=3.11.7", "use.with_python.max_version=3.11"], ["3.11.7–3.11.x"]),
        (["use.with_python=3.12.1..3.12.7"], ["3.12.1–3.12.7"]),
        (["use.with_python=3.9..3.10", "use.with_python=3.12.1..3.12.7"], ["3.9–3.10", "3.12.1–3.12.7"]),
        (["use.with_python=..3.11"], ["≤ 3.11"]),
        (["use.with_python=3.15..", "use.with_python=3.14.7..3.14"], ["3.14.7–3.14.x", "3.15+"]),
        (["use.with_python=..3.14.7", "use.with_python=3.15.0"], ["≤ 3.14.7", "3.15.0"]),
    ],
)
def test_version_badges_come_from_the_version_tags(tags, badges):
    assert version_badges(tags) == badges


# -- the site built from the fixture logs ------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("site"))
    build_site(out, [FIXTURES], FEATURES)
    return out


def read(site, page):
    with open(os.path.join(site, page), encoding="utf-8") as text:
        return text.read()


class Elements(HTMLParser):
    """The elements of a page as (tag, attributes, text inside), flat; enough to
    find rows and cells by attribute."""

    VOID = frozenset({"br", "meta", "link", "input", "img", "hr", "col", "wbr"})

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.found, self.open = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": [], "children": []}
        if self.open:
            self.open[-1]["children"].append(element)
        self.found.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element["text"].append(data)

    def select(self, tag, cls=None, **attrs):
        return [
            e
            for e in self.found
            if e["tag"] == tag
            and (cls is None or cls in e["attrs"].get("class", "").split())
            and all(e["attrs"].get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def text(element):
    return " ".join("".join(element["text"]).split())


def cells(row):
    return [child for child in row["children"] if child["tag"] == "td"]


def spec_ids():
    return [s.id for s in scenarios(FEATURES)]


def test_the_index_lists_every_scenario_of_the_spec_exactly_once(site):
    rows = Elements(read(site, "index.html")).select("tr", "scenario")
    listed = Counter(row["attrs"]["data-id"] for row in rows)
    ids = spec_ids()
    assert len(ids) == len(set(ids)) > 100
    assert {sid: listed[sid] for sid in ids} == {sid: 1 for sid in ids}
    # and, apart from them, only the id a log has and the spec does not
    assert set(listed) - set(ids) == {"clients.<method>-keeps-serving"}


def test_every_scenario_row_has_a_cell_for_every_loop_and_python(site):
    page = Elements(read(site, "index.html"))
    headers = [text(th) for th in page.select("th", "py")]
    cut_short = {("asyncio", "CPython 3.12.1"), ("asyncio", "PyPy 3.11.13"), ("uvloop", "CPython 3.11.7")}
    # a CPython column shows its version alone, another Python its name too
    assert headers == [
        python.replace("CPython ", "") + ("*" if column in cut_short else "")
        for column in COLUMNS
        for python in column[1:]
    ]
    assert [text(th) for th in page.select("th", "loop")] == ["asyncio", "uvloop 0.21.0"]
    for row in page.select("tr", "scenario"):
        assert len(cells(row)) == len(COLUMNS), row["attrs"]["data-id"]
    for th in page.select("th", "pct"):
        assert re.fullmatch(r"\d+%|–", text(th))


def row_cells(page, sid):
    (row,) = page.select("tr", "scenario", data_id=sid)
    return dict(zip(COLUMNS, cells(row)))


def test_every_status_has_its_cell(site):
    page = Elements(read(site, "index.html"))
    wanted = {
        ("closing.stops-new-connections", ("asyncio", "CPython 3.13.18")): "pass",
        ("closing.wait-closed-waits-for-client", ("uvloop", "CPython 3.12.1")): "xfail",
        ("clients.no-close_clients-before-3-13", ("uvloop", "CPython 3.12.1")): "fail",
        ("closing.leaves-clients-open", ("uvloop", "CPython 3.12.1")): "xpass",
        ("closing.leaves-clients-open", ("uvloop", "CPython 3.13.18")): "crash",
        ("serve-forever.accepts", ("uvloop", "CPython 3.12.1")): "timeout",
        ("serve-forever.accepts", ("asyncio", "CPython 3.13.18")): "harness",
        ("closing.leaves-clients-open", ("asyncio", "CPython 3.11.7")): "cleanup",
        ("closing.wait-closed-returns-with-client", ("asyncio", "CPython 3.13.18")): "na",
        ("closing.leaves-clients-open", ("uvloop", "CPython 3.11.7")): "notrun",  # killed while it ran
        ("closing.close-twice", ("asyncio", "CPython 3.11.7")): "notrun",
    }
    for (sid, column), category in wanted.items():
        cell = row_cells(page, sid)[column]
        assert cell["attrs"]["class"].split() == ["c", category], (sid, column)
    # a crashed scenario under isolation that was listed as expected: an expected failure
    assert "xfail" in row_cells(page, "server.get-loop")[("uvloop", "CPython 3.12.1")]["attrs"]["class"]


def test_not_applicable_cells_carry_the_tag(site):
    page = Elements(read(site, "index.html"))
    cell = row_cells(page, "closing.wait-closed-waits-for-client")[("asyncio", "CPython 3.11.7")]
    assert cell["attrs"]["title"] == "not applicable: use.with_python.min_version=3.12.1"
    assert text(cell) == "n/a"


def test_not_run_cells_of_a_run_cut_short_say_so(site):
    page = Elements(read(site, "index.html"))
    cell = row_cells(page, "closing.leaves-clients-open")[("uvloop", "CPython 3.11.7")]
    assert cell["attrs"]["title"] == "not run: the run for uvloop on CPython 3.11.7 was cut short"
    cell = row_cells(page, "closing.close-twice")[("uvloop", "CPython 3.12.1")]
    assert cell["attrs"]["title"] == "not run: no log covered uvloop on CPython 3.12.1"


def test_expected_failure_cells_link_their_footnote_with_reason_and_upstream_link(site):
    page = Elements(read(site, "index.html"))
    cell = row_cells(page, "closing.wait-closed-waits-for-client")[("uvloop", "CPython 3.13.18")]
    (link,) = [child for child in cell["children"] if child["tag"] == "a"]
    anchor = link["attrs"]["href"]
    assert re.fullmatch(r"#fn-\d+", anchor)
    (note,) = page.select("li", id=anchor[1:])
    assert "does not wait for connected clients as asyncio does from 3.12.1" in text(note)
    links = [a["attrs"]["href"] for a in page.found if a["tag"] == "a" and a in note["children"]]
    assert "https://github.com/MagicStack/uvloop/issues/616" in links
    assert "https://github.com/python/cpython/issues/79033" in read(site, "index.html")
    # the same reason on two Pythons and two scenarios is one footnote
    other = row_cells(page, "async-with.exit-waits-for-client")[("uvloop", "CPython 3.12.1")]
    assert other["children"][0]["attrs"]["href"] == anchor
    # a reason without a link says so
    (no_link,) = [li for li in page.select("li") if "aborts in get_loop()" in text(li)]
    assert "no upstream link" in text(no_link)


def test_summary_counts_per_loop(site):
    page = Elements(read(site, "index.html"))
    (table,) = page.select("table", "summary")
    rows = {
        text(row["children"][0]): [text(td) for td in cells(row)]
        for row in page.select("tr")
        if row in table["children"][1]["children"]
    }
    # package, Pythons, applicable, passing, pass share, failing, of which, missing, CPython bugs
    assert rows["asyncio"][1:6] == ["3.11.7, 3.12.1, 3.13.18, PyPy 3.11.13", "13", "11", "84%", "2"]
    assert rows["asyncio"][6].startswith("1 harness 1 cleanup ")  # then how many were not run
    assert rows["uvloop"][0] == "uvloop 0.21.0 issues"  # its tracker, from the registry
    assert rows["uvloop"][2:6] == ["15", "6", "40%", "8"]  # an unexpected pass is no failure
    assert rows["uvloop"][6].startswith("1 FAIL 5 xfail 1 XPASS 1 crash 1 timeout ")


def test_text_from_ids_and_messages_is_escaped(site):
    for page in ("index.html", "loops/uvloop.html", "features/client_connections.html"):
        raw = read(site, page)
        assert "<method>" not in raw and "<bound method" not in raw, page
    index, loop = read(site, "index.html"), read(site, "loops/uvloop.html")
    assert 'data-id="clients.&lt;method&gt;-keeps-serving"' in index
    assert "&lt;bound method Server.close_clients of &lt;Server sockets=()&gt;&gt;" in loop
    assert "<code>clients.&lt;method&gt;-keeps-serving</code>" in loop


def test_feature_page_reads_as_the_spec(site):
    raw = read(site, "features/closing.html")
    page = Elements(raw)
    (section,) = page.select("section", "scenario", id="closing.wait-closed-waits-for-client")
    body = text(section)
    assert "From 3.12.1, wait_closed() waits until connected clients have gone" in body
    assert "@id:closing.wait-closed-waits-for-client" in body and "Python 3.12.1+" in body
    assert "Given a server whose handler echoes what it receives" in body
    assert "Then wait_closed() has not finished while the client is served" in body
    assert (
        '<a href="https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed">'
        in raw
    )
    assert '<a href="https://github.com/python/cpython/issues/79033">gh-79033</a>' in raw
    assert "Note:" in text(page.select("section", "scenario", id="closing.refuses-before-any-await")[0])
    # the failure message is one click away: inside a <details> of its cell
    details = [e for e in page.found if e["tag"] == "details" and "returned at once" in text(e)]
    assert details and all("xfail" in text(d) for d in details)
    # the feature's Checks: links are links
    (checks,) = page.select("p", "checks")
    assert [a["attrs"]["href"] for a in checks["children"] if a["tag"] == "a"] == [
        "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close",
        "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed",
    ]


def test_loop_page_groups_divergences_and_says_how_to_rerun_and_update(site):
    raw = read(site, "loops/uvloop.html")
    page = Elements(raw)
    reasons = [text(h3) for h3 in page.select("h3")]
    assert any("does not wait for connected clients" in r for r in reasons)
    assert any("has no close_clients() or abort_clients()" in r for r in reasons)
    commands = [html.unescape(text(pre)) for pre in page.select("pre", "cmd")]
    assert "behave -D loop=uvloop" in commands
    assert (
        'behave -D loop=uvloop --tags="id:clients.no-close_clients-before-3-13 or '
        'id:closing.leaves-clients-open or id:serve-forever.accepts"'
    ) in commands
    (toml,) = page.select("pre", "toml")
    entries = html.unescape("".join(toml["text"]))
    assert 'id = "closing.leaves-clients-open"' in entries and 'python = ">=3.13"' in entries
    assert 'id = "serve-forever.accepts"' in entries and 'python = "<=3.12"' in entries
    assert 'id = "clients.<method>' not in entries  # an id the spec lacks is never suggested
    assert "expectations/uvloop.toml" in raw
    # the unexpected results show the failing step and the message
    assert "When a client connects" in raw and "killed after 10.0 s" in raw


def test_traceability_and_runs_pages(site):
    trace = read(site, "traceability.html")
    assert '<a href="https://github.com/python/cpython/issues/79033">gh-79033</a>' in trace
    assert 'href="features/closing.html#closing.wait-closed-waits-for-client"' in trace
    runs = Elements(read(site, "runs.html"))
    sections = {text(s["children"][0]): s for s in runs.select("section", "run")}
    assert len(sections) == 7
    torn = next(s for title, s in sections.items() if title.startswith("asyncio-pypy-3.11-torn.jsonl"))
    assert "cut short" in text(torn) and "torn last line" in text(torn)
    complete = next(s for title, s in sections.items() if title.startswith("asyncio-cpython-3.13.jsonl"))
    assert "complete" in text(complete) and "harness-error 1" in text(complete)


# -- a survey: many loops, each run raw -------------------------------------------------
def _survey_record(sid, feature, status, verdict, message=None, step=None):
    return dict(
        SCENARIO,
        id=sid,
        feature=feature,
        status=status,
        verdict=verdict,
        message=message,
        step=step,
        name=sid,
    )


REGISTERED = """
[[loop]]
name = "{name}"
package = "{package}"
version = "{version}"
factory = "{factory}"
tracker = "https://example.invalid/{name}/issues"
pythons = ["3.12"]
released = "2026-01"
"""


def _survey_log(directory, loop, version, records):
    header = dict(HEADER, loop={"name": loop, "module": loop.partition(":")[0], "version": version})
    return write_log(directory / f"{loop.partition(':')[0]}.jsonl", header, *records, END)


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    """Raw runs of two loops (one reached by its factory), a registry and an
    expectations file with an upstream link, in a repository of their own."""
    root = tmp_path_factory.mktemp("repo")
    os.symlink(FEATURES, root / "features")
    (root / "expectations").mkdir()
    (root / "expectations" / "slowloop.toml").write_text(
        '[[expected_failure]]\nid = "closing.close-twice"\nreason = "keeps listening"\n'
        'link = "https://example.invalid/slowloop/issues/7"\n'
        '[[expected_failure]]\nid = "tls.start_server-echoes-trusting-client"\nreason = "draft"\n'
        'link = "https://example.invalid/slowloop/issues"\n'  # a draft's link: the tracker, no issue
    )
    (root / "loops.toml").write_text(
        REGISTERED.format(
            name="slowloop", package="slow-loop", version="1.2", factory="slowloop:new_event_loop"
        )
        + REGISTERED.format(
            name="refusing-loop", package="refusing-loop", version="0.3", factory="refusing:new"
        )
        + REGISTERED.format(name="winonly", package="winonly", version="2.0", factory="winonly:new")
        + 'skip = "Windows only"\n'
    )
    logs = root / "logs"
    logs.mkdir()
    # the survey's logs of runs that never started: refusing-loop's, and two of
    # slowloop's -- one that a later run on that Python supersedes, one that did not install
    for name, loop, version, status, detail, started in [
        (
            "refusing-loop-py3.13",
            "refusing-loop",
            "3.13.1",
            "refused",
            "its loop refuses call_soon_threadsafe()",
            8,
        ),
        ("slowloop-py3.12", "slowloop:new_event_loop", "3.12.1", "install-failed", "an old failure", 8),
        (
            "slowloop-py3.14",
            "slowloop:new_event_loop",
            "3.14.0",
            "install-failed",
            "pip install: no wheel",
            10,
        ),
    ]:
        write_log(
            logs / f"{name}.jsonl",
            dict(
                HEADER,
                python={"implementation": "cpython", "version": version, "build": None},
                loop={"name": loop, "module": loop, "version": "0.3" if "refusing" in loop else "1.2"},
                label="survey",
                survey={"status": status, "detail": detail},
                started=f"2026-11-27T{started:02}:00:00+00:00",
                ended=None,
            ),
        )
    refused = "expected a new client to be refused; a connection to 127.{}.42.1:{} was accepted by fd={}"
    _survey_log(
        logs,
        "slowloop:new_event_loop",
        "1.2",
        [
            _survey_record(
                sid,
                "closing.feature",
                "diverged",
                "unexpected-failure",
                refused.format(n, 30000 + n, n),
                "Then x",
            )
            for n, sid in enumerate(
                ["closing.stops-new-connections", "closing.close-twice", "closing.wait-closed-no-clients"]
            )
        ]
        + [
            _survey_record(
                "tls.start_server-echoes-trusting-client",
                "tls.feature",
                "diverged",
                "unexpected-failure",
                "no server could be created with start_server(): NotImplementedError",
                "Given a TLS server started with start_server",
            ),
            _survey_record(
                "tls.create_server-echoes-trusting-client",
                "tls.feature",
                "diverged",
                "unexpected-failure",
                "no server could be created with create_server(): ValueError: ssl is not supported",
                "Given a TLS server started with create_server",
            ),
            _survey_record(
                "serve-forever.accepts",
                "serve_forever.feature",
                "crashed",
                "unexpected-failure",
                "killed by SIGSEGV",
            ),
            _survey_record(
                "server.get-loop",
                "server_object.feature",
                "harness-error",
                "harness-error",
                "the spec's own code failed",
            ),
            _survey_record(
                "serving.start-serving-after-close-known-bug",
                "serving.feature",
                "diverged",
                "avoids-cpython-bug",
                "no TypeError",
            ),
        ],
    )
    _survey_log(
        logs,
        "otherloop",
        "0.1",
        [
            _survey_record("closing.close-twice", "closing.feature", "passed", "pass"),
            _survey_record(
                "serving.start-serving-after-close-known-bug",
                "serving.feature",
                "passed",
                "shares-cpython-bug",
            ),
        ],
    )
    out = str(root / "site")
    build_site(out, [str(logs)], str(root / "features"))
    return out


def test_a_loops_page_groups_its_failures_by_root_cause_what_to_fix_first_at_the_top(survey):
    page = Elements(read(survey, "loops/slowloop_new_event_loop.html"))
    causes = [text(li) for li in page.select("li", "cause")]
    assert [c.split(" — ")[0] for c in causes] == [
        "harness-error",  # the spec's own bug first
        "crashed",
        "diverged",  # the three refusals, whatever their ports and fds: one cause
        "no TLS servers",  # two wordings, one missing capability
    ]
    # its example: the real message of its first scenario by id (closing.close-twice)
    assert "3 scenarios" in causes[2] and "127.1.42.1:30001 was accepted by fd=1" in causes[2]
    (digest,) = page.select("ul", "digest")
    assert text(digest) == "no TLS servers: 2 scenarios"
    # the tracker already knows one of them (the expectations file's link); the rest point at the tracker
    assert "Upstream already knows: https://example.invalid/slowloop/issues/7" in causes[2]
    assert "Not linked to an upstream issue yet: slowloop's tracker" in causes[3]
    assert "Upstream already knows" not in causes[3]  # a link to the tracker itself is no issue
    (bugs,) = page.select("section", id="known-bugs")
    assert "avoids it: serving.start-serving-after-close-known-bug" in text(bugs)


def test_the_survey_index_has_a_row_per_loop_and_the_known_bugs_apart(survey):
    page = Elements(read(survey, "index.html"))
    (table,) = page.select("table", "summary")
    rows = {
        text(row["children"][0]): [text(td) for td in cells(row)]
        for row in page.select("tr")
        if row in table["children"][1]["children"]
    }
    slow = rows["slowloop:new_event_loop"]
    assert slow[0] == "slow-loop 1.2 issues" and slow[1] == "3.12.1"
    # the known-bug scenario is not counted: 7 applicable, 7 failing
    assert slow[2:6] == ["7", "0", "0%", "7"] and slow[7] == "no TLS servers" and slow[8] == "0 of 1"
    assert rows["otherloop"][2:6] == ["1", "1", "100%", "0"] and rows["otherloop"][8] == "1 of 1"
    (row,) = page.select("tr", "scenario", data_id="serving.start-serving-after-close-known-bug")
    assert [text(c) for c in cells(row)] == ["bug", "no bug"]  # the matrix: otherloop, slowloop
    assert "otherloop:bug" in row["attrs"]["data-search"]
    (bugs,) = page.select("table", "bugs")
    (line,) = [r for r in bugs["children"][1]["children"] if "start-serving-after-close" in text(r)]
    assert [text(c) for c in cells(line)][:2] == ["otherloop", "slowloop:new_event_loop"]


def _summary_rows(page):
    (table,) = page.select("table", "summary")
    return {
        text(row["children"][0]): row for row in page.select("tr") if row in table["children"][1]["children"]
    }


def test_a_loop_the_survey_could_not_run_has_a_row_saying_why_and_no_column(survey):
    page = Elements(read(survey, "index.html"))
    rows = _summary_rows(page)
    refusing = [text(td) for td in cells(rows["refusing-loop"])]
    assert refusing == [
        "refusing-loop 0.3 issues",
        "3.13.1",
        "refused: its loop refuses call_soon_threadsafe()",
    ]
    assert rows["refusing-loop"]["attrs"]["class"] == "unrun"
    assert "cut short" not in text(rows["refusing-loop"])
    # a loop that ran elsewhere says where it did not; a superseded failure is gone
    slow = text(rows["slowloop:new_event_loop"])
    assert "3.14.0: did not install" in slow and "old failure" not in read(survey, "index.html")
    # no matrix column for what never ran, and nothing in it is "cut short"
    header = [text(th) for th in page.select("th", "loop")]
    assert header == ["otherloop 0.1", "slowloop 1.2"]
    assert not page.select("th", "cut")


def test_a_loop_that_never_ran_has_a_page_saying_why_and_the_runs_page_says_it_never_started(survey):
    loop_page = Elements(read(survey, "loops/refusing-loop.html"))
    (section,) = loop_page.select("section", id="not-run")
    assert "CPython 3.13.1: refused: its loop refuses call_soon_threadsafe()" in text(section)
    assert not loop_page.select("section", id="causes")  # no "nothing failed" for what never ran
    runs = Elements(read(survey, "runs.html"))
    (run,) = [r for r in runs.select("section", "run") if "refusing-loop-py3.13.jsonl" in text(r)]
    assert "not run: refused" in text(run) and "never started" in text(run) and "cut short" not in text(run)
    assert "scenario lines" not in text(run) and "isolate, jobs" not in text(run)  # nothing ran


def test_a_survey_report_lists_the_registered_loops_it_has_no_log_of(survey):
    page = Elements(read(survey, "index.html"))
    (table,) = page.select("table", "not-run-here")
    (row,) = table["children"][1]["children"]
    assert [text(c) for c in row["children"]] == [
        "winonly",
        "winonly 2.0",
        "Windows only",
        "https://example.invalid/winonly/issues",
    ]


def test_a_report_of_logs_that_are_no_survey_lists_no_registered_loop(site):
    assert not Elements(read(site, "index.html")).select("table", "not-run-here")


# -- the loop registry, as the report reads it --------------------------------------------
def _registry(tmp_path, text):
    (tmp_path / "loops.toml").write_text(text)
    return registry.load(str(tmp_path / "loops.toml"))


def test_a_log_s_loop_is_matched_to_the_registry_by_name_or_by_factory_or_module(tmp_path):
    entries = _registry(
        tmp_path,
        REGISTERED.format(
            name="trio-asyncio", package="trio-asyncio", version="1", factory="trio_asyncio._sync:L"
        )
        + REGISTERED.format(
            name="velox", package="veloxloop", version="1", factory="veloxloop:new_event_loop"
        ),
    )
    trio, velox = entries
    assert upstream.registered(entries, "trio-asyncio") is trio
    assert upstream.registered(entries, "trio_asyncio._sync:L") is trio  # its factory
    assert (
        upstream.registered(entries, "trio_asyncio._sync:Other", "trio_asyncio._sync") is trio
    )  # its module
    assert upstream.registered(entries, "trio_asyncio:open_loop", "trio_asyncio") is trio  # its package
    assert upstream.registered(entries, "veloxloop:VeloxLoop") is velox
    assert upstream.registered(entries, "veloxloop") is None  # a name is only ever a registry name
    assert upstream.registered(entries, "mywrap:make", "mywrap") is None


def test_without_a_loops_toml_the_report_builds_from_the_logs_alone(tmp_path):
    root = tmp_path / "spec"
    root.mkdir()
    os.symlink(FEATURES, root / "features")
    pages, _ = build_site(
        str(tmp_path / "site"), [fixture("uvloop-cpython-3.12.jsonl")], str(root / "features")
    )
    assert "loops/uvloop.html" in pages
    assert "issues" not in text(_summary_rows(Elements(read(str(tmp_path / "site"), "index.html")))["uvloop"])


def test_a_malformed_loops_toml_stops_the_report_in_one_line(tmp_path, capsys):
    root = tmp_path / "spec"
    root.mkdir()
    os.symlink(FEATURES, root / "features")
    (root / "loops.toml").write_text('[loops.uvloop]\npackage = "uvloop"\n')
    argv = ["report", "--out", str(tmp_path / "site"), "--features", str(root / "features"), FIXTURES]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "only [[loop]] tables are accepted" in err


def test_a_header_s_package_and_version_are_shown_for_a_wrapper_module(tmp_path):
    header = dict(
        HEADER, loop={"name": "mywrap:make", "module": "mywrap", "version": "9.9", "package": "fastloop"}
    )
    log = write_log(tmp_path / "wrap.jsonl", header, SCENARIO, END)
    out = str(tmp_path / "site")
    build_site(out, [log], FEATURES)
    row = _summary_rows(Elements(read(out, "index.html")))["mywrap:make"]
    assert text(cells(row)[0]) == "fastloop 9.9"
    (about,) = Elements(read(out, "loops/mywrap_make.html")).select("p", "about")
    assert text(about).startswith("Package fastloop 9.9")
    runs = text(Elements(read(out, "runs.html")).select("section", "run")[0])
    assert "mywrap:make (module mywrap), package fastloop 9.9" in runs


def test_a_loop_page_shows_the_expectations_the_draft_command_writes(site):
    from asyncio_server_spec.report.model import Report

    logs = read_logs([FIXTURES])
    report = Report(read_spec(FEATURES), logs, registry.load())
    uvloop = report.loop_by_name["uvloop"]
    (toml,) = Elements(read(site, "loops/uvloop.html")).select("pre", "toml")
    assert html.unescape("".join(toml["text"])) == drafts.expectations_text(report, uvloop)
    assert drafts.expectations_text(report, uvloop) == drafts.draft(read_spec(FEATURES), logs, "uvloop")[0]


# -- the command line ---------------------------------------------------------------
def test_report_command_builds_the_site(tmp_path, capsys):
    out = str(tmp_path / "site")
    assert (
        cli.main(["report", "--out", out, "--features", FEATURES, fixture("uvloop-cpython-3.12.jsonl")]) == 0
    )
    features = len(glob.glob(os.path.join(FEATURES, "*.feature")))
    pages = features + 4  # index, traceability, runs, the loop's page
    assert capsys.readouterr().out == "wrote {} ({} pages from 1 log)\n".format(
        os.path.join(out, "index.html"), pages
    )
    assert os.path.isfile(os.path.join(out, "style.css"))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: [str(d / "missing.jsonl")], "missing.jsonl does not exist"),
        (lambda d: [str(d)], "holds no *.jsonl results logs"),
        (lambda d: [write_log(d / "notes.jsonl", {"hello": 1})], "line 1 is not a run header"),
        (lambda d: ["--features", str(d / "nope"), FIXTURES], "nope is not a directory of feature files"),
        (lambda d: ["--out", write_log(d / "file", HEADER), FIXTURES], "is a file; give a directory"),
    ],
)
def test_report_bad_input_is_one_line_and_exit_2(tmp_path, capsys, make, message):
    argv = make(tmp_path)
    if "--out" not in argv:
        argv = ["--out", str(tmp_path / "site")] + argv
    if "--features" not in argv:
        argv = ["--features", FEATURES] + argv
    assert cli.main(["report"] + argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and message in err


# -- in a real browser ------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not os.path.exists(CHROMIUM):  # .ci/run installs it; here it must be there
        pytest.fail(f"no {CHROMIUM}: apt-get install chromium (.ci/run does it)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Opened:
    """A page opened from disk, with what went wrong on it."""

    def __init__(self, browser, url, javascript=True):
        self.context = browser.new_context(java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors, self.requests = [], []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)

    def close(self):
        self.context.close()


def pages_of(site):
    return sorted(
        os.path.relpath(os.path.join(d, n), site)
        for d, _, names in os.walk(site)
        for n in names
        if n.endswith(".html")
    )


def url(site, page):
    return "file://" + os.path.join(site, page)


LINKS = (
    """() => Array.from(document.querySelectorAll('a[href], link[href]')).map(a => a.getAttribute('href'))"""
)
IDS = """() => Array.from(document.querySelectorAll('[id]')).map(e => e.id)"""


@pytest.mark.slow
def test_pages_open_without_errors_and_fetch_nothing_from_the_network(site, browser):
    for page in pages_of(site):
        opened = Opened(browser, url(site, page))
        try:
            assert opened.errors == [], page
            assert all(r.startswith("file://") for r in opened.requests), (page, opened.requests)
            assert opened.page.evaluate("() => document.styleSheets.length") == 1, page
        finally:
            opened.close()


@pytest.mark.slow
def test_every_relative_link_resolves_to_an_existing_file_and_anchor(site, browser):
    ids, links = {}, {}
    for page in pages_of(site):
        opened = Opened(browser, url(site, page))
        try:
            ids[page] = set(opened.page.evaluate(IDS))
            links[page] = opened.page.evaluate(LINKS)
        finally:
            opened.close()
    checked = 0
    for page, hrefs in links.items():
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue
            assert not parts.scheme and not href.startswith("/"), (page, href)
            target = (
                os.path.normpath(os.path.join(os.path.dirname(page), unquote(parts.path)))
                if parts.path
                else page
            )
            assert os.path.isfile(os.path.join(site, target)), (page, href)
            if parts.fragment:
                assert unquote(parts.fragment) in ids[target], (page, href)
            checked += 1
    assert checked > 1000


@pytest.mark.slow
def test_footnote_links_lead_to_their_footnote(site, browser):
    opened = Opened(browser, url(site, "index.html"))
    try:
        page = opened.page
        hrefs = page.evaluate(
            "() => Array.from(document.querySelectorAll('td.xfail a')).map(a => a.getAttribute('href'))"
        )
        assert len(hrefs) == 5
        for href in set(hrefs):
            assert page.evaluate("(id) => !!document.getElementById(id)", href[1:])
        page.click('tr[data-id="closing.wait-closed-waits-for-client"] td.xfail a >> nth=0')
        assert (
            page.evaluate("() => document.querySelector(':target').textContent").count(
                "does not wait for connected clients"
            )
            == 1
        )
    finally:
        opened.close()


VISIBLE_ROWS = """() => Array.from(document.querySelectorAll('tr.scenario'))
    .filter(r => r.getClientRects().length > 0).map(r => r.dataset.id)"""


@pytest.mark.slow
def test_the_filter_hides_the_scenario_rows_that_do_not_match(site, browser):
    opened = Opened(browser, url(site, "index.html"))
    try:
        page = opened.page
        page.fill("#filter", "closing.wait-closed-waits-for-client")
        assert page.evaluate(VISIBLE_ROWS) == ["closing.wait-closed-waits-for-client"]
        assert page.text_content("#filter-count") == "1 matching scenario"
        page.fill("#filter", "wait_closed clients")
        visible = page.evaluate(VISIBLE_ROWS)
        searched = dict(
            page.evaluate(
                "() => Array.from(document.querySelectorAll('tr.scenario')).map(r => [r.dataset.id, r.dataset.search])"
            )
        )
        matching = [sid for sid, words in searched.items() if "wait_closed" in words and "clients" in words]
        assert visible == matching and 1 < len(visible) < len(searched)
        page.fill("#filter", "is:crash")
        assert page.evaluate(VISIBLE_ROWS) == ["closing.leaves-clients-open"]
        page.fill("#filter", "")
        assert page.text_content("#filter-count") == ""
        assert opened.errors == []
    finally:
        opened.close()


@pytest.mark.slow
def test_features_open_and_close_and_the_table_is_whole_without_javascript(site, browser):
    opened = Opened(browser, url(site, "index.html"), javascript=False)
    try:
        page = opened.page
        assert page.is_hidden("#filter")  # no dead filter box without JavaScript
        assert page.locator("tr.scenario").count() == len(spec_ids()) + 1
        shown = page.evaluate(VISIBLE_ROWS)
        assert "closing.leaves-clients-open" in shown  # a feature with unexpected results starts open
        assert "addresses.port-in-use" not in shown  # one without starts closed
        page.click("text=Where a TCP server listens")
        assert "addresses.port-in-use" in page.evaluate(VISIBLE_ROWS)
    finally:
        opened.close()
