"""Hostile and broken input: every case gets its exit code and a clear message, and no
case prints a traceback or changes a file, in the dataset or among its own inputs."""

from __future__ import annotations

import re

import pytest

from conftest import BASE_EXAMPLE, PREFIXES, digest, protected_digest
from realpolitik.paths import dataset_root

P = PREFIXES.encode()
# A size limit the package's own files stay under, so that only the hostile file meets it.
LIMIT = max(p.stat().st_size for part in ("ontology", "shapes") for p in (dataset_root() / part).glob("*.ttl")) + 1000


def claim(quote: str, source: str = "rpd:source-russia-quiet-on-saving-iran") -> bytes:
    return P + f"""
rpd:claim-x a rp:Claim ;
    rp:claimant {source} ;
    rp:claimKind rpv:report ; rp:stance rpv:affirms ; rp:modality rpv:certain ;
    rp:statement "x"@en ;
    rp:about rpd:state-rus ;
    rp:evidence [ a oa:SpecificResource ; oa:hasSource {source} ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{quote}" ] ] .
""".encode()


def deep(n: int, open_: str, close: str) -> bytes:
    return b"@prefix ex: <http://example.org/> .\nex:a ex:p " + (open_ * n).encode() + b"ex:b" + (close * n).encode() + b" .\n"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://e/a">
