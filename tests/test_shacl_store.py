"""SHACL on the store gives pyshacl's findings, field for field: on every shape fixture,
on a synthetic register with every kind of planted defect, and where the store cannot
be trusted (a literal it would rewrite, a constraint it does not implement) by handing
the work back to pyshacl."""

from __future__ import annotations

import pytest
from rdflib import XSD, Graph, URIRef

from realpolitik.synthetic import DEFECT_KINDS, generate
from realpolitik.validation import CHECKS, validate
from realpolitik.validation.shacl_store import Engine, Unsupported

from conftest import BASE_EXAMPLE, SHAPE_EXAMPLES as SHAPES
INVALID = sorted(p.parent.name for p in SHAPES.glob("*/invalid.ttl"))
ONLY_SHACL = tuple(c for c in CHECKS if c != "shacl")


def findings(monkeypatch, engine: str, *args, **kwargs) -> list:
    if engine == "pyshacl":
        monkeypatch.setenv("REALPOLITIK_SHACL", "pyshacl")
    else:
        monkeypatch.delenv("REALPOLITIK_SHACL", raising=False)
    return validate(*args, **kwargs).findings


@pytest.mark.parametrize("example", INVALID)
def test_store_findings_are_pyshacls_on_every_invalid_example(monkeypatch, example):
    args = ([BASE_EXAMPLE, SHAPES / example / "invalid.ttl"],)
    kwargs = {"standalone": True, "skip": ONLY_SHACL}
    reference = findings(monkeypatch, "pyshacl", *args, **kwargs)
    assert reference, "an invalid example has findings"
    assert findings(monkeypatch, "store", *args, **kwargs) == reference


def test_every_valid_example_conforms_on_the_store_too(monkeypatch):
    valid = sorted(SHAPES.glob("*/valid.ttl"))
    for path in valid:
        assert findings(monkeypatch, "store", [BASE_EXAMPLE, path], standalone=True, skip=ONLY_SHACL) == [], path


def test_store_findings_are_pyshacls_on_a_register_with_every_defect(monkeypatch, tmp_path):
    register = generate(tmp_path / "r", sources=3, defects=2 * len(DEFECT_KINDS))
    reference = findings(monkeypatch, "pyshacl", root=register.root)
    ours = findings(monkeypatch, "store", root=register.root)
    assert ours == reference
    planted = [d for d in register.defects if d["check"] == "shacl"]
    assert len(planted) == 10
    for defect in planted:
        assert any(f.check == "shacl" and (f.focus or "").startswith(defect["focus"]) for f in ours), defect


def test_a_sequence_path_on_many_blank_nodes_is_read_at_once_with_pyshacls_findings(monkeypatch, tmp_path):
    """Evidence nodes are blank; ( oa:hasSource rp:textFile ) is read for all of them
    with one query. A source without its text makes each of its evidence nodes fail."""
    import re

    register = generate(tmp_path / "r", sources=2)
    source = sorted((register.root / "data" / "sources").glob("*.ttl"))[0]
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r' ;\n\s*rp:textFile "[^"]*"', "", text, count=1), encoding="utf-8")
    ours = findings(monkeypatch, "store", root=register.root, skip=ONLY_SHACL)
    about_text = [f for f in ours if f.path == "oa:hasSource/rp:textFile"]
    assert len(about_text) == 50  # every evidence node of that source (of 100, all blank)
    assert ours == findings(monkeypatch, "pyshacl", root=register.root, skip=ONLY_SHACL)


NON_CANONICAL = """
@prefix rp: <https://w3id.org/realpolitik/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rpd: <https://w3id.org/realpolitik/id/> .
<https://w3id.org/realpolitik/data/transfer-x> rp:quantityOrdered "5"^^xsd:nonNegativeInteger .
"""


