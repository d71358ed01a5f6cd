"""Local = remote: the same query gives the same rows on the embedded store
(``realpolitik query``), on ``realpolitik serve`` and on an Oxigraph server filled by
``realpolitik load``, on what each is defined to hold (docs/loading.md):

- the embedded store and serve hold the ontology and the data, as asserted;
- a load (``--product full``) holds the release's graphs: the same triples, the ontology
  stamped with the release's ``owl:versionIRI``, and beside them the OWL RL closure's
  inferred triples in ``.../graph/inferred``.

The named queries read the project's graphs as one default graph (``default-graph-uri``)
and rest on asserted triples only, so they give the same rows everywhere. An ad-hoc query
asked of every graph but ``.../graph/inferred`` answers as the release's data and
ontology held locally do (the embedded store but for the version stamp); asked
of the union of the load (Oxigraph's ``--union-default-graph``), it answers as the full
product held locally does."""

from __future__ import annotations

import json
import shlex
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from realpolitik import __version__
from realpolitik.cli import main
from realpolitik.loading import working_quads
from realpolitik.namespaces import BASE
from realpolitik.querying import Embedded, embedded, named, run_named, with_prefixes
from realpolitik.querying.backends import Remote, parse_results
from realpolitik.querying.results import rows_as_dicts
from realpolitik.store import engine as ox
from realpolitik.store.dataset import Dataset
from servers import Oxigraph
from test_serve import Server

GRAPHS = "https://w3id.org/realpolitik/graph/"
INFERRED = GRAPHS + "inferred"
VERSION_IRI = "http://www.w3.org/2002/07/owl#versionIRI"
NAMES = sorted(named())
AD_HOC = [
    "SELECT ?s ?type WHERE { ?s a ?type }",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "SELECT ?actor ?label WHERE { ?actor a rp:Actor ; rdfs:label ?label }",
    "SELECT ?s ?class WHERE { ?s a/rdfs:subClassOf* rp:LegalInstrument ; a ?class }",
]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    running = Oxigraph(tmp_path_factory.mktemp("oxigraph") / "store", "--union-default-graph").start()
    try:
        loaded = CliRunner().invoke(main, ["load", "--endpoint", running.base + "/store"])
        assert loaded.exit_code == 0, loaded.output
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def serve():
    running = Server()
    yield running
    running.stop()


def example_params(query) -> dict:
    args = shlex.split(query.examples[0])[3:]
    return {flag[2:]: value for flag, value in zip(args[::2], args[1::2])}


def as_json(rows) -> list[dict]:
    return json.loads(json.dumps(rows, ensure_ascii=False, default=str))


def table(result) -> list[tuple]:
    """Rows as sorted tuples of N-Triples terms (None where unbound): order-free, exact
    but for blank nodes, whose labels each store picks (each is ``_:`` here)."""
    return sorted(tuple(None if term is None else "_:" if isinstance(term, ox.BlankNode) else str(term)
                        for term in row) for row in result.rows)


def ask(url: str, query: str, graphs: list[str] | None = None) -> list[tuple]:
    """``query`` asked over the SPARQL 1.1 Protocol, with ``graphs`` as its default graph."""
    target = url + ("?" + urllib.parse.urlencode([("default-graph-uri", g) for g in graphs]) if graphs else "")
    request = urllib.request.Request(target, data=urllib.parse.urlencode({"query": with_prefixes(query)}).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return table(parse_results(answer.read(), url))


def loaded_graphs(oxigraph) -> list[str]:
    found = ask(oxigraph.base + "/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sorted(row[0].strip("<>") for row in found)


@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_gives_the_same_rows_locally_on_serve_and_on_the_load(name, oxigraph, serve):
    params = example_params(named()[name])
    local = run_named(name, params)
    assert local.rows, f"{named()[name].examples[0]} gives no rows"
    expected = as_json(rows_as_dicts(local))
    status, _, body = serve.get(f"/api/queries/{name}?" + urllib.parse.urlencode(params))
    assert status == 200, body
    assert json.loads(body)["rows"] == expected
    remote = run_named(name, params, on=Remote(oxigraph.base + "/query"))
    assert as_json(rows_as_dicts(remote)) == expected


def test_the_load_holds_the_release_graphs_and_the_closure_beside_them(oxigraph):
    graphs = loaded_graphs(oxigraph)
    assert INFERRED in graphs and GRAPHS + "ontology" in graphs and GRAPHS + "shared" in graphs
    assert all(g.startswith(GRAPHS) and not g.startswith(GRAPHS + "staging/") for g in graphs)
    assert set(graphs) == {q.graph_name.value for q in working_quads(product="full")}


def local(query: str, quads=None) -> list[tuple]:
    """``query``'s rows on the embedded store, or on a store in memory holding ``quads``."""
    store = embedded() if quads is None else Embedded(Dataset.holding(quads))
    return table(store.select(with_prefixes(query)))


def test_the_releases_asserted_triples_are_the_embedded_stores_and_its_version_stamp():
    asserted = [q for q in working_quads(product="full") if q.graph_name.value != INFERRED]
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    stamped = [row for row in local(query, asserted) if row[1] == f"<{VERSION_IRI}>"]
    assert stamped == [(f"<{BASE}ontology>", f"<{VERSION_IRI}>",
                        f"<{BASE}releases/{__version__}/ontology>")]
    assert [row for row in local(query, asserted) if row not in stamped] == local(query)


@pytest.mark.parametrize("query", AD_HOC)
def test_an_ad_hoc_query_answers_on_serve_as_on_the_embedded_store(query, serve):
    expected = local(query)
    status, _, body = serve.sparql(query, headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    assert table(parse_results(body.encode(), serve.base)) == expected


@pytest.mark.parametrize("query", AD_HOC)
def test_an_ad_hoc_query_of_the_asserted_graphs_answers_as_the_release_without_its_closure(query, oxigraph):
    asserted = [q for q in working_quads(product="full") if q.graph_name.value != INFERRED]
    graphs = [g for g in loaded_graphs(oxigraph) if g != INFERRED]
    assert ask(oxigraph.base + "/query", query, graphs) == local(query, asserted)


@pytest.mark.parametrize("query", AD_HOC)
def test_an_ad_hoc_query_of_the_whole_load_answers_as_the_full_product_held_locally(query, oxigraph):
    expected = local(query, working_quads(product="full"))
    assert ask(oxigraph.base + "/query", query) == expected  # the union default graph
    assert ask(oxigraph.base + "/query", query, loaded_graphs(oxigraph)) == expected


def test_the_closure_is_what_tells_the_load_apart(oxigraph):
    """A class reached only by inference (every actor is asserted a State, a Person...)
    has no members locally and has them on the load, from .../graph/inferred alone."""
    query = "SELECT ?actor WHERE { ?actor a rp:Actor }"
    assert local(query) == []
    on_load = ask(oxigraph.base + "/query", query)
    assert (f"<{BASE}id/state-irn>",) in on_load
    assert ask(oxigraph.base + "/query", query, [INFERRED]) == on_load
