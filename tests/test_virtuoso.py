"""Loading into Virtuoso 7, which keeps the triples it parsed before a syntax error:
the staging step must make the load all or nothing anyway."""

from __future__ import annotations

import pytest

from realpolitik.http import EndpointError
from realpolitik.loading import Endpoints, Loader, payloads, working_quads
from realpolitik.querying import Remote, run_named
from servers import Virtuoso

GRAPH = "https://w3id.org/realpolitik/graph/"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    monkeypatch.setenv("REALPOLITIK_ENDPOINT_USER", "dba")
    monkeypatch.setenv("REALPOLITIK_ENDPOINT_PASSWORD", "dba")


@pytest.fixture(scope="module")
def quads():
    return working_quads(product="full")


def endpoints(server) -> Endpoints:
    return Endpoints(server.base + "/sparql-graph-crud-auth", server.base + "/sparql-auth", server.base + "/sparql-auth")


def ours(counts: dict) -> dict:
    return {g: n for g, n in counts.items() if g.startswith(GRAPH) and not g.startswith(GRAPH + "staging/")}


def all_counts(server) -> dict:
    rows = Loader(endpoints(server)).select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows if row["g"]["value"].startswith(GRAPH)}


def expected(quads) -> dict:
    return {g: data.count(b"\n") for g, data in payloads(quads).items()}


def test_load_replace_and_query(cli, virtuoso, quads):
    args = ["load", "--endpoint", virtuoso.base + "/sparql-graph-crud-auth",
            "--update", virtuoso.base + "/sparql-auth", "--query", virtuoso.base + "/sparql-auth"]
    run = cli(*args)
    assert run.exit_code == 0, run.output
    assert all_counts(virtuoso) == expected(quads)
    assert cli(*args).exit_code == 0  # replaced, not doubled
    assert all_counts(virtuoso) == expected(quads)
    assert "dba" not in run.output


def _lexical(result):
    """Rows as lexical values: Virtuoso drops language tags from GROUP_CONCAT and
    writes booleans as 1 and 0; the values are the same."""
    def value(term):
        if term is None:
            return ""
        text = term.value
        return {"1": "true", "0": "false"}.get(text, text) if getattr(term, "datatype", None) and term.datatype.value.endswith("#boolean") else text
    return sorted(tuple(value(t) for t in row) for row in result.rows)


@pytest.mark.parametrize(
    "name, params",
    [("transfers", {"recipient": "Iran"}), ("agreements", {"actor": "Russia"}),
     ("evidence", {"fact": "rpd:transfer-rus-irn-advanced-fighter-aircraft"}), ("disputes", {})],
)
def test_named_queries_give_the_same_values_there(cli, virtuoso, quads, name, params):
    Loader(endpoints(virtuoso)).load(payloads(quads))
    assert _lexical(run_named(name, params, on=Remote(virtuoso.base + "/sparql"))) == _lexical(run_named(name, params))


def test_a_rejected_graph_leaves_virtuoso_as_it_was(virtuoso, quads):
    Loader(endpoints(virtuoso)).load(payloads(quads))
    before = all_counts(virtuoso)
    graphs = payloads(quads)
    last = sorted(graphs)[-1]
    broken = {**graphs, last: graphs[last] + b"<http://example.org/s> <http://example.org/p> this is not N-Triples .\n"}
    with pytest.raises(EndpointError):
        Loader(endpoints(virtuoso), retries=1).load(broken)
    assert all_counts(virtuoso) == before


def test_a_virtuoso_killed_mid_load_leaves_the_targets_as_they_were(virtuoso, quads):
    Loader(endpoints(virtuoso)).load(payloads(quads))
    virtuoso.checkpoint()  # the earlier state, made durable by Virtuoso's own means
    before = ours(all_counts(virtuoso))
    changed = {g: data + b'<http://example.org/new> <http://example.org/p> "changed" .\n' for g, data in payloads(quads).items()}

    class DyingLoader(Loader):
        sent = 0

        def _gsp(self, method, graph, data=None):
            self.sent += 1
            if self.sent == 4:
                virtuoso.kill()
            return super()._gsp(method, graph, data)

    with pytest.raises(EndpointError):
        DyingLoader(endpoints(virtuoso), retries=1, timeout=10).load(changed)
    virtuoso.start()
    assert ours(all_counts(virtuoso)) == before
    again = Loader(endpoints(virtuoso)).load(payloads(quads))
    assert again.dropped_stale == 3
    assert all_counts(virtuoso) == before
