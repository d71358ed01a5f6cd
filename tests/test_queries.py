"""Named queries, ad-hoc SPARQL and the Python API, on the embedded store."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from conftest import REPO
from realpolitik.querying import CatalogError, ParamError, backend, named, run_named, run_sparql
from realpolitik.querying.catalog import checks, parse
from realpolitik.querying.results import as_tsv

GOLDEN = REPO / "tests" / "queries"
NAMES = sorted(named())


def example_params(query) -> dict:
    args = shlex.split(query.examples[0])[3:]
    return {flag[2:]: value for flag, value in zip(args[::2], args[1::2])}


# --- the catalog ----------------------------------------------------------------------


def test_the_questions_are_all_there():
    assert set(NAMES) >= {
        "transfers", "agreements", "claims", "predictions", "evidence", "disputes",
        "offices", "timeline", "relations", "search",
    }


@pytest.mark.parametrize("name", NAMES)
def test_every_query_is_documented(name):
    query = named()[name]
    assert query.summary and query.description and query.examples
    assert all(p.description for p in query.params)
    for p in query.params:
        assert f"?{p.name}" in query.text, f"{name}: --{p.name} binds no variable"


def test_a_header_that_does_not_parse_is_refused():
    with pytest.raises(CatalogError, match="unknown type"):
        parse("x", "# x: a query\n# @param who person The person.\nSELECT * WHERE {}")
    with pytest.raises(CatalogError, match="its header names it"):
        parse("x", "# y: a query\nSELECT * WHERE {}")


# --- golden results ----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_example_gives_the_golden_rows(name, request):
    query = named()[name]
    result = run_named(name, example_params(query))
    assert result.rows, f"{query.examples[0]} gives no rows"
    golden = GOLDEN / f"{name}.tsv"
    if request.config.getoption("--regen-golden"):
        golden.write_text(as_tsv(result), encoding="utf-8")
    assert as_tsv(result) == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_example_runs_from_the_command_line(cli, name):
    query = named()[name]
    args = shlex.split(query.examples[0])[1:]  # drop "realpolitik"
    run = cli(*args, "--format", "tsv")
    assert run.exit_code == 0, run.output
    assert run.stdout == (GOLDEN / f"{name}.tsv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_the_store_in_memory_gives_the_golden_rows(cli, name, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_STORE", "memory")
    opened = backend().opened  # the copy, read from the snapshot beside the store
    assert [p.name for p in opened.folder.glob("snapshot-*")] == [f"snapshot-{opened.version[:32]}.trig"]
    query = named()[name]
    args = shlex.split(query.examples[0])[1:]
    run = cli(*args, "--format", "tsv")
    assert run.exit_code == 0, run.output
    assert run.stdout == (GOLDEN / f"{name}.tsv").read_text(encoding="utf-8")


def test_an_unknown_store_kind_is_a_clean_error(cli):
    run = cli("query", "agreements", env={"REALPOLITIK_STORE": "ram"})
    assert run.exit_code != 0
    assert run.output.strip().splitlines() == ["Error: REALPOLITIK_STORE is 'ram': it must be 'disk' or 'memory'"]


# --- parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Iran", "iran", "Tehran", "Islamic Republic of Iran", "rpd:state-irn",
                                  "https://w3id.org/realpolitik/id/state-irn", "<https://w3id.org/realpolitik/id/state-irn>"])
def test_an_actor_by_label_alias_curie_or_iri(name):
    rows = run_named("transfers", {"recipient": name}).rows
    assert rows and rows == run_named("transfers", {"recipient": "Iran"}).rows


def test_a_metonym_that_is_also_a_place_names_the_actor():
    # "Moscow" is an alias of Russia and the label of a place; as an actor, it is Russia.
    assert run_named("agreements", {"actor": "Moscow"}).rows == run_named("agreements", {"actor": "Russia"}).rows


def test_unknown_name_lists_close_candidates():
    with pytest.raises(ParamError) as info:
        run_named("transfers", {"supplier": "Rusia"})
    assert str(info.value) == "supplier: no actor is called 'Rusia'; did you mean 'Russia', 'Rubio', 'Raisi'?"


def test_a_parameter_is_named_as_the_caller_names_it(cli):
    import realpolitik

    with pytest.raises(ParamError) as info:
        realpolitik.query("transfers", recipient="Narnia")
    assert str(info.value).startswith("recipient: no actor is called 'Narnia'")
    assert info.value.parameter == "recipient"
    run = cli("query", "transfers", "--recipient", "Narnia")
    assert run.exit_code == 2 and run.output.startswith("Error: --recipient: no actor is called 'Narnia'")
    run = cli("query", "agreements")
    assert run.exit_code == 2 and run.output.startswith("Error: agreements needs --actor: ")


def test_ambiguous_name_lists_the_candidates(dataset_copy):
    extra = dataset_copy / "data" / "shared" / "zz-twin.ttl"
    extra.write_text(
        "@prefix rp: <https://w3id.org/realpolitik/ontology#> .\n"
        "@prefix rpd: <https://w3id.org/realpolitik/id/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'rpd:group-tehran-residents a rp:ActorGroup ; rdfs:label "Tehran residents"@en ; skos:altLabel "Tehran"@en .\n',
        encoding="utf-8",
    )
    with pytest.raises(ParamError) as info:
        run_named("claims", {"about": "Tehran"}, on=backend(root=dataset_copy))
    assert str(info.value) == (
        "about: 'Tehran' is ambiguous: Tehran residents (rpd:group-tehran-residents), Iran (rpd:state-irn); give a CURIE"
    )


def test_a_curie_of_the_wrong_kind_is_refused():
    with pytest.raises(ParamError, match=r"^actor: rpd:place-moscow is not an actor in the dataset"):
        run_named("agreements", {"actor": "rpd:place-moscow"})


def test_concepts_by_name_or_label():
    declined = run_named("transfers", {"status": "declined"}).rows
    assert declined and declined == run_named("transfers", {"status": "Declined"}).rows
    assert run_named("transfers", {"category": "air defence systems"}).rows == run_named(
        "transfers", {"category": "air-defence-systems"}).rows


def test_year_filters_on_any_date_of_a_transfer():
    rows = run_named("transfers", {"year": "2017"}).rows
    assert {str(row[2].value) for row in rows} == {"Turkey"}
    assert run_named("transfers", {"year": "1999"}).rows == []


def test_a_parameter_is_substituted_only_where_it_is_a_variable():
    import pyoxigraph as ox

    from realpolitik.querying.params import substitute

    iran = ox.NamedNode("https://w3id.org/realpolitik/id/state-irn")
    text = (
        'SELECT ?actorName WHERE { ?x rp:party ?actor ; rp:party $actor . ?actor rdfs:label ?actorName .\n'
        '  FILTER (!BOUND(?actor) || bound( $actor ) || "?actor" != \'?actor\') # ?actor\n'
        '  ?y rp:x <http://example.org/?actor> }'
    )
    assert substitute(text, {"actor": iran}) == (
        f'SELECT ?actorName WHERE {{ ?x rp:party {iran} ; rp:party {iran} . {iran} rdfs:label ?actorName .\n'
        '  FILTER (!true || true || "?actor" != \'?actor\') # ?actor\n'
        '  ?y rp:x <http://example.org/?actor> }'
    )
    assert substitute(text, {}) == text


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_can_be_substituted(name):
    """A parameter is never projected, assigned or listed in VALUES: with every one of
    them substituted, the query still parses, and the variable is gone."""
    import pyoxigraph as ox

    from realpolitik.querying.params import NOT_CODE, XSD_INTEGER, substitute

    query = named()[name]
    terms = {
        "integer": ox.Literal("2016", datatype=XSD_INTEGER), "string": ox.Literal("Iran"),
    }
    bound = {p.name: terms.get(p.type, ox.NamedNode(f"https://example.org/{p.name}")) for p in query.params}
    text = substitute(query.text, bound)
    ox.Store().query(text)  # a projected or assigned parameter would not parse
    code = NOT_CODE.sub(" ", text)
    for p in query.params:
        assert not re.search(rf"[?$]{p.name}\b", code), f"{name}: ?{p.name} left in the query"


def test_required_and_unknown_parameters():
    with pytest.raises(ParamError, match="agreements needs actor: "):
        run_named("agreements", {})
    with pytest.raises(ParamError, match=r"transfers has no parameter country \(its parameters: supplier, "):
        run_named("transfers", {"country": "Iran"})


HOSTILE = [
    '"', "'", "{}", "} ; DROP ALL ; #", "?x } UNION { ?s ?p ?o", "<http://example.org/x> }",
    "rpd:state-irn> } DROP ALL { <x", "\\u0022", "a" * 100_000, "Тегеран", "伊朗", "🇮🇷",
    "\n} INSERT DATA { <a> <b> <c> }", "1; DROP", "-0", "99999999999999999999", "\x00",
]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_values_give_a_clean_result_or_a_clean_error(cli, name):
    query = named()[name]
    before = run_sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
    for param in query.params:
        for value in HOSTILE:
            others = {p.name: example_params(query).get(p.name) for p in query.params if p.required and p.name != param.name}
            args = ["query", name, f"--{param.name}", value] + [a for k, v in others.items() for a in (f"--{k}", v)]
            if "\x00" in value:  # a NUL cannot be an argument: check the API refuses it
                with pytest.raises(ParamError, match="NUL"):
                    run_named(name, {param.name: value, **others})
                continue
            run = cli(*args, "--format", "json")
            assert run.exit_code in (0, 2), (param.name, value, run.output)
            assert "Traceback" not in run.output
            if run.exit_code == 0:
                assert "results" in json.loads(run.stdout)
            else:
                assert run.stdout == "" and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert run_sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == before


# --- ad-hoc SPARQL -----------------------------------------------------------------------------


def test_sparql_declares_the_project_prefixes(cli):
    run = cli("sparql", "SELECT ?state WHERE { ?state a rp:State ; rp:isoCode \"IRN\" }", "--format", "csv")
    assert run.exit_code == 0
    assert run.stdout.splitlines() == ["state", "https://w3id.org/realpolitik/id/state-irn"]


def test_sparql_from_a_file_and_from_standard_input(cli, tmp_path):
    text = 'SELECT ?code WHERE { ?s rp:isoCode ?code } ORDER BY ?code LIMIT 2'
    (tmp_path / "q.rq").write_text(text, encoding="utf-8")
    from_file = cli("sparql", "--file", tmp_path / "q.rq", "--format", "tsv")
    runner_stdin = __import__("click.testing").testing.CliRunner()
    from realpolitik.cli import main

    from_stdin = runner_stdin.invoke(main, ["sparql", "--format", "tsv"], input=text)
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.stdout == from_stdin.stdout == '?code\n"ARM"\n"BLR"\n'


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://e/>\nDROP ALL",
        "# a comment\nCLEAR DEFAULT",
        "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/x.ttl>",
    ],
)
def test_updates_are_refused(cli, update):
    run = cli("sparql", update)
    assert run.exit_code == 2
    assert run.stderr.strip() == "Error: updates are refused: realpolitik queries are read-only"


def test_a_broken_query_is_a_clean_error(cli):
    run = cli("sparql", "SELECT ?x WHERE { ?x ")
    assert run.exit_code == 2
    assert run.stderr.startswith("Error: the query does not parse:")
    assert len(run.stderr.strip().splitlines()) == 1


def test_rows_without_order_come_sorted_and_limit_cuts(cli):
    text = "SELECT ?code WHERE { ?s rp:isoCode ?code }"
    codes = cli("sparql", text, "--format", "csv").stdout.splitlines()[1:]
    assert codes == sorted(codes) and len(codes) > 20
    assert cli("sparql", text, "--format", "csv", "--limit", "3").stdout.splitlines()[1:] == codes[:3]


def test_every_output_format(cli):
    args = ["query", "offices", "--holder", "Hossein Dehghan"]
    as_json = json.loads(cli(*args, "--format", "json").stdout)
    assert as_json["head"]["vars"][:3] == ["holding", "holderName", "officeName"]
    [binding] = as_json["results"]["bindings"]
    assert binding["heldAt"] == {"type": "literal", "value": "2016"}
    assert binding["holding"]["type"] == "uri"
    table = cli(*args).stdout.splitlines()
    assert table[0].split()[:3] == ["holding", "holderName", "officeName"] and table[-1] == "(1 row)"
    md = cli(*args, "--format", "md").stdout.splitlines()
    assert md[0].startswith("| holding | holderName |") and md[1].startswith("|---|")
    tsv = cli(*args, "--format", "tsv").stdout.splitlines()
    assert tsv[0].startswith("?holding\t?holderName") and '"Hossein Dehghan"@en' in tsv[1]
    csv_ = cli(*args, "--format", "csv").stdout.splitlines()
    assert csv_[0].startswith("holding,holderName") and "Hossein Dehghan" in csv_[1]


def test_list_and_help_document_every_query(cli):
    listed = cli("query", "--list").stdout
    helped = cli("query", "--help").stdout
    for name, query in named().items():
        assert f"{name:<12} {query.summary}" in listed
        assert name in helped
        assert query.examples[0] in cli("query", name, "--help").stdout
    explained = cli("query", "transfers", "--explain").stdout
    assert "--recipient (actor): The recipient, likewise." in explained
    assert "SELECT ?transfer" in explained


# --- the Python API ----------------------------------------------------------------------------------


def test_a_tie_no_claim_backs_has_no_claim_and_no_stance(dataset_copy):
    # The stance is read where the claim is found: a tie without a claim must not be
    # paired with every claim's stance.
    (dataset_copy / "data" / "shared" / "zz-pact.ttl").write_text(
        "@prefix rp: <https://w3id.org/realpolitik/ontology#> .\n"
        "@prefix rpd: <https://w3id.org/realpolitik/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'rpd:agreement-test-pact a rp:Agreement ; rdfs:label "Test pact"@en ; rp:party rpd:state-irn , rpd:state-arm .\n',
        encoding="utf-8",
    )
    result = run_named("ties", {"actor": "Iran"}, on=backend(root=dataset_copy))
    rows = [dict(zip(result.variables, row)) for row in result.rows]
    pact = [r for r in rows if r["via"] is not None and r["via"].value.endswith("agreement-test-pact")]
    assert sorted(r["a"].value.rsplit("/", 1)[1] for r in pact) == ["state-arm", "state-irn"]
    assert all(r["claim"] is None and r["stanceName"] is None for r in pact)


def test_python_query_and_sparql():
    import realpolitik

    rows = realpolitik.query("transfers", recipient="Iran", status="declined")
    assert rows and all(row["quote"] and row["sourceName"] and row["claimantName"] for row in rows)
    # Each transfer some claim says was declined, with every claim on it, whatever they assert.
    assert "declined" in {row["claimedStatusName"] for row in rows}
    declined = realpolitik.sparql(
        "SELECT DISTINCT ?t WHERE { ?t rp:recipient rpd:state-irn . ?c rp:supports ?t ; rp:claimedStatus rpv:declined }")
    assert {row["transfer"] for row in rows} == {row["t"] for row in declined}
    states = realpolitik.sparql("SELECT ?code WHERE { ?s rp:isoCode ?code } ORDER BY ?code", limit=2)
    assert states == [{"code": "ARM"}, {"code": "BLR"}]
    counted = realpolitik.sparql("SELECT (COUNT(?c) AS ?n) WHERE { ?c a rp:Claim }")
    from rdflib import RDF, URIRef

    claims = set(realpolitik.load().subjects(RDF.type, URIRef("https://w3id.org/realpolitik/ontology#Claim")))
    assert counted == [{"n": len(claims)}] and claims


# --- QC queries ---------------------------------------------------------------------------------------


def test_qc_queries_find_what_they_name(cli, write):
    from conftest import BASE_EXAMPLE

    bad = write(
        "qc.ttl",
        'rpd:test-orphan a rp:Person ; rdfs:label "Nobody"@en .\n'
        'rpd:test-twin a rp:Person ; rdfs:label "person a"@en .\n'
        'rpd:test-unread a rp:Article ; rdfs:label "Unread"@en ; rp:title "Unread" ;\n'
        '    rp:textFile "texts/russia-quiet-on-saving-iran.txt" ;\n'
        '    rp:textSha256 "de2852335802b41891ee4ead6a31f26a6e1bb94cb66160527f7c674622990052" .\n',
    )
    run = cli("validate", "--standalone", BASE_EXAMPLE, bad, "--format", "json")
    assert run.exit_code == 1
    found = sorted((f["focus"], f["message"]) for f in run.json()["findings"] if f["check"] == "qc")
    assert found == sorted([
        ("rpd:test-orphan", "is described, but nothing refers to it (orphan-entity-violation)"),
        ("rpd:test-person-a", 'has the same label as <https://w3id.org/realpolitik/id/test-twin>: "Person A" (duplicate-label-violation)'),
        ("rpd:test-twin", "is described, but nothing refers to it (orphan-entity-violation)"),
        ("rpd:test-twin", 'has the same label as <https://w3id.org/realpolitik/id/test-person-a>: "person a" (duplicate-label-violation)'),
        ("rpd:test-unread", "has a text in the dataset, but no claim's evidence is read from it (source-without-claims-violation)"),
    ])
    assert set(checks()) == {"orphan-entity-violation", "duplicate-label-violation", "source-without-claims-violation"}
