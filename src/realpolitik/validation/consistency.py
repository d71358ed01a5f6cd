"""OWL consistency: what OWL RL finds contradictory in the data and ontology together
(``realpolitik.reasoning``; owlrl is the reference)."""

from __future__ import annotations

import re

from rdflib import Graph, URIRef

from realpolitik.namespaces import RPD, curie
from realpolitik.reasoning import Unbounded, reason
from realpolitik.validation.findings import Engine, Finding, at
from realpolitik.validation.locate import Locator
from realpolitik.validation.ownership import ontology_terms, without_schema

_IRI = re.compile(r"https?://[^\s,;'\"<>()]+")


def run(data: Graph | None, ontology: Graph, locator: Locator, statements: list | None = None,
        engines: dict | None = None) -> list[Finding]:
    """``statements``: data's statements as lists already read (see reasoning.reason),
    enough without ``data`` (None); ``engines``: where the reasoner that ran is recorded
    (a Report's).
    Statements about the schema are not reasoned over: the ownership check reports them,
    and a redefined ontology would make every other file mean something else."""
    statements = list(data) if statements is None else statements
    kept = without_schema(statements, ontology_terms(ontology))
    if data is not None and len(kept) < len(statements):
        data = Graph()
        for triple in kept:
            data.add(triple)
    try:
        reasoned = reason(ontology, data, statements=kept)
    except Unbounded as exc:
        parsed, position = locator.node(exc.node, exc.predicate)
        return [Finding(check="consistency", severity="error", message=str(exc), **at(parsed, position),
                        focus=curie(str(exc.node)), path=curie(str(exc.predicate)))]
    if engines is not None:
        engines["consistency"] = Engine(reasoned.engine, reasoned.fallback)
    findings = []
    for message in reasoned.messages:
        iris = _IRI.findall(message)
        nodes = [i for i in iris if i.startswith(RPD)] or iris
        parsed = position = None
        for iri in nodes:
            parsed, position = locator.node(URIRef(iri))
            if parsed:
                break
        for iri in sorted(set(iris), key=len, reverse=True):
            message = message.replace(iri, curie(iri))
        findings.append(
            Finding(
                check="consistency",
                severity="violation",
                message=f"OWL inconsistency: {message}",
                **at(parsed, position),
                focus=curie(nodes[0]) if nodes else None,
            )
        )
    return findings
