"""The shipped data, file by file, and what article 004 holds."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from conftest import REPO
from realpolitik.dataset import files, read_graph
from realpolitik.iris import claim_iri
from realpolitik.rdf.parse import parse_turtle
from realpolitik.text.quotes import find

RP = Namespace("https://w3id.org/realpolitik/ontology#")
RPD = Namespace("https://w3id.org/realpolitik/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
DATA_FILES = files().data_files()


@pytest.fixture(scope="module")
def data() -> Graph:
    return read_graph(DATA_FILES)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(files().data_dir)))
def test_data_file_parses_strictly(path):
    assert parse_turtle(path).triples


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(files().data_dir)))
def test_data_file_is_shipped_as_in_the_repository(path):
    assert path.read_bytes() == (REPO / "data" / path.relative_to(files().data_dir)).read_bytes()


def test_dataset_has_no_findings_at_all():
    import realpolitik

    report = realpolitik.validate()
    assert [f.as_dict() for f in report.findings] == []


def corpus_sources() -> list[str]:
    """The source keys the corpus recipes produce texts for."""
    import tomllib

    recipes = tomllib.loads((REPO / "corpus" / "recipes.toml").read_text(encoding="utf-8"))
    return sorted({article["output"].removesuffix(".txt") for article in recipes["article"]})


def test_every_source_of_the_corpus_is_in(data):
    keys = {str(s)[len(str(RPD)) + len("source-"):] for s in data.subjects(RP.textFile, None)}
    assert keys == set(corpus_sources())


@pytest.mark.parametrize("key", corpus_sources())
def test_every_claim_of_a_source_states_one_proposition(data, key):
    """Each claim read from the source backs one fact or codes one relation, and every
    fact it backs is a fact of the ontology."""
    source = RPD[f"source-{key}"]
    claims = {claim for claim, evidence in data.subject_objects(RP.evidence) if data.value(evidence, OA.hasSource) == source}
    assert claims
    for claim in claims:
        facts, relations = set(data.objects(claim, RP.supports)), set(data.objects(claim, RP.relation))
        assert len(facts) + len(relations) == 1, claim
        if relations:
            assert data.value(claim, RP.subject) is not None and data.value(claim, RP.object) is not None, claim


def test_contested_deliveries_are_one_transfer_with_claims_on_both_sides(data, cli):
    """Russian fighter aircraft for Iran: provided per diplomats via RAND, declined per the
    explainer, not delivered per the BESA analysis (only trainers): one transfer, each
    source's value on its claim, the transfer's own status derived: disputed."""
    fighters = RPD["transfer-rus-irn-advanced-fighter-aircraft"]
    assert data.value(fighters, RP.transferStatus) == URIRef("https://w3id.org/realpolitik/vocab/disputed")
    said = {(str(data.value(c, RP.stance)).rsplit("/", 1)[1], str(data.value(c, RP.claimedStatus) or "").rsplit("/", 1)[-1])
            for c in data.subjects(RP.supports, fighters)}
    assert {("affirms", "delivered"), ("affirms", "declined"), ("denies", "")} <= said
    # The old node of the explainer's "advanced fighter jets" is kept as a trace.
    assert str(RPD["transfer-rus-irn-advanced-fighter-jets"]) in {str(v) for v in data.objects(fighters, RP.mergedFrom)}
    grounds = {d["basis"] for d in cli("disputes", "--format", "json").json() if d["fact"] == "rpd:transfer-rus-irn-advanced-fighter-aircraft"}
    assert {"incompatible values", "opposite stances"} <= grounds


def test_every_source_is_covered(cli):
    run = cli("coverage", "--min", "90", "--format", "json")
    assert run.exit_code == 0
    assert all(row["coverage"] >= 0.9 for row in run.json())


def test_disputes_list_the_aircraft_dispute_with_both_quotes(cli):
    found = cli("disputes", "--format", "json").json()
    pair = next(
        d for d in found
        if {d["a"]["claim"], d["b"]["claim"]} == {
            "rpd:claim-russia-quiet-on-saving-iran-this-includes-the-provision-of-advanced",
            "rpd:claim-will-russia-support-iran-unpacking-for-example-russia-declined-to-give-2",
        }
    )
    assert (pair["basis"], pair["kind"], pair["fact"]) == (
        "incompatible values", "structural", "rpd:transfer-rus-irn-advanced-fighter-aircraft")
    quotes = {pair["a"]["quote"], pair["b"]["quote"]}
    assert any(q.startswith("This includes the provision of advanced fighter aircraft") for q in quotes)
    assert any("Russia declined to give Iran the support it would have needed" in q for q in quotes)
    assert {pair["a"]["claimant"], pair["b"]["claimant"]} == {
        "senior British diplomats", "unnamed news sources quoted by the explainer"}


def test_second_hand_claim_keeps_its_chain(data):
    """"A RAND report quoting senior British diplomats": the diplomats are the claimant,
    the RAND report the link, the article the source of the quote."""
    claim = URIRef(claim_iri("russia-quiet-on-saving-iran", "This includes the provision of advanced fighter"))
    assert data.value(claim, RP.claimant) == RPD["group-senior-british-diplomats"]
    chain = data.value(claim, RP.reportedVia)
    assert data.value(chain, RDF.first) == RPD["source-rand-corporation-report-on-russia-iran"]
    assert data.value(chain, RDF.rest) == RDF.nil
    evidence = data.value(claim, RP.evidence)
    assert data.value(evidence, OA.hasSource) == RPD["source-russia-quiet-on-saving-iran"]


def test_then_office_is_former_as_of_the_source(data):
    holding = RPD["holding-hossein-dehghan-minister-of-defence-of-iran"]
    assert str(data.value(holding, RP.heldAt)) == "2016"
    assert data.value(holding, RP.formerAsOf) == RPD["source-russia-quiet-on-saving-iran"]


def test_hedges_are_the_texts_own_words(data):
    for claim, hedge in data.subject_objects(RP.hedge):
        quote = data.value(data.value(data.value(claim, RP.evidence), OA.hasSelector), OA.exact)
        assert str(hedge).lower() in str(quote).lower()


def test_publication_date_is_inferred_not_stated(data):
    source = RPD["source-russia-quiet-on-saving-iran"]
    assert data.value(source, RP.datePublished) is None
    assert str(data.value(source, RP.publishedNotBefore)) == "2025-06"
    assert "Inferred, not stated" in str(data.value(source, RP.dateBasis))


def test_every_quote_occurs_once_in_its_source(data):
    dataset = files()
    for evidence in data.objects(None, RP.evidence):
        source = data.value(evidence, OA.hasSource)
        selector = data.value(evidence, OA.hasSelector)
        text = dataset.text_path(str(data.value(source, RP.textFile))).read_text(encoding="utf-8")
        found = find(text, str(data.value(selector, OA.exact)), data.value(selector, OA.prefix), data.value(selector, OA.suffix))
        assert len(found) == 1, data.value(selector, OA.exact)


PERSONAL = re.compile(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}"  # e-mail addresses
    r"|\b\d{3}-\d{3}-\d{4}\b"  # phone numbers
    r"|instagram\.com|twitter\.com/|linkedin|Detail Author|Birthdate|Username"
)


@pytest.mark.parametrize(
    "path", sorted((REPO / "data").rglob("*.*")), ids=lambda p: str(p.relative_to(REPO / "data"))
)
def test_no_personal_data_or_page_chrome(path):
    text = path.read_text(encoding="utf-8")
    assert not PERSONAL.search(text)
    assert "Share this article" not in text and "See also " not in text


def test_load_gives_data_with_or_without_the_ontology():
    import realpolitik

    everything = realpolitik.load()
    data_only = realpolitik.load(ontology=False)
    assert (RPD["state-irn"], RDF.type, RP.State) in data_only
    assert (RP.State, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in everything
    assert (RP.State, None, None) not in data_only
    assert len(everything) > len(data_only)