<rdf:value>&lol3;</rdf:value></rdf:Description></rdf:RDF>
"""

V = ["validate", "--standalone", "--skip", "qc", str(BASE_EXAMPLE)]  # small inputs, checked alone
VD = ["validate"]  # checked on top of the shipped dataset

# id, input files, arguments ({name} is replaced by the file's path), environment, exit code, message
CASES = [
    ("truncated file", {"a.ttl": P + b'rpd:x rdfs:label "cut off'}, V + ["{a.ttl}"], {}, 2, "a.ttl:7:"),
    ("truncated statement", {"a.ttl": P + b"rpd:x rdfs:label rpd:y"}, V + ["{a.ttl}"], {}, 2, "Unexpected end"),
    ("IRI with a space", {"a.ttl": P + b"rpd:x rdfs:seeAlso <http://e/a b> ."}, V + ["{a.ttl}"], {}, 2, "Invalid IRI code point ' '"),
    ("IRI with a brace", {"a.ttl": P + b"rpd:x rdfs:seeAlso <http://e/a{b}> ."}, V + ["{a.ttl}"], {}, 2, "Invalid IRI code point '{'"),
    ("IRI with a quote", {"a.ttl": P + b'rpd:x rdfs:seeAlso <http://e/a"b> .'}, V + ["{a.ttl}"], {}, 2, "a.ttl:7:"),
    ("relative IRI", {"a.ttl": P + b"rpd:x rdfs:seeAlso <relative> ."}, V + ["{a.ttl}"], {}, 2, "a.ttl:7:"),
    ("ill-typed integer", {"a.ttl": P + b'rpd:x rp:quantityOrdered "abc"^^xsd:integer .'}, V + ["{a.ttl}"], {}, 2, '"abc" is not a valid xsd:integer'),
    ("ill-typed date", {"a.ttl": P + b'rpd:x rp:date "2024-13-45"^^xsd:date .'}, V + ["{a.ttl}"], {}, 2, '"2024-13-45" is not a valid xsd:date'),
    ("30 February", {"a.ttl": P + b'rpd:x rp:date "2024-02-30"^^xsd:date .'}, V + ["{a.ttl}"], {}, 2, "month 2 has no day 30"),
    ("ill-typed boolean", {"a.ttl": P + b'rpd:x rp:isMutualDefence "yes"^^xsd:boolean .'}, V + ["{a.ttl}"], {}, 2, "not a valid xsd:boolean"),
    ("a literal past the parser's buffer", {"a.ttl": P + b'rpd:x rdfs:label "' + b"a" * 20_000_000 + b'" .'},
     V + ["{a.ttl}"], {}, 2, "a.ttl: error: [syntax] a literal or IRI longer than the parser's 16 MiB buffer"),
    ("two-digit year", {"a.ttl": P + b'rpd:x rp:date "24"^^xsd:gYear .'}, V + ["{a.ttl}"], {}, 2, "not a valid xsd:gYear"),
    ("language subtag over eight letters", {"a.ttl": P + b'rpd:x rdfs:label "x"@en-abcdefghij .'}, V + ["{a.ttl}"], {}, 2,
     "a.ttl:7:22: error: [syntax] A subtag may be eight characters in length at maximum"),
    ("language tag with an underscore", {"a.ttl": P + b'rpd:x rdfs:label "x"@en_GB .'}, V + ["{a.ttl}"], {}, 2, "a.ttl:7:"),
    ("language tag with a digit", {"a.ttl": P + b'rpd:x rdfs:label "x"@e1 .'}, V + ["{a.ttl}"], {}, 2, "The given language subtag is invalid"),
    ("unknown prefix", {"a.ttl": P + b"rpd:x rdfs:label nope:y ."}, V + ["{a.ttl}"], {}, 2, "The prefix nope: has not been declared"),
    ("Latin-1 bytes", {"a.ttl": P + 'rpd:x rdfs:label "Tehr\xe2n" .'.encode("latin-1")}, V + ["{a.ttl}"], {}, 2, "not UTF-8"),
    ("UTF-16 with its byte-order mark", {"a.ttl": ("\ufeff" + PREFIXES).encode("utf-16")}, V + ["{a.ttl}"], {}, 2, "not UTF-8"),
    ("UTF-8 byte-order mark", {"a.ttl": b"\xef\xbb\xbf" + BASE_EXAMPLE.read_bytes()}, ["validate", "--standalone", "--skip", "qc", "{a.ttl}"], {}, 0, "conforms"),
    ("NUL byte", {"a.ttl": P + b'rpd:x rdfs:label "a\x00b" .'}, V + ["{a.ttl}"], {}, 2, "a.ttl:7:"),
    ("binary garbage", {"a.ttl": bytes(range(256)) * 4}, V + ["{a.ttl}"], {}, 2, "a.ttl:"),
    ("enormous literal", {"a.ttl": P + b'rpd:x rdfs:comment "' + b"a" * 5000 + b'" .'}, V + ["{a.ttl}"],
     {"REALPOLITIK_MAX_LITERAL_CHARS": "1000"}, 2, "a literal of 5,000 characters, more than the limit of 1,000"),
    ("file over the size limit", {"a.ttl": P + b"# " + b"x" * LIMIT + b"\n"}, V + ["{a.ttl}"],
     {"REALPOLITIK_MAX_FILE_BYTES": str(LIMIT)}, 2, f"more than the limit of {LIMIT:,} (REALPOLITIK_MAX_FILE_BYTES)"),
    ("blank nodes nested 5,000 deep", {"a.ttl": deep(5000, "[ ex:p ", " ]")}, V + ["{a.ttl}"], {}, 0, "conforms"),
    ("lists nested 5,000 deep", {"a.ttl": deep(5000, "( ", " )")}, V + ["{a.ttl}"], {}, 0, "conforms"),
    ("empty file", {"a.ttl": b""}, V + ["{a.ttl}"], {}, 0, "conforms"),
    ("missing file", {}, V + ["{missing.ttl}"], {}, 2, "missing.ttl: error: [syntax] no such file"),
    ("a directory given as a file", {"d/a.txt": b"x"}, V + ["{d}"], {}, 2, "d: error: [syntax] a folder with no .ttl file in it"),
    ("JSON-LD with a remote @context", {"a.jsonld": b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://e/a"}'},
     V + ["{a.jsonld}"], {}, 2, "a.jsonld: error: [syntax] a .jsonld file: contributions are Turtle (.ttl)"),
    ("RDF/XML with entity expansion", {"a.rdf": BILLION_LAUGHS}, V + ["{a.rdf}"], {}, 2, "a.rdf: error: [syntax] a .rdf file: contributions are Turtle (.ttl)"),
    ("RDF/XML entities in a .ttl file", {"a.ttl": BILLION_LAUGHS}, V + ["{a.ttl}"], {}, 2, "a.ttl:1:1: error: [syntax]"),
    ("duplicate blank-node labels across files",
     {"a.ttl": P + b"_:c a rp:Claim .", "b.ttl": P + b"_:c a rp:Claim ."}, V + ["{a.ttl}", "{b.ttl}"], {}, 1, "b.ttl:7:1: violation: [shacl] _:c rp:claimant"),
    ("an IRI that collides with a shared entity", {"a.ttl": P + b'rpd:state-irn a rp:State ; rdfs:label "Iran"@en ; rp:isoCode "IRN" .'},
     VD + ["{a.ttl}"], {}, 1, "rpd:state-irn is already described in data/shared/states.ttl"),
    ("the same IRI as another class", {"a.ttl": P + b'rpd:state-irn a rp:Person ; rdfs:label "Iran"@en .'},
     VD + ["{a.ttl}"], {}, 1, "OWL inconsistency: Disjoint classes"),
    ("a quote from a different source", {"a.ttl": claim("Members of Congress on Thursday warned")},
     VD + ["{a.ttl}"], {}, 1, "(it occurs in rpd:source-us-house-members-ask-marco)"),
    ("a quote in no source", {"a.ttl": claim("Russia has promised to defend Iran")}, VD + ["{a.ttl}"], {}, 1,
     'quote "Russia has promised to defend Iran" does not occur'),
    ("a text file outside data/", {"a.ttl": P + b'rpd:source-x a rp:Article ; rdfs:label "x"@en ; rp:title "x" ; rp:textFile "../../../etc/passwd" ; rp:textSha256 "' + b"0" * 64 + b'" .'},
     V + ["{a.ttl}"], {}, 1, 'points outside data/'),
    ("a text file that is not there", {"a.ttl": P + b'rpd:source-x a rp:Article ; rdfs:label "x"@en ; rp:title "x" ; rp:textFile "texts/none.txt" ; rp:textSha256 "' + b"0" * 64 + b'" .'},
     V + ["{a.ttl}"], {}, 1, "no such file under data/"),
    ("an e-mail address", {"a.ttl": P + b'rpd:state-irn rdfs:comment "write to mertie.weissnat@gmail.com" .'}, VD + ["{a.ttl}"], {}, 1, "holds an e-mail address"),
    ("a phone number", {"a.ttl": P + b'rpd:state-irn rdfs:comment "call 414-666-5875" .'}, VD + ["{a.ttl}"], {}, 1, "holds a phone number"),
    ("a social-media handle", {"a.ttl": P + b'rpd:state-irn rdfs:comment "instagram.com/leonora_anderson" .'}, VD + ["{a.ttl}"], {}, 1, "holds a social-media account"),
    ("a misspelt ontology term", {"a.ttl": P + b"rpd:state-irn rp:suplier rpd:state-rus ."}, VD + ["{a.ttl}"], {}, 1, "did you mean rp:supplier?"),
    ("an IRI never described", {"a.ttl": P + b"rpd:state-irn rdfs:seeAlso rpd:state-xyz ."}, VD + ["{a.ttl}"], {}, 1, "rpd:state-xyz is used but never described"),
    ("a remote owl:imports", {"a.ttl": P + b"@prefix owl: <http://www.w3.org/2002/07/owl#> .\nrpd:x owl:imports <http://127.0.0.1:9/remote.ttl> ."},
     V + ["{a.ttl}"], {}, 1, "is not followed: data files do not import, and nothing is fetched"),
    ("SERVICE to a local address", {}, ["sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"], {}, 2, "SERVICE is refused"),
    ("SERVICE in lower case after a comment", {}, ["sparql", "# a comment\nSELECT * WHERE { service <http://localhost/s> { ?s ?p ?o } }"], {}, 2, "SERVICE is refused"),
    ("SERVICE hidden in a string, an IRI and a variable", {}, ["sparql", 'SELECT ?service WHERE { ?service rp:isoCode ?c FILTER (?c = "IRN" || ?c = "SERVICE <x>" || ?service = <http://e/SERVICE>) }'],
     {}, 0, "(1 row)"),
    ("an update", {}, ["sparql", "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"], {}, 2, "updates are refused"),
    ("an update behind a prefix", {}, ["sparql", "PREFIX e: <http://e/>\nDROP ALL"], {}, 2, "updates are refused"),
    ("a runaway query", {}, ["sparql", "--timeout", "1", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"], {}, 2, "ran longer than 1 s"),
    ("a runaway query under the environment's limit", {}, ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"],
     {"REALPOLITIK_QUERY_SECONDS": "1"}, 2, "ran longer than 1 s"),
    ("a query that does not parse", {}, ["sparql", "SELECT ?x WHERE { ?x"], {}, 2, "the query does not parse"),
    ("injected SPARQL in an actor", {}, ["query", "transfers", "--recipient", "} ; DROP ALL ; #"], {}, 2, "no actor is called '} ; DROP ALL ; #'"),
    ("injected SPARQL in a concept", {}, ["query", "transfers", "--status", "declined } UNION { ?s ?p ?o"], {}, 2, "is not one of transfer-statuses"),
    ("injected SPARQL in a year", {}, ["query", "transfers", "--year", "2017) || true || (1"], {}, 2, "is not a whole number"),
    ("injected SPARQL in an IRI", {}, ["query", "evidence", "--fact", "<http://e/a> } ; DROP ALL ; { <x>"], {}, 2, "--fact: 'http://e/a> } ; DROP ALL ; { <x' is not a valid IRI"),
    ("an enormous parameter", {}, ["query", "search", "--text", "x" * 10_000], {}, 2, "longer than 500 characters"),
    ("a place given as an actor", {}, ["query", "agreements", "--actor", "rpd:place-moscow"], {}, 2, "rpd:place-moscow is not an actor in the dataset"),
    ("credentials in an endpoint URL", {}, ["query", "transfers", "--endpoint", "http://u:secret@127.0.0.1:9/query"], {}, 2, "http://127.0.0.1:9/query: put credentials in REALPOLITIK_ENDPOINT_USER"),
    ("loading to a closed port", {}, ["load", "--endpoint", "http://127.0.0.1:9/store", "--retries", "1"], {}, 2, "nothing loaded"),
    ("a release folder that is not one", {"d/x.txt": b"x"}, ["build", "--check", "{d}"], {}, 2, "no release description here"),
    ("a quote not in its text", {"t.txt": b"Some text.\n"}, ["text", "quote", "{t.txt}", "Other words"], {}, 2, "the quote does not occur in this text"),
]


@pytest.mark.parametrize("name, inputs, args, env, code, message", CASES, ids=[c[0] for c in CASES])
def test_hostile_input(cli, tmp_path, dataset_before, name, inputs, args, env, code, message):
    for relative, content in inputs.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    before = digest(tmp_path)
    resolved = [re.sub(r"\{([^{}]+)\}", lambda m: str(tmp_path / m.group(1)), a) if a.startswith("{") else a for a in args]
    run = cli(*resolved, env=env)
    assert run.exit_code == code, run.output
    assert message in run.output, run.output
    assert "Traceback" not in run.output
    assert digest(tmp_path) == before
    assert protected_digest() == dataset_before


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


# --- guards that read the parsed query (regressions) ------------------------------------------


@pytest.fixture
def listener():
    """A server on 127.0.0.1 that counts the requests it gets: none may arrive."""
    import http.server
    import threading

    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's names)
            seen.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("hidden", ["ex:p\\#", "ex:a\\'"])
def test_service_hidden_behind_an_escaped_name_is_refused(cli, listener, hidden):
    url, seen = listener
    run = cli("sparql", f"PREFIX ex: <http://e/> SELECT * WHERE {{ OPTIONAL {{ ?s {hidden} ?o }} SERVICE <{url}/x> {{ ?s ?p ?o }} }}")
    assert run.exit_code == 2 and seen == []
    assert run.stderr.strip() == "Error: SERVICE is refused: a query does not reach the network unless you pass --allow-network"


def test_an_update_after_a_commented_prefix_is_refused_before_the_endpoint_hears_of_it(cli, listener, tmp_path):
    url, seen = listener
    update = tmp_path / "u.rq"
    update.write_text("PREFIX e: <http://e/> # c\nINSERT DATA { <http://a> <http://b> <http://c> }\n", encoding="utf-8")
    run = cli("sparql", "--endpoint", url + "/sparql", "--file", update)
    assert run.exit_code == 2 and seen == []
    assert run.stderr.strip() == "Error: updates are refused: realpolitik queries are read-only"


def test_the_word_service_where_it_is_not_a_clause_is_allowed(cli):
    run = cli("sparql", 'SELECT ?service WHERE { ?service rdfs:label "service" }', "--format", "tsv")
    assert run.exit_code == 0 and run.stdout == "?service\n"


@pytest.mark.parametrize("command", [["query", "transfers"], ["export", "--format", "nt"]])
def test_a_literal_past_the_parsers_buffer_in_the_dataset_is_one_line_for_the_store(cli, dataset_copy, command):
    (dataset_copy / "data" / "shared" / "big.ttl").write_bytes(P + b'rpd:x rdfs:label "' + b"a" * 20_000_000 + b'" .\n')
    run = cli("--root", dataset_copy, *command)
    assert run.exit_code == 2
    assert run.output.strip().splitlines() == [
        "Error: data/shared/big.ttl: a literal or IRI longer than the parser's 16 MiB buffer, far past the longest literal"
        " accepted (REALPOLITIK_MAX_LITERAL_CHARS)"  # the one reader's words, as validate says them
    ]
