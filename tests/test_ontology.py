"""The ontology: modules, their imports, documentation of every term, consistency, and
that it can say what the brief asks of it."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from realpolitik.dataset import files, read_graph
from realpolitik.rdf.parse import parse_turtle
from realpolitik.reasoning import owl_rl_closure

RP = Namespace("https://w3id.org/realpolitik/ontology#")
RPV = Namespace("https://w3id.org/realpolitik/vocab/")
ONTOLOGY = "https://w3id.org/realpolitik/ontology"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return read_graph(files().ontology_files())


def test_catalog_maps_every_module_file():
    dataset = files()
    catalog = dataset.catalog()
    assert sorted(p.name for p in catalog.values()) == sorted(p.name for p in dataset.ontology_dir.glob("*.ttl"))
    for iri, path in catalog.items():
        graph = Graph()
        for triple in parse_turtle(path).triples:
            graph.add(triple)
        assert list(graph.subjects(RDF.type, OWL.Ontology)) == [URIRef(iri)], path.name


def test_index_imports_every_module(ontology):
    imported = {str(o) for o in ontology.objects(URIRef(ONTOLOGY), OWL.imports)}
    assert imported == {iri for iri in files().catalog() if iri != ONTOLOGY}


def test_every_term_is_labelled_defined_and_placed(ontology):
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(RP))}
    assert len(terms) > 100
    for term in terms:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.isDefinedBy) is not None, term
        if (term, RDF.type, OWL.Class) in ontology:
            assert ontology.value(term, SKOS.definition) is not None, term


def test_every_concept_is_in_exactly_one_scheme(ontology):
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 60
    for concept in concepts:
        assert len(list(ontology.objects(concept, SKOS.inScheme))) == 1, concept


def test_ontology_and_data_are_consistent(ontology):
    data = read_graph(files().data_files())
    _, errors = owl_rl_closure(ontology + data)
    assert errors == []


def test_closure_infers_through_the_ontology(ontology):
    data = read_graph(files().data_files())
    closure, _ = owl_rl_closure(ontology + data)
    summit_like = URIRef("https://w3id.org/realpolitik/id/event-meeting-masoud-pezeshkian-vladimir-putin-2025-01-17")
    assert (summit_like, RDF.type, RP.Event) in closure
    assert (summit_like, RDF.type, RP.Fact) in closure


def test_the_faster_closure_is_owlrls_own(ontology):
    # The closure keeps owlrl's blank-node list in a set-backed list (owlrl's own is
    # quadratic); what it infers must not change, blank nodes and inconsistencies included.
    from owlrl import DeductiveClosure, OWLRL_Semantics

    data = read_graph(files().data_files()[:3])
    reference = Graph()
    for triple in ontology + data:
        reference.add(triple)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(reference)
    closure, _ = owl_rl_closure(ontology + data)
    assert any(isinstance(s, BNode) for s in closure.subjects())
    assert set(closure) == set(reference)


@pytest.mark.parametrize(
    "needed",
    [
        RPV.declined, RPV.withheld, RPV.denied, RPV.reported,  # transfers that did not happen
        RPV.planned,  # agreements not yet signed
        RP.isMutualDefence,  # ... and whether one is a military alliance
        RP.heldAt, RP.formerAsOf, RP.currentAsOf, RP.endedBy,  # offices held "then"
        RP.reportedVia,  # claims at second hand
        RP.modality, RP.hedge, RP.stance, RP.claimKind,
        RP.publishedNotBefore, RP.dateBasis,  # dates inferred, not stated
        RP.replacedBy, RP.extendedOn, RP.duration,  # lifecycle
        RP.quantityOrdered, RP.quantityDelivered, RP.orderDate, RP.firstDelivery, RP.transferKind,
    ],
)
def test_the_ontology_can_say_it(ontology, needed):
    assert (needed, None, None) in ontology
