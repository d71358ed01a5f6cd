"""``realpolitik serve`` as its users meet it: the server started as a process of its
own on 127.0.0.1 (``--port 0``), asked over HTTP by a real client, and stopped by the
test. Its answers are compared with what the Python API gives in this process."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from decimal import Decimal
from pathlib import Path

import pytest

import realpolitik
from realpolitik.querying import ParamError, named, run_named
from realpolitik.querying.results import as_csv
from realpolitik.store import engine as ox
from servers import Serve as Server

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
STATES = "SELECT ?s ?label WHERE { ?s a rp:State ; rdfs:label ?label } ORDER BY ?s ?label"
INSERTED = "ASK { <urn:x:a> <urn:x:b> <urn:x:c> }"


@pytest.fixture(scope="module")
def server():
    running = Server()
    yield running
    running.stop()
    assert running.process.returncode is not None


@pytest.fixture(scope="module")
def tight():
    """A server with a 1 s time limit, answers of at most 5 rows and one query at a time."""
    running = Server(REALPOLITIK_QUERY_SECONDS="1", REALPOLITIK_SERVE_MAX_RESULTS="5",
                     REALPOLITIK_SERVE_QUERIES_AT_ONCE="1")
    yield running
    running.stop()


def one_line(body: str) -> str:
    assert body.endswith("\n") and "\n" not in body[:-1], body
    return body[:-1]


# /sparql


def test_a_get_without_a_query_is_the_service_description(server):
    status, media, body = server.get("/sparql")
    assert (status, media) == (200, "text/turtle; charset=utf-8")
    described = list(ox.parse(body.encode(), format=ox.RdfFormat.TURTLE))
    endpoint = ox.NamedNode(server.base + "sparql")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert ox.Triple(endpoint, ox.NamedNode(sd + "endpoint"), endpoint) in {ox.Triple(q.subject, q.predicate, q.object)
                                                                              for q in described}
    assert {q.object.value for q in described if q.predicate.value == sd + "supportedLanguage"} == {sd + "SPARQL11Query"}


def test_select_as_json_gives_the_rows_the_python_api_gives(server):
    status, media, body = server.sparql(STATES)
    assert (status, media) == (200, "application/sparql-results+json")
    answer = json.loads(body)
    assert answer["head"]["vars"] == ["s", "label"]
    rows = [{v: b[v]["value"] for v in b} for b in answer["results"]["bindings"]]
    assert rows == [{k: str(v) for k, v in row.items()} for row in realpolitik.sparql(STATES)]
    assert rows


@pytest.mark.parametrize("accept, fmt, media", [
    ("application/sparql-results+xml", "xml", "application/sparql-results+xml"),
    ("text/csv", "csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "tsv", "text/tab-separated-values; charset=utf-8"),
])
def test_select_in_every_results_format_by_accept_or_format(server, accept, fmt, media):
    by_accept = server.sparql(STATES, headers={"Accept": accept})
    by_format = server.sparql(STATES, format=fmt)
    assert by_accept == by_format
    status, got, body = by_accept
    assert (status, got) == (200, media)
    labels = sorted(str(row["label"]) for row in realpolitik.sparql(STATES))
    if fmt == "xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        found = [b.find(ns + "literal").text for b in ElementTree.fromstring(body).iter(ns + "binding")
                 if b.get("name") == "label"]
    elif fmt == "csv":
        lines = body.split("\r\n")
        assert lines[0] == "s,label"
        found = [line.split(",", 1)[1].strip('"') for line in lines[1:] if line]
    else:
        lines = body.splitlines()
        assert lines[0] == "?s\t?label"
        found = [line.split("\t")[1].split('"')[1] for line in lines[1:]]
    assert sorted(found) == labels


def test_post_as_a_form_and_as_a_query_body_answer_as_get(server):
    asked = server.sparql(STATES)
    form = server.get("/sparql", data=urllib.parse.urlencode({"query": STATES}).encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    body = server.get("/sparql", data=STATES.encode(), headers={"Content-Type": "application/sparql-query"})
    assert form == body == asked


def test_a_query_given_twice_or_too_long_is_refused(server):
    status, _, body = server.get("/sparql?query=ASK%7B%7D", data=STATES.encode(),
                                 headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and one_line(body) == "give the query in the body or as query=, not both"
    status, _, body = server.get("/sparql?" + urllib.parse.urlencode([("query", STATES), ("query", STATES)]))
    assert status == 400 and one_line(body) == "give query once, not 2 times"
    long = "ASK {}" + "#" * (1024 * 1024)
    status, _, body = server.get("/sparql", data=long.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and one_line(body) == "the request is longer than 1,048,576 bytes"


def test_a_post_of_another_kind_is_415(server):
    status, _, body = server.get("/sparql", data=STATES.encode(), headers={"Content-Type": "text/plain"})
    assert status == 415 and "application/sparql-query" in one_line(body)


def test_ask_answers_a_boolean(server):
    status, media, body = server.sparql("ASK { ?s a rp:State }")
    assert (status, media) == (200, "application/sparql-results+json")
    assert json.loads(body)["boolean"] is True
    status, media, body = server.sparql("ASK { ?s a rp:NoSuchClass }", format="xml")
    assert (status, media) == (200, "application/sparql-results+xml")
    assert ElementTree.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"


@pytest.mark.parametrize("accept, media, rdf_format", [
    (None, "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
])
def test_construct_and_describe_give_the_same_graph_in_every_format(server, accept, media, rdf_format):
    query = "CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s a rp:State ; rdfs:label ?label }"
    expected = {(row["s"], row["label"]) for row in realpolitik.sparql(STATES)}
    status, got, body = server.sparql(query, headers={"Accept": accept} if accept else {})
    assert (status, got) == (200, media)
    assert {(q.subject.value, q.object.value) for q in ox.parse(body.encode(), format=rdf_format)} == expected
    state = sorted(expected)[0][0]
    status, got, body = server.sparql(f"DESCRIBE <{state}>", headers={"Accept": accept} if accept else {})
    assert (status, got) == (200, media)
    assert {q.subject.value for q in ox.parse(body.encode(), format=rdf_format)} == {state}


def test_a_graph_asked_for_as_a_table_is_406_with_the_formats_offered(server):
    status, _, body = server.sparql("CONSTRUCT WHERE { ?s a rp:State }", headers={"Accept": "text/csv"})
    assert status == 406
    assert "text/turtle, application/n-triples, application/ld+json" in one_line(body)
    status, _, body = server.sparql(STATES, headers={"Accept": "text/turtle"})
    assert status == 406 and "application/sparql-results+json" in one_line(body)
    status, _, body = server.sparql(STATES, format="yaml")
    assert status == 400 and "format='yaml'" in one_line(body)


def test_a_query_that_does_not_parse_is_400_in_one_line(server):
    status, media, body = server.sparql("SELECT ?s WHERE { ?s ")
    assert (status, media) == (400, "text/plain; charset=utf-8")
    assert one_line(body).startswith("the query does not parse:")


@pytest.mark.parametrize("how", ["query", "form", "body"])
def test_updates_are_refused_with_403_and_change_nothing(server, how):
    update = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    if how == "query":
        status, _, body = server.sparql(update)
    elif how == "form":
        status, _, body = server.get("/sparql", data=urllib.parse.urlencode({"update": update}).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        status, _, body = server.get("/sparql", data=update.encode(), headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    assert one_line(body) == "updates are refused: this SPARQL endpoint is read-only"
    assert json.loads(server.sparql(INSERTED)[2])["boolean"] is False


def test_service_is_refused(server):
    status, _, body = server.sparql("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 403
    assert one_line(body) == "SERVICE is refused: queries on this endpoint do not reach the network"


def test_an_answer_over_the_size_limit_is_refused(tight):
    status, _, body = tight.sparql("SELECT ?s WHERE { ?s a rp:State }")
    assert status == 422
    assert "more than 5 rows (REALPOLITIK_SERVE_MAX_RESULTS)" in one_line(body)
    status, _, body = tight.sparql("SELECT ?s WHERE { ?s a rp:State } LIMIT 5")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5


def test_a_graph_over_the_size_limit_is_refused_too(tight):
    status, _, body = tight.sparql("CONSTRUCT WHERE { ?s a rp:State }")
    assert status == 422
    assert "more than 5 triples (REALPOLITIK_SERVE_MAX_RESULTS)" in one_line(body)


def test_a_query_over_its_time_limit_is_stopped_and_a_query_over_the_slots_waits_for_none(tight):
    answers = {}
    slow = threading.Thread(target=lambda: answers.setdefault("slow", tight.sparql(SLOW)))
    slow.start()
    deadline = time.monotonic() + 5
    while not tight.children() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert tight.children()  # the slow query runs in a child
    status, _, body = tight.get("/api/queries/transfers?recipient=Iran")
    assert status == 503
    assert tight.last_headers["Retry-After"] == "1"
    assert "REALPOLITIK_SERVE_QUERIES_AT_ONCE" in one_line(body)
    slow.join(30)
    status, _, body = answers["slow"]
    assert status == 503
    assert one_line(body) == "the query ran longer than 1 s and was stopped (REALPOLITIK_QUERY_SECONDS)"
    assert tight.children() == set()  # stopped, not left running
    assert tight.get("/api/queries/transfers?recipient=Iran")[0] == 200  # its slot is free again


# /api


def plain(row: dict) -> dict:
    """A row as JSON carries it."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()}