def test_a_literal_the_store_would_rewrite_is_judged_by_pyshacl(monkeypatch, tmp_path):
    """Oxigraph keeps "5"^^xsd:nonNegativeInteger as xsd:integer: on the store the
    datatype violation would vanish."""
    base = SHAPES / "WeaponsTransferShape" / "valid.ttl"
    extra = tmp_path / "extra.ttl"
    text = base.read_text(encoding="utf-8")
    subject = next(line.split()[0] for line in text.splitlines() if " a rp:WeaponsTransfer" in line)
    extra.write_text(NON_CANONICAL.replace("<https://w3id.org/realpolitik/data/transfer-x>", subject), encoding="utf-8")
    (tmp_path / "base.ttl").write_text(text, encoding="utf-8")
    paths = [BASE_EXAMPLE, tmp_path / "base.ttl", extra]
    ours = findings(monkeypatch, "store", paths, standalone=True, skip=ONLY_SHACL)
    assert ("sh:DatatypeConstraintComponent", "rp:quantityOrdered", f'"5"^^<{XSD}nonNegativeInteger>') in [
        (f.component, f.path, f.value) for f in ours
    ]
    assert ours == findings(monkeypatch, "pyshacl", paths, standalone=True, skip=ONLY_SHACL)


def test_a_constraint_the_engine_lacks_is_refused_not_guessed():
    import pyoxigraph as ox

    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ;
            <urn:p> "x" .
        <urn:c> a sh:ConstraintComponent ; sh:parameter [ sh:path <urn:p> ] ;
            sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { FILTER (false) }" ] .
        """,
        format="turtle",
    )
    with pytest.raises(Unsupported, match=r"^the shapes use a constraint component of their own, <urn:c>, which the store"):
        Engine(ox.Store(), shapes, union=True)


def test_nested_property_shapes_report_and_conform_as_pyshacl_does():
    """A value node shared by two focus nodes has its nested results once for each of
    them; a node whose failing result is two sh:property steps down does not conform."""
    import pyoxigraph as ox
    import pyshacl
    from collections import Counter

    from realpolitik.validation.shacl import report_results
    from realpolitik.validation.shacl_store import run

    text = """
    @prefix sh: <http://www.w3.org/ns/shacl#> .
    <urn:person> sh:property [ sh:path <urn:address> ;
        sh:property [ sh:path <urn:city> ; sh:property [ sh:path <urn:name> ; sh:minCount 1 ] ] ] .
    <urn:People> a sh:NodeShape ; sh:targetNode <urn:p1> , <urn:p2> ; sh:node <urn:person> .
    <urn:Persons> a sh:NodeShape ; sh:targetNode <urn:p1> , <urn:p2> , <urn:p3> ;
        sh:property [ sh:path <urn:address> ;
            sh:property [ sh:path <urn:city> ; sh:property [ sh:path <urn:name> ; sh:minCount 1 ] ] ] .
    <urn:p1> <urn:address> <urn:a> .
    <urn:p2> <urn:address> <urn:a> .
    <urn:p3> <urn:address> <urn:b> .
    <urn:a> <urn:city> <urn:nameless> .
    <urn:b> <urn:city> <urn:named> .
    <urn:named> <urn:name> "N" .
    """
    shapes = Graph().parse(data=text, format="turtle")
    store = ox.Store()
    store.load(text.encode(), ox.RdfFormat.TURTLE)
    ours = run(store, shapes, union=False)
    _, report, _ = pyshacl.validate(Graph().parse(data=text, format="turtle"), shacl_graph=shapes, inference="none")

    def key(r):
        return (r.focus, r.value, r.component, r.severity)

    assert Counter(map(key, ours)) == Counter(map(key, report_results(report)))
    persons = [r for r in ours if r.component.endswith("MinCountConstraintComponent")]
    assert len(persons) == 2  # <urn:nameless>, once through p1 and once through p2
    assert {(r.focus, r.component.rsplit("#")[-1]) for r in ours if r.shape == URIRef("urn:People")} == {
        (URIRef("urn:p1"), "NodeConstraintComponent"), (URIRef("urn:p2"), "NodeConstraintComponent")}
