"""A static site of the dataset: a page per actor, agreement, transfer, event, claim
and source, the disputes side by side, the graph and the timeline, and the ontology's
reference. Plain HTML and one stylesheet, relative links, no scripts, nothing fetched:
it reads the same from a web server or from file://. Each page links its node's
statements as Turtle. The same data gives the same bytes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path

from realpolitik import folders
from realpolitik.errors import RealpolitikError

MARKER = folders.SITE_MARKER


class SiteError(RealpolitikError):
    pass


@dataclass
class Built:
    out: Path
    pages: int = 0
    seconds: float = 0.0


def build(out: Path, root=None) -> Built:
    """Write the site into ``out``, whole or not at all (see ``realpolitik.folders``)."""
    out = Path(out)
    try:
        folders.refuse_to_replace(out, root, MARKER, "a site", "site")
    except folders.FolderError as exc:
        raise SiteError(str(exc)) from None
    start = time.perf_counter()
    built = folders.replace(out, lambda staging: _write(staging, root))
    built.out, built.seconds = out, time.perf_counter() - start
    return built


def _write(out: Path, root) -> Built:
    from realpolitik.dataset import files
    from realpolitik.disputes import disputes
    from realpolitik.pictures import graph
    from realpolitik.querying import backend
    from realpolitik.site.model import FOLDERS, Model
    from realpolitik.site.pages import Site, consensus
    from realpolitik.site.turtle import describe

    dataset = files(root)
    on = backend(None, root)
    model = Model(on)
    site = Site(model, dataset, disputes(on), consensus(on))
    written = 0

    def put(path: str, text: str) -> None:
        nonlocal written
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written += path.endswith(".html")

    # The pictures, drawn once for the whole graph and once per actor with ties.
    rows = graph.ties(on)
    put("graph.html", graph_page(site, rows))
    put("timeline.html", timeline_page(site, on))
    for iri in sorted(model.path):
        path = model.path[iri]
        put(path + ".html", site.node_page(iri, ties_section(site, rows, iri)))
        put(path + ".ttl", describe(model, iri))
    for folder in FOLDERS:
        put(f"{folder}/index.html", site.list_page(folder))
    put("disputes.html", site.disputes_page())

    put("ontology/index.html", reference_page(site))
    put("index.html", index_page(site))
    (out / "style.css").write_bytes(package_files("realpolitik.site").joinpath("style.css").read_bytes())
    (out / MARKER).write_text("A site written by realpolitik site; it replaces this folder whole.\n", encoding="utf-8")
    return Built(out, written)


def linker(site, here: str):
    """Links from the page at ``here`` to the pages of the IRIs a picture shows."""
    from realpolitik.site.html import rel

    return lambda iri: rel(here, site.href(iri)) if site.href(iri) else iri


def ties_section(site, rows, iri: str) -> str:
    """The picture of an actor's ties (``rows`` of graph.ties), or "" for a node without."""
    from realpolitik.pictures import graph
    from realpolitik.site.html import svg_inline

    if not any(r["a"] == iri or r["b"] == iri for r in rows):
        return ""
    around = graph.around(rows, iri)
    title = f"Ties of {site.m.label(iri)}"
    svg = graph.render(graph.to_dot(around, link=linker(site, site.m.path[iri] + ".html"), title=title), "svg")
    return f'<h2>Ties</h2>\n<div class="picture">{svg_inline(svg.decode("utf-8"))}</div>\n'


def graph_page(site, rows) -> str:
    """The picture of who binds, supplies and supports whom (``rows`` of graph.ties)."""
    from realpolitik.pictures import graph
    from realpolitik.site.html import page, svg_inline

    title = "Who binds, supplies and supports whom"
    drawn = graph.render(graph.to_dot(rows, link=linker(site, "graph.html"), title=title), "svg")
    return page("graph.html", title,
                '<p>Every edge links to the agreement, transfer or claim behind it; hover for its claims.</p>\n'
                f'<div class="picture">{svg_inline(drawn.decode("utf-8"))}</div>\n')


def timeline_page(site, on) -> str:
    from realpolitik.pictures import timeline
    from realpolitik.site.html import page, svg_inline

    entries = timeline.entries(on)
    return page("timeline.html", "Timeline",
                f'<div class="picture">{svg_inline(timeline.svg(entries, linker(site, "timeline.html")))}</div>\n'
                + timeline.table(entries, linker(site, "timeline.html")))


def reference_page(site) -> str:
    """The ontology's reference, with the shapes that constrain each term."""
    from realpolitik.querying.backends import Embedded
    from realpolitik.site.model import Model
    from realpolitik.site.ontology import Reference

    shapes = Model(Embedded.read(site.dataset.shape_files(), site.dataset.root))
    return Reference(site, shapes).page()


def index_page(site) -> str:
    from realpolitik.site.html import page
    from realpolitik.site.model import FOLDERS, TITLES

    counts = "".join(f'<li><a href="{folder}/index.html">{TITLES[folder]}</a>: {len(site.m.pages(folder))}</li>\n'
                     for folder in FOLDERS)
    return page("index.html", "realpolitik",
                "<p>States, agreements, weapons transfers and the claims behind them: every fact with "
                "the claims that back it, every claim with its quote in its source.</p>\n"
                f"<ul>\n{counts}"
                f'<li><a href="disputes.html">Where the sources disagree</a>: {len(site.disputes)}</li>\n'
                '<li><a href="graph.html">Who binds, supplies and supports whom</a> (a picture)</li>\n'
                '<li><a href="timeline.html">Timeline</a></li>\n'
                '<li><a href="ontology/index.html">Ontology reference</a></li>\n</ul>\n')