def example_params(query) -> dict:
    args = shlex.split(query.examples[0])[3:] if query.examples else []
    return {flag[2:]: value for flag, value in zip(args[::2], args[1::2])}


def test_the_catalog_lists_every_named_query_with_its_typed_parameters(server):
    status, media, body = server.get("/api/queries")
    assert (status, media) == (200, "application/json")
    listed = {q["name"]: q for q in json.loads(body)}
    assert set(listed) == set(named())
    for name, query in named().items():
        assert listed[name]["summary"] == query.summary
        assert [(p["name"], p["type"], p["required"]) for p in listed[name]["parameters"]] == \
               [(p.name, p.type, p.required) for p in query.params]


@pytest.mark.parametrize("name", sorted(named()))
def test_every_named_query_gives_the_rows_the_python_api_gives(server, name):
    params = example_params(named()[name])
    status, media, body = server.get(f"/api/queries/{name}?" + urllib.parse.urlencode(params))
    assert (status, media) == (200, "application/json")
    answer = json.loads(body)
    expected = [plain(row) for row in realpolitik.query(name, **params)]
    assert answer["rows"] == expected and expected
    status, media, body = server.get(f"/api/queries/{name}?" + urllib.parse.urlencode(params),
                                     headers={"Accept": "text/csv"})
    assert (status, media) == (200, "text/csv; charset=utf-8")
    assert body == as_csv(run_named(name, params))
    assert server.get(f"/api/queries/{name}?" + urllib.parse.urlencode({**params, "format": "csv"}))[2] == body


