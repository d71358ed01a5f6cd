"""The same named queries on a real SPARQL endpoint: an Oxigraph server started here, on
127.0.0.1, with the dataset loaded, and stopped at the end."""

from __future__ import annotations

import shlex

import pytest

from realpolitik.dataset import files
from realpolitik.querying import ParamError, QueryError, Remote, backend, named, run_named, run_sparql
from realpolitik.querying.results import as_tsv
from servers import Oxigraph, free_port

NAMES = sorted(named())


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    dataset = files()
    server = Oxigraph(tmp_path_factory.mktemp("oxigraph"))
    server.load(*(dataset.ontology_files() + dataset.data_files()))
    server.start()
    try:
        yield server.base + "/query"
    finally:
        server.stop()


def count(on) -> int:
    return run_sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", on=on).rows[0][0].value


def example_params(query) -> dict:
    args = shlex.split(query.examples[0])[3:]
    return {flag[2:]: value for flag, value in zip(args[::2], args[1::2])}


def test_the_server_holds_the_dataset(endpoint):
    assert count(Remote(endpoint)) == count(backend())


@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_gives_the_same_rows_there(endpoint, name):
    params = example_params(named()[name])
    local = run_named(name, params)
    remote = run_named(name, params, on=Remote(endpoint))
    assert remote.variables == local.variables
    assert as_tsv(remote) == as_tsv(local)
    assert remote.rows


@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_without_parameters_agrees_too(endpoint, name):
    query = named()[name]
    if any(p.required for p in query.params):
        params = {p.name: example_params(query)[p.name] for p in query.params if p.required}
    else:
        params = {}
    assert as_tsv(run_named(name, params, on=Remote(endpoint))) == as_tsv(run_named(name, params))


def test_hostile_values_leave_the_server_as_it_was(endpoint):
    remote = Remote(endpoint)
    before = count(remote)
    for value in ['"} ; DROP ALL ; #', "?x } UNION { ?s ?p ?o", "<http://e/x> } INSERT DATA { <a> <b> <c> }", "Тегеран"]:
        for name, param in (("transfers", "recipient"), ("search", "text"), ("claims", "source")):
            try:
                run_named(name, {param: value}, on=remote)
            except ParamError:
                pass
    with pytest.raises(QueryError, match="updates are refused"):
        run_sparql("DROP ALL", on=remote)
    assert count(remote) == before


def test_command_line_on_the_endpoint(cli, endpoint):
    local = cli("query", "agreements", "--actor", "Russia", "--format", "tsv")
    remote = cli("query", "agreements", "--actor", "Russia", "--format", "tsv", "--endpoint", endpoint)
    assert remote.exit_code == 0 and remote.stdout == local.stdout
    disputes = cli("disputes", "--endpoint", endpoint, "--format", "json")
    assert disputes.exit_code == 0 and disputes.stdout == cli("disputes", "--format", "json").stdout


def test_python_api_on_the_endpoint(endpoint):
    import realpolitik

    assert realpolitik.query("offices", holder="Putin", endpoint=endpoint) == realpolitik.query("offices", holder="Putin")


def test_unreachable_endpoints_are_one_line_errors(cli, endpoint):
    closed = f"http://127.0.0.1:{free_port()}/query"
    for url, message in (
        (closed, "Connection refused"),
        (endpoint.replace("/query", "/nowhere"), "HTTP 404"),
        ("ftp://127.0.0.1/query", "not an http(s) endpoint URL"),
    ):
        run = cli("query", "transfers", "--endpoint", url)
        assert run.exit_code == 2, url
        assert message in run.stderr and len(run.stderr.strip().splitlines()) == 1
        assert "Traceback" not in run.output
