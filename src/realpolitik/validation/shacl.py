"""SHACL validation by pyshacl, the reference implementation.

The ontology goes in as pyshacl's ontology graph, so that ``sh:targetClass`` and
``sh:class`` see subclasses (a rp:Summit is checked as a rp:Event). No RDFS or OWL
inference runs on the data: a range axiom would turn "wrong class" findings into
misleading "missing field" ones.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from realpolitik.namespaces import curie
from realpolitik.validation.findings import Finding
from realpolitik.validation.locate import Locator, describe

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


def term_text(term) -> str:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return curie(str(term))
    return term.n3() if hasattr(term, "n3") else str(term)


def path_text(graph: Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return curie(str(path))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + curie(str(inverse))
    return path.n3()


def run(data: Graph, shapes: Graph, ontology: Graph, locator: Locator) -> list[Finding]:
    from pyshacl import validate

    _, results, text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if not isinstance(results, Graph):  # pyshacl could not run the shapes at all
        return [Finding(check="shacl", severity="error", message=f"the shapes cannot be applied: {text}")]
    findings = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        source_shape = results.value(result, SH.sourceShape)
        # A blank property shape is reported as the node shape that holds it.
        owner = source_shape
        if not isinstance(source_shape, URIRef):
            owner = shapes.value(None, SH.property, source_shape) or source_shape
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        parsed, position = locator.node(focus, path if isinstance(path, URIRef) else None)
        findings.append(
            Finding(
                check="shacl",
                severity=_SEVERITY.get(results.value(result, SH.resultSeverity), "violation"),
                message=messages[0] if messages else "SHACL constraint not met",
                file=parsed.display if parsed else None,
                line=position.line if position else None,
                column=position.column if position else None,
                focus=describe(data, focus),
                path=path_text(results, path),
                value=term_text(results.value(result, SH.value)),
                component=term_text(results.value(result, SH.sourceConstraintComponent)),
                shape=term_text(owner) if isinstance(owner, URIRef) else None,
            )
        )
    return findings
