"""OWL consistency: what OWL RL finds contradictory in the data and ontology together
(``realpolitik.reasoning``; owlrl is the reference)."""

from __future__ import annotations

import re

from rdflib import Graph, URIRef

from realpolitik.namespaces import RPD, curie
from realpolitik.reasoning import reason
from realpolitik.validation.findings import Finding, at
from realpolitik.validation.locate import Locator

_IRI = re.compile(r"https?://[^\s,;'\"<>()]+")


def run(data: Graph, ontology: Graph, locator: Locator, statements: list | None = None) -> list[Finding]:
    """``statements``: data's statements as lists already read (see reasoning.reason)."""
    messages = reason(ontology, data, statements=statements).messages
    findings = []
    for message in messages:
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
