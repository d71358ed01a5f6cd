"""Every shape has a valid and an invalid example (tests/shapes/<Shape>/), and the
invalid one gives exactly the findings written in its expected.tsv: file, line,
severity, check, focus node, path, constraint component, shape and message."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS

from conftest import BASE_EXAMPLE, SHAPE_EXAMPLES
from realpolitik.dataset import files, read_graph

EXAMPLES = sorted(p.name for p in SHAPE_EXAMPLES.iterdir() if p.is_dir())
# Shape examples are small on purpose: their entities stand alone, which the QC queries
# (tests/test_queries.py) would rightly call orphans.
ALONE = ("--standalone", "--skip", "qc")
RPSH = "https://w3id.org/realpolitik/shapes#"


def expected_rows(example: str) -> list[list[str]]:
    lines = (SHAPE_EXAMPLES / example / "expected.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def report_rows(report: dict) -> list[list[str]]:
    rows = []
    for f in report["findings"]:
        rows.append(
            [
                Path(f.get("file", "-")).name,
                str(f.get("line", "-")),
                f["severity"],
                f["check"],
                f.get("focus", "-"),
                f.get("path", "-"),
                f.get("component", "-"),
                f.get("shape", "-"),
                f["message"],
            ]
        )
    return rows


@pytest.mark.parametrize("example", EXAMPLES)
def test_valid_example_conforms(cli, example):
    run = cli("validate", *ALONE, BASE_EXAMPLE, SHAPE_EXAMPLES / example / "valid.ttl", "--format", "json")
    assert run.json()["findings"] == []
    assert run.exit_code == 0


@pytest.mark.parametrize("example", EXAMPLES)
def test_invalid_example_gives_expected_findings(cli, example):
    invalid = SHAPE_EXAMPLES / example / "invalid.ttl"
    run = cli("validate", *ALONE, BASE_EXAMPLE, invalid, "--format", "json")
    assert run.exit_code == 1
    assert report_rows(run.json()) == expected_rows(example)


def test_invalid_example_in_text_format_points_at_file_and_line(cli):
    invalid = SHAPE_EXAMPLES / "WeaponsTransferShape" / "invalid.ttl"
    run = cli("validate", *ALONE, BASE_EXAMPLE, invalid)
    assert run.exit_code == 1
    line = next(line for line in run.stdout.splitlines() if "does not transfer to itself" in line)
    assert "WeaponsTransferShape/invalid.ttl:16:5: violation: [shacl] rpd:test-self rp:supplier:" in line


def _shapes() -> Graph:
    return read_graph(files().shape_files())


def test_every_shape_has_examples():
    shapes = _shapes()
    named = {
        str(s)[len(RPSH) :]
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(RPSH)
    }
    assert named == set(EXAMPLES)


def test_every_class_has_a_node_shape():
    ontology = read_graph(files().ontology_files())
    shapes = _shapes()
    rp = "https://w3id.org/realpolitik/ontology#"
    classes = {c for c in ontology.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) if str(c).startswith(rp)}
    targeted = set(shapes.objects(None, SH.targetClass))
    assert classes - targeted == set()


def test_value_lists_are_the_vocabularies():
    """Each sh:in list holds exactly the concepts of the scheme its property ranges over
    (a rule shape, some of them), so the shapes and the vocabularies cannot drift apart."""
    ontology = read_graph(files().ontology_files())
    shapes = _shapes()
    checked = 0
    for shape, values in shapes.subject_objects(SH["in"]):
        path = shapes.value(shape, SH.path)
        listed = set(Collection(shapes, values))
        concept_class = ontology.value(path, RDFS.range)
        in_class = set(ontology.subjects(RDF.type, concept_class))
        assert in_class, f"{path} has no concept class range"
        owner = shapes.value(None, SH.property, shape) or shape
        if str(owner).endswith("Rule"):  # a rule may allow only some of the concepts
            assert listed < in_class, f"sh:in for {path} in {owner} is not part of {concept_class}"
        else:
            assert listed == in_class, f"sh:in for {path} differs from the concepts of {concept_class}"
        for concept in listed:
            assert (concept, SKOS.inScheme, None) in ontology
        checked += 1
    assert checked >= 9


def test_subclass_instances_are_caught_only_with_the_ontology():
    """A rp:Summit is a rp:Meeting is a rp:Event: the meeting rules reach it because the
    ontology goes to pyshacl as its ontology graph."""
    from realpolitik.rdf.parse import parse_turtle
    from realpolitik.validation import shacl
    from realpolitik.validation.locate import Locator

    parsed = [parse_turtle(BASE_EXAMPLE), parse_turtle(SHAPE_EXAMPLES / "SummitShape" / "invalid.ttl")]
    data = Graph()
    for p in parsed:
        for t in p.triples:
            data.add(t)
    ontology = read_graph(files().ontology_files())
    shapes = _shapes()
    locator = Locator(parsed, data)

    def shapes_hit(onto):
        return {f.shape for f in shacl.run(data, shapes, onto, locator)}

    assert "rpsh:MeetingShape" in shapes_hit(ontology)
    assert "rpsh:FactShape" not in shapes_hit(ontology)  # the summit is backed by a claim
    without = shapes_hit(Graph())
    assert "rpsh:MeetingShape" not in without
    assert "rpsh:SummitShape" in without