def test_transfers_with_typed_resolved_parameters(server):
    status, _, body = server.get("/api/queries/transfers?recipient=Tehran&status=declined&limit=2")
    assert status == 200
    expected = [plain(row) for row in realpolitik.query("transfers", recipient="Iran", status="declined", limit=2)]
    assert json.loads(body)["rows"] == expected and expected


def test_an_unknown_query_is_404_in_the_catalog_s_words(server):
    status, _, body = server.get("/api/queries/transfer")
    assert status == 404
    assert one_line(body) == "no named query 'transfer'; did you mean transfers?"


@pytest.mark.parametrize("params", [
    {"recipient": 'Iran"} ; DROP ALL #'},
    {"recipient": "Iran> } INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> } #"},
    {"recipient": "I" * 5000},
    {"recipient": "Iran", "colour": "red"},
    {"status": "declinedx"},
    {"year": "2016; DROP"},
])
def test_hostile_parameters_are_400_in_the_python_api_s_words_and_change_nothing(server, params):
    name = "transfers" if "year" not in params else "timeline"
    with pytest.raises(ParamError) as raised:
        realpolitik.query(name, **params)
    query = "?" + urllib.parse.urlencode(params)
    status, _, body = server.get(f"/api/queries/{name}{query}")
    assert status == 400
    assert one_line(body) == " ".join(str(raised.value).split())
    assert json.loads(server.sparql(INSERTED)[2])["boolean"] is False
    assert server.sparql("ASK { ?s a rp:State }")[0] == 200


def test_a_parameter_given_twice_or_a_bad_format_is_400(server):
    status, _, body = server.get("/api/queries/transfers?recipient=Iran&recipient=Russia")
    assert status == 400 and one_line(body) == "recipient: give it once"
    status, _, body = server.get("/api/queries/transfers?format=xml")
    assert status == 400 and one_line(body) == "format: 'xml' is not json or csv"


def test_openapi_describes_every_named_query_and_its_parameters(server):
    status, media, body = server.get("/api/openapi.json")
    assert (status, media) == (200, "application/json")
    described = json.loads(body)
    assert described["openapi"].startswith("3.")
    for name, query in named().items():
        operation = described["paths"][f"/api/queries/{name}"]["get"]
        given = {p["name"]: p for p in operation["parameters"]}
        assert set(given) == {p.name for p in query.params} | {"format", "limit"}
        assert all(given[p.name]["required"] == p.required for p in query.params)


# the process


def test_help_imports_neither_the_web_stack_nor_an_rdf_library():
    code = ("import sys\nfrom realpolitik.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('starlette', 'uvicorn', 'pyoxigraph', 'rdflib') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "serve" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_port_in_use_is_a_one_line_error(server):
    port = urllib.parse.urlsplit(server.base).port
    done = subprocess.run([sys.executable, "-m", "realpolitik", "serve", "--port", str(port)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith(f"Error: cannot listen on 127.0.0.1 port {port}:")


def test_load_and_memory(server, capsys):
    """Requests per second on a named query over loopback, 200 requests from 4 threads,
    and the server's peak memory, for the record; every answer the same."""
    path = "/api/queries/transfers?recipient=Iran&status=declined"
    expected = server.get(path)
    answers = []

    def client():
        for _ in range(50):
            answers.append(server.get(path))

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    assert len(answers) == 200 and all(answer == expected for answer in answers)
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    with capsys.disabled():
        print(f"\nserve: started in {server.started_in:.2f} s; {200 / elapsed:.0f} requests/s "
              f"(200 requests, 4 threads); peak memory {int(peak) / 1024:.0f} MiB")
