"""Writing the report as static pages: Jinja2 templates, autoescaped, relative
links only, the data inlined in the HTML, one CSS file; no network, no CDN,
so the site reads the same opened from disk (file://) as served.
"""

import os
import re
import shlex
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from . import drafts, upstream
from .model import CATEGORIES, UNEXPECTED, Report

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
STYLESHEET = "style.css"
_LINKABLE = re.compile(r"(https?://[^\s<>\"']+[^\s<>\"'.,;:)\]])|\b(gh-(\d+))\b")
_DOCS = "https://docs.python.org/3/library/"


def cpython_issue(number):
    return f"https://github.com/python/cpython/issues/{number}"


def link_label(url):
    """A docs.python.org link as ``page#anchor``; any other link as written."""
    if url.startswith(_DOCS):
        page, _, anchor = url[len(_DOCS) :].partition("#")
        return "{}#{}".format(page.replace(".html", ""), anchor) if anchor else page
    return url


def linkify(text):
    """*text* escaped, with its URLs and ``gh-NNNN`` references made links."""
    text = "" if text is None else str(text)
    out, position = [], 0
    for match in _LINKABLE.finditer(text):
        out.append(escape(text[position : match.start()]))
        if match.group(1):
            url, label = match.group(1), link_label(match.group(1))
        else:
            url, label = cpython_issue(match.group(3)), match.group(2)
        out.append(Markup('<a href="{}">{}</a>').format(url, label))
        position = match.end()
    out.append(escape(text[position:]))
    return Markup("").join(out)


def breakable(text):
    """*text* escaped, with a line break allowed after each ``_ . : -`` (a long
    loop name over a narrow column wraps there, not mid-word)."""
    return Markup("<wbr>").join(escape(part) for part in re.split(r"(?<=[_.:-])", str(text)))


def fragment(text):
    """*text* as a URL fragment (ids may hold characters a URL cannot)."""
    return quote(str(text), safe="")


def environment():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        linkify=linkify,
        breakable=breakable,
        fragment=fragment,
        link_label=link_label,
        shquote=shlex.quote,
    )
    env.globals.update(categories=CATEGORIES, unexpected_keys=UNEXPECTED, cpython_issue=cpython_issue)
    return env


def traceability(report):
    """Documented behaviour -> scenarios: [(kind, target, [scenarios])], docs first."""
    rows = {}
    for scenario in report.scenarios:
        for kind, target in scenario.citations:
            rows.setdefault((kind, target), []).append(scenario)
    ordered = sorted(rows.items(), key=lambda item: (item[0][0] != "docs", _natural(item[0][1])))
    return [(kind, target, scenarios) for (kind, target), scenarios in ordered]


def _natural(text):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def pythons(report):
    """Every Python of any column, in column order: (implementation, version)."""
    seen = []
    for column in sorted(report.columns, key=lambda c: c.sort_key):
        if (column.implementation, column.version) not in seen:
            seen.append((column.implementation, column.version))
    return seen


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


def build(out_dir, features, logs, root=None):
    """Write the site for *features* (from :func:`spec.read_spec`) and *logs*
    (from :func:`logs.read_logs`) into *out_dir*; return the pages written.

    *root*, the spec's repository, gives the loop registry (``loops.toml``)
    and the upstream links of ``expectations/NAME.toml``, where they exist;
    a registry that is there but malformed is a :class:`.registry.RegistryError`."""

    def links(loop):
        names = [loop.name, loop.entry.name if loop.entry else None, loop.package]
        return upstream.known_upstream(root, names)

    report = Report(features, logs, upstream.registry_entries(root), links)
    env = environment()
    common = {"report": report, "pythons": pythons(report)}
    pages = {
        "index.html": ("index.html.j2", {}),
        "traceability.html": ("traceability.html.j2", {"rows": traceability(report)}),
        "runs.html": ("runs.html.j2", {}),
    }
    for feature in features:
        pages[feature.page] = ("feature.html.j2", {"feature": feature})
    for loop in report.loops:
        draft = drafts.entries(report, loop, loop.tracker)
        context = {"lp": loop, "draft": draft, "draft_text": drafts.expectations_text(report, loop)}
        pages[loop.page] = ("loop.html.j2", context)
    written = []
    for page, (template, context) in pages.items():
        root = "../" * page.count("/")
        html = env.get_template(template).render(root=root, page=page, **common, **context)
        _write(os.path.join(out_dir, page), html)
        written.append(page)
    with open(os.path.join(TEMPLATES, STYLESHEET), encoding="utf-8") as css:
        _write(os.path.join(out_dir, STYLESHEET), css.read())
    return written
