"""The fast OWL RL engine gives owlrl's closure and owlrl's inconsistencies, or hands
over to owlrl where it could not."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from realpolitik.dataset import files, read_graph
from realpolitik.reasoning import reason, reference
from realpolitik.synthetic import generate

RPD = "https://w3id.org/realpolitik/id/"
RP = "https://w3id.org/realpolitik/ontology#"


@pytest.fixture(scope="module")
def ontology():
    return read_graph(files().ontology_files())


def both(ontology, data):
    fast, slow = reason(ontology, data), reference(ontology, data)
    return fast, slow


def test_equal_on_the_shipped_data(ontology):
    fast, slow = both(ontology, read_graph(files().data_files()))
    assert fast.engine == "reasonable"
    assert set(fast.inferred) == set(slow.inferred)
    assert len(fast.inferred) > 3000
    assert fast.messages == slow.messages == []


def test_equal_on_a_synthetic_register_with_every_defect(tmp_path, ontology):
    register = generate(tmp_path / "register", sources=3, defects=13)
    data = read_graph(files(register.root).data_files())
    fast, slow = both(ontology, data)
    assert fast.engine == "reasonable"
    assert set(fast.inferred) == set(slow.inferred)
    # Both planted disjoint-class individuals, worded as owlrl words them.
    assert fast.messages == slow.messages
    assert [m.split(" have ")[0] for m in fast.messages] == [f"Disjoint classes {RP}Actor and {RP}Place"]


def test_every_individual_in_two_disjoint_classes_is_reported(ontology):
    data = Graph()
    for name, classes in {"x": ("Person", "Place"), "y": ("State", "Office"), "z": ("Person",)}.items():
        for c in classes:
            data.add((URIRef(RPD + name), RDF.type, URIRef(RP + c)))
    fast, slow = both(ontology, data)
    assert fast.engine == "reasonable"
    assert fast.messages == slow.messages
    assert len(fast.messages) == 2
    assert set(fast.inferred) == set(slow.inferred)


@pytest.mark.parametrize(
    "triple, fallback",
    [
        ((URIRef(RPD + "x"), OWL.differentFrom, URIRef(RPD + "y")), "the data uses the schema property owl:differentFrom"),
        ((URIRef(RP + "State"), URIRef(RP + "isoCode"), Literal("XXX")), "the data makes statements about the term rp:State"),
        ((URIRef(RPD + "x"), RDF.type, OWL.Class), "the data types a node as owl:Class"),
    ],
)
def test_hands_over_to_owlrl_where_it_would_not_be_exact(ontology, triple, fallback):
    data = Graph()
    data.add(triple)
    fast = reason(ontology, data)
    assert fast.engine == "owlrl"
    assert fast.fallback == fallback


def test_an_ontology_with_an_axiom_it_does_not_check_goes_to_owlrl(ontology):
    extended = Graph()
    for t in ontology:
        extended.add(t)
    extended.add((URIRef(RP + "partOf"), RDF.type, OWL.IrreflexiveProperty))
    data = Graph()
    data.add((URIRef(RPD + "x"), URIRef(RP + "partOf"), URIRef(RPD + "x")))
    fast = reason(extended, data)
    assert fast.engine == "owlrl"
    assert fast.fallback == "the ontology uses owl:IrreflexiveProperty, whose inconsistency rule the fast engine does not apply"
    assert any("Irreflexive" in m for m in fast.messages)


def test_the_reference_can_be_forced(ontology, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_REASONER", "owlrl")
    forced = reason(ontology, Graph())
    assert (forced.engine, forced.fallback) == ("owlrl", "asked for by REALPOLITIK_REASONER=owlrl")
    monkeypatch.delenv("REALPOLITIK_REASONER")
    chosen = reason(ontology, Graph(), engine="owlrl")  # a caller's choice is no fallback
    assert (chosen.engine, chosen.fallback) == ("owlrl", None)
    assert reason(ontology, Graph()).fallback is None


def test_two_values_of_a_functional_property_are_reasoned_as_owlrl_does(ontology):
    data = read_graph(files().data_files())
    x = URIRef(RPD + "transfer-x")
    data.add((x, RDF.type, URIRef(RP + "WeaponsTransfer")))
    data.add((x, URIRef(RP + "transferStatus"), URIRef("https://w3id.org/realpolitik/vocab/delivered")))
    data.add((x, URIRef(RP + "transferStatus"), URIRef("https://w3id.org/realpolitik/vocab/declined")))
    data.add((x, URIRef(RP + "quantityOrdered"), Literal(3)))
    data.add((x, URIRef(RP + "quantityOrdered"), Literal(4)))
    fast, slow = both(ontology, data)
    assert fast.engine == "reasonable"
    assert fast.messages == slow.messages
    assert set(fast.inferred) == set(slow.inferred)


def test_the_ontology_side_is_read_from_the_cache_and_equal(ontology, tmp_path, monkeypatch):
    import realpolitik.reasoning as reasoning

    monkeypatch.setenv("REALPOLITIK_CACHE", str(tmp_path / "cache"))
    data = read_graph(files().data_files())
    first = reason(ontology, data)
    [cached] = (tmp_path / "cache" / "ontology-closures").iterdir()

    def no_owlrl(graph):
        raise AssertionError("owlrl ran although the ontology's closure was cached")

    monkeypatch.setattr(reasoning, "owl_rl_closure", no_owlrl)
    again = reason(ontology, data)
    assert set(again.inferred) == set(first.inferred) and again.messages == first.messages
    # A damaged entry is computed again (by owlrl) and replaced.
    monkeypatch.undo()
    monkeypatch.setenv("REALPOLITIK_CACHE", str(tmp_path / "cache"))
    cached.write_bytes(b"not a pickle")
    mended = reason(ontology, data)
    assert set(mended.inferred) == set(first.inferred)
    assert cached.read_bytes() != b"not a pickle"


def test_another_ontology_is_not_served_from_the_cache(ontology, tmp_path, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_CACHE", str(tmp_path / "cache"))
    data = Graph()
    data.add((URIRef(RPD + "x"), RDF.type, URIRef(RP + "Person")))
    data.add((URIRef(RPD + "x"), RDF.type, URIRef(RP + "Wizard")))
    reason(ontology, data)
    changed = read_graph(files().ontology_files())
    changed.add((URIRef(RP + "Wizard"), OWL.disjointWith, URIRef(RP + "Person")))
    fast, slow = reason(changed, data), reference(changed, data)
    assert fast.messages == slow.messages and len(fast.messages) == 1
    assert len(list((tmp_path / "cache" / "ontology-closures").iterdir())) == 2


def test_terms_come_back_as_the_inputs_own_and_rdflib_is_put_back(ontology):
    import sys

    import reasonable
    import rdflib

    from realpolitik.reasoning import _reasonable_closure, _SharedTerms

    a, label = URIRef(RPD + "a"), Literal("Ankara", lang="en-GB")
    plain, typed = Literal("a quote"), Literal("7", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))
    triples = [(a, URIRef(RP + "name"), label), (a, URIRef(RP + "quote"), plain), (a, URIRef(RP + "count"), typed)]
    closure = _reasonable_closure(reasonable, triples)
    assert sys.modules["rdflib"] is rdflib
    assert set(closure) >= set(triples)
    back = {o: o for _, _, o in closure}
    # the same objects, not equal copies: set lookups then never call rdflib's __eq__
    assert back[label] is label and back[plain] is plain and back[typed] is typed
    assert all(s is a for s, _, _ in closure if s == a)
    # an error inside leaves the real module in place too
    with pytest.raises(RuntimeError), _SharedTerms({t for triple in triples for t in triple}):
        raise RuntimeError
    assert sys.modules["rdflib"] is rdflib


def test_the_cycle_collector_is_paused_and_put_back_as_it_was():
    import gc

    from realpolitik.collector import paused

    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
