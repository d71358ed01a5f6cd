"""IRIs follow the written rule (docs/iris.md), checked over the shipped data."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import RDF

from realpolitik.dataset import files, read_graph
from realpolitik.iris import claim_iri, slug, source_key

RP = Namespace("https://w3id.org/realpolitik/ontology#")
RPD = "https://w3id.org/realpolitik/id/"
OA = Namespace("http://www.w3.org/ns/oa#")


def test_slug():
    assert slug("Shahid Nojeh Air Base") == "shahid-nojeh-air-base"
    assert slug("“Russia may serve as a mediator,”") == "russia-may-serve-as-a-mediator"
    assert slug("Iran’s closest partners") == "irans-closest-partners"
    assert slug("Türkiye") == "turkiye"


def test_source_key_and_claim_iri():
    assert source_key("Russia quiet on saving Iran as Trump weighs attacking Tehran") == "russia-quiet-on-saving-iran"
    assert claim_iri("russia-quiet-on-saving-iran", "“Russia may serve as a mediator because we") == (
        RPD + "claim-russia-quiet-on-saving-iran-russia-may-serve-as-a-mediator"
    )


def test_shipped_iris_follow_the_rule():
    data = read_graph(files().data_files())
    for source, text_file in data.subject_objects(RP.textFile):
        key = Path(str(text_file)).stem
        assert str(source) == f"{RPD}source-{key}"
        assert key == source_key(str(data.value(source, RP.title)))
    claims = set(data.subjects(RDF.type, RP.Claim))
    for claim in claims:
        evidence = data.value(claim, RP.evidence)
        key = Path(str(data.value(data.value(evidence, OA.hasSource), RP.textFile))).stem
        exact = str(data.value(data.value(evidence, OA.hasSelector), OA.exact))
        expected = claim_iri(key, exact)
        # Two claims whose quotes start alike: the later one gets -2, -3.
        suffixed = re.fullmatch(re.escape(expected) + r"-[2-9]", str(claim)) and URIRef(expected) in claims
        assert str(claim) == expected or suffixed, claim
    for state in data.subjects(RDF.type, RP.State):
        assert str(state) == f"{RPD}state-{str(data.value(state, RP.isoCode)).lower()}"
    prefixes = {"Person": "person-", "Office": "office-", "Place": "place-", "OfficeHolding": "holding-",
                "Agreement": "agreement-", "WeaponsTransfer": "transfer-", "ActorGroup": "group-"}
    for cls, prefix in prefixes.items():
        for node in data.subjects(RDF.type, RP[cls]):
            assert str(node).startswith(RPD + prefix), node
