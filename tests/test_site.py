"""Pictures and the static site, without a browser: partial dates, the timeline's
order, the graph's DOT and its drawing by Graphviz, the site's pages, links, escaping,
determinism and the folders it refuses."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from realpolitik.dates import Moment, parse, render

RPD = "https://w3id.org/realpolitik/id/"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed (apt-get install graphviz)")


# --- partial dates ------------------------------------------------------------------


@pytest.mark.parametrize("lexical, bound, said", [
    ("2017", None, "2017"),
    ("2025-06", None, "June 2025"),
    ("2024-08-05", "after", "after 5 August 2024"),
    ("2024-08-05", "before", "by 5 August 2024"),
    ("2025-01-17Z", None, "17 January 2025"),
    ("not a date", None, "not a date"),
])
def test_partial_dates_are_said_at_their_precision(lexical, bound, said):
    assert render(lexical, bound) == said


def test_partial_dates_sort_by_earliest_day_then_precision():
    dates = ["2024-08-05", "2024", "2023-12", "2024-08", "2024-01-01", "2016"]
    assert sorted(dates, key=lambda d: parse(d).sort_key()) == ["2016", "2023-12", "2024", "2024-01-01", "2024-08", "2024-08-05"]
    day = parse("2024-08-05")
    assert sorted([Moment(day, "after"), Moment(day), Moment(day, "before")], key=Moment.sort_key) == [
        Moment(day, "before"), Moment(day), Moment(day, "after")]
    assert parse("2024-13") is None and parse("24") is None


# --- timeline ------------------------------------------------------------------------


def test_timeline_is_in_date_order_with_the_undated_last():
    from realpolitik.pictures.timeline import entries
    from realpolitik.querying import backend

    found = entries(backend(), "Iran")
    dated = [e for e in found if e.when]
    assert [e.when.sort_key() for e in dated] == sorted(e.when.sort_key() for e in dated)
    assert found[len(dated):] and all(e.when is None for e in found[len(dated):])
    said = [e.date_text for e in dated]
    # The treaty of 2001 first, the summit of October 2024 before what a June 2025 article speaks of.
    assert said[0] == "2001" and said.index("22 October 2024") < said.index("after June 2025")
    assert "after 5 August 2024" in said
    # Dated claims are in it, at their own date.
    assert any(e.kind == "claim" and e.date_text == "5 August 2024" for e in dated)


def test_timeline_command_writes_html_and_svg(cli, tmp_path):
    run = cli("timeline", "--actor", "Tehran", "--format", "html", "--out", tmp_path / "t.html")
    assert run.exit_code == 0, run.output
    page = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert page.index(">2001<") < page.index(">October 2024<") < page.index(">after June 2025<")
    assert "<script" not in page
    svg = cli("timeline", "--actor", "Iran").stdout
    assert svg.startswith("<svg") and "Russia–Iran cooperation treaty (2001)" in svg
    assert f'href="{RPD}agreement-irn-rus-treaty-2001"' in svg


def test_timeline_unknown_actor_is_one_line_exit_2(cli):
    run = cli("timeline", "--actor", "Atlantis")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.strip().splitlines() == ["Error: --actor: no actor is called 'Atlantis'"]


# --- graph ---------------------------------------------------------------------------


def test_graph_dot_is_deterministic_sorted_and_traceable(cli):
    first, second = cli("graph", "--format", "dot"), cli("graph", "--format", "dot")
    assert first.exit_code == 0 and first.stdout == second.stdout
    lines = first.stdout.splitlines()
    nodes = [line for line in lines if line.startswith('  "') and " -> " not in line]
    edges = [line for line in lines if " -> " in line]
    assert nodes == sorted(nodes) and edges == sorted(edges)
    declined = next(line for line in edges if "certain types of missiles (declined)" in line)
    assert declined.startswith('  "rpd:state-irn" -> "rpd:state-rus"') and 'style="dotted"' in declined
    assert f'URL="{RPD}transfer-irn-rus-certain-types-of-missiles"' in declined and "Claims: rpd:claim-" in declined
    delivered = next(line for line in edges if "S-400 surface-to-air missile system (delivered)" in line)
    assert 'style="solid"' in delivered and '"rpd:state-tur"' in delivered
    disputed = next(line for line in edges if "advanced fighter aircraft (disputed)" in line)
    assert 'style="dashed"' in disputed
    # Support and opposition come from coded propositions, one edge per direction and stance.
    denied = next(line for line in edges if "claims denying support" in line or "claim denying support" in line)
    assert 'style="dotted"' in denied and "deny that" in denied
    # The four parties of the Collective Security Treaty meet at a node of their own.
    assert sum('-> "rpd:agreement-collective-security-treaty"' in line for line in edges) == 4


def test_graph_around_an_actor_keeps_its_ties_only(cli):
    dot = cli("graph", "--around", "Turkey", "--format", "dot").stdout
    assert '"rpd:state-tur"' in dot and '"rpd:state-rus" -> "rpd:state-tur"' in dot
    edges = [line for line in dot.splitlines() if " -> " in line]
    assert edges and all('"rpd:state-tur"' in line or '-> "rpd:agreement-' in line for line in edges)
    assert "rpd:state-kgz" not in dot  # a party of Russia's treaty, which binds no tie of Turkey


def test_graph_around_unknown_actor_is_one_line_exit_2(cli, tmp_path):
    run = cli("graph", "--around", "Atlantis", "--out", tmp_path / "g.svg")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.strip().splitlines() == ["Error: --around: no actor is called 'Atlantis'"]
    assert not (tmp_path / "g.svg").exists()


@needs_dot
def test_graph_is_drawn_by_graphviz(cli, tmp_path):
    run = cli("graph", "--around", "Iran", "--out", tmp_path / "iran.svg")
    assert run.exit_code == 0, run.output
    svg = (tmp_path / "iran.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and ">Iran</text>" in svg and f'xlink:href="{RPD}transfer-rus-irn-training-aircraft"' in svg
    assert cli("graph", "--format", "png", "--out", tmp_path / "g.png").exit_code == 0
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.png", "iran.svg"]  # no temporary file left


def test_graph_without_dot_is_one_line_exit_2_but_dot_format_works(cli, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    run = cli("graph", "--out", tmp_path / "g.svg", env={"PATH": str(empty)})
    assert run.exit_code == 2 and not (tmp_path / "g.svg").exists()
    assert run.stderr.strip().splitlines() == [
        "Error: Graphviz's dot is not installed (Debian: apt-get install graphviz); --format dot works without it"]
    assert cli("graph", "--format", "dot", env={"PATH": str(empty)}).stdout.startswith("digraph")


def test_pictures_are_not_written_into_the_dataset(cli):
    from realpolitik.paths import dataset_root

    target = dataset_root() / "data" / "graph.dot"
    run = cli("graph", "--format", "dot", "--out", target)
    assert run.exit_code == 2 and "is part of the dataset" in run.stderr and not target.exists()
    assert cli("graph", "--format", "png").exit_code == 2


# --- the site --------------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "xlink:href") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from realpolitik.site import build

    out = tmp_path_factory.mktemp("site") / "site"
    build(out)
    return out


@needs_dot
def test_every_internal_link_and_anchor_resolves(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 500
    parsed = {}
    for path in pages:
        parser = Links()
        parser.feed(path.read_text(encoding="utf-8"))
        parsed[path] = parser
    broken = []
    for path, parser in parsed.items():
        for link in parser.links:
            if re.match(r"^[a-z]+:", link):
                assert link.startswith(("https://", "http://")), f"{path}: {link}"  # never file: or javascript:
                continue
            target, _, anchor = link.partition("#")
            resolved = (path.parent / target).resolve() if target else path
            if not resolved.is_file():
                broken.append(f"{path.relative_to(site)} -> {link}")
            elif anchor and resolved.suffix == ".html" and anchor not in parsed[resolved].ids:
                broken.append(f"{path.relative_to(site)} -> {link} (no such anchor)")
    assert broken == []
    # No page reaches outside: no scripts, no remote stylesheets or fonts.
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "@import" not in text and 'rel="stylesheet" href="http' not in text


@needs_dot
def test_a_page_per_node_each_with_its_turtle(site):
    import pyoxigraph as ox

    page = site / "actors" / "state-irn.html"
    text = page.read_text(encoding="utf-8")
    assert '<link rel="alternate" type="text/turtle" href="state-irn.ttl">' in text
    triples = [q.triple for q in ox.parse(path=str(site / "actors" / "state-irn.ttl"), format=ox.RdfFormat.TURTLE)]
    assert ox.Triple(ox.NamedNode(RPD + "state-irn"), ox.NamedNode("https://w3id.org/realpolitik/ontology#isoCode"),
                     ox.Literal("IRN")) in triples
    claim = list(ox.parse(path=str(site / "claims" / "claim-russia-quiet-on-saving-iran-russia-is-one-of-irans-closest.ttl"),
                          format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == "http://www.w3.org/ns/oa#exact" and t.object.value.startswith("Russia is one of Iran")
               for t in claim)
    for folder in ("actors", "agreements", "transfers", "events", "claims", "sources"):
        assert len(list((site / folder).glob("*.html"))) > 1
    assert (site / "ontology" / "index.html").is_file() and (site / "style.css").is_file()


@needs_dot
def test_source_page_marks_each_quote_and_links_its_claim(site):
    text = (site / "sources" / "source-russia-quiet-on-saving-iran.html").read_text(encoding="utf-8")
    anchor = 'id="c-claim-russia-quiet-on-saving-iran-russia-is-one-of-irans-closest" ' \
             'href="../claims/claim-russia-quiet-on-saving-iran-russia-is-one-of-irans-closest.html"'
    assert anchor in text
    assert "<mark>Russia is one of Iran’s closest partners" in text


@needs_dot
def test_ontology_reference_documents_terms_shapes_and_examples(site):
    text = (site / "ontology" / "index.html").read_text(encoding="utf-8")
    section = text[text.index('id="rp-WeaponsTransfer"'):]
    section = section[: section.index("</section>")]
    assert "rpsh:WeaponsTransferShape" in section and "../transfers/" in section
    status = text[text.index('id="rp-transferStatus"'):]
    status = status[: status.index("</section>")]
    assert "rp:transferStatus is exactly one concept of rpv:transfer-statuses: the status its claims agree on, or rpv:disputed." in status
    assert 'id="rpv-declined"' in text and 'id="rpv-transfer-statuses"' in text and 'id="rp-PartialDate"' in text


@needs_dot
def test_the_same_data_builds_the_same_bytes(site, tmp_path):
    from realpolitik.site import build

    again = tmp_path / "again"
    build(again)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


@needs_dot
def test_hostile_labels_are_escaped_everywhere(cli, dataset_copy, tmp_path):
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    (dataset_copy / "data" / "shared" / "hostile.ttl").write_text(
        "@prefix rp: <https://w3id.org/realpolitik/ontology#> .\n"
        "@prefix rpd: <https://w3id.org/realpolitik/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'<https://w3id.org/realpolitik/id/state-hostile-../../x> a rp:State ; rdfs:label "{hostile.replace(chr(34), chr(92) + chr(34))}"@en .\n'
        "rpd:transfer-hostile a rp:WeaponsTransfer ; rp:supplier <https://w3id.org/realpolitik/id/state-hostile-../../x> ; rp:recipient rpd:state-irn ;\n"
        f'    rp:itemDescription "{hostile.replace(chr(34), chr(92) + chr(34))}"@en .\n', encoding="utf-8")
    out = tmp_path / "site"
    run = cli("--root", dataset_copy, "site", "--out", out)
    assert run.exit_code == 0, run.output
    # The IRI's local name becomes a safe file name inside its folder.
    assert (out / "actors" / "state-hostile-x.html").is_file()
    for path in out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "<img" not in text, path
    page = (out / "actors" / "state-hostile-x.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in page
    dot = cli("--root", dataset_copy, "graph", "--format", "dot").stdout
    assert 'label="<script>alert(\\"x\\")</script> & <img src=x onerror=alert(1)>"' in dot


@needs_dot
@pytest.mark.parametrize("where, message", [
    (lambda root, tmp: root / "data", "is part of the dataset, or holds it; site writes a site elsewhere"),
    (lambda root, tmp: root / "data" / "texts", "is part of the dataset, or holds it; site writes a site elsewhere"),
    (lambda root, tmp: root / "ontology" / "site", "is part of the dataset, or holds it; site writes a site elsewhere"),
    (lambda root, tmp: root, "is part of the dataset, or holds it; site writes a site elsewhere"),
    (lambda root, tmp: tmp / "notes", "not empty and not a site (no .realpolitik-site); site will not replace it"),
])
def test_site_refuses_an_out_it_must_not_replace(cli, dataset_copy, tmp_path, where, message):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me")
    before = sorted(str(p) for p in dataset_copy.rglob("*"))
    out = where(dataset_copy, tmp_path)
    run = cli("--root", dataset_copy, "site", "--out", out)
    assert run.exit_code == 2
    assert run.stderr.strip().splitlines() == [f"Error: {out}: {message}"]
    assert sorted(str(p) for p in dataset_copy.rglob("*")) == before
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep me"


@needs_dot
def test_site_replaces_a_previous_site_whole(cli, tmp_path):
    out = tmp_path / "site"
    assert cli("site", "--out", out).exit_code == 0
    (out / "stale.html").write_text("from an older build")
    run = cli("site", "--out", out)
    assert run.exit_code == 0 and "pages in" in run.stdout
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # nothing left beside it
