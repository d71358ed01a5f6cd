"""Where the sources disagree: pairs of claims, each side with its claimant, source,
stance, hedge and quote."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib.resources import files as package_files

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDFS

from realpolitik.namespaces import RP, curie

RPNS = Namespace(RP)
OA = Namespace("http://www.w3.org/ns/oa#")


def query_text(name: str) -> str:
    return package_files("realpolitik.queries").joinpath(f"{name}.rq").read_text(encoding="utf-8")


@dataclass
class Side:
    claim: str
    claimant: str
    source: str
    stance: str
    modality: str
    statement: str
    quote: str


@dataclass
class Dispute:
    basis: str
    fact: str | None
    a: Side
    b: Side

    def as_dict(self) -> dict:
        return asdict(self)


def _label(graph: Graph, node) -> str:
    if node is None:
        return "?"
    label = graph.value(node, RDFS.label)
    return str(label) if label is not None else curie(str(node))


def side(graph: Graph, claim: URIRef) -> Side:
    evidence = graph.value(claim, RPNS.evidence)
    selector = graph.value(evidence, OA.hasSelector)
    return Side(
        claim=curie(str(claim)),
        claimant=", ".join(sorted(_label(graph, c) for c in graph.objects(claim, RPNS.claimant))),
        source=_label(graph, graph.value(evidence, OA.hasSource)),
        stance=curie(str(graph.value(claim, RPNS.stance))).split(":")[-1],
        modality=curie(str(graph.value(claim, RPNS.modality))).split(":")[-1],
        statement=str(graph.value(claim, RPNS.statement) or ""),
        quote=str(graph.value(selector, OA.exact) or ""),
    )


def disputes(graph: Graph) -> list[Dispute]:
    found: dict[tuple, Dispute] = {}
    for a, b, basis, fact in graph.query(query_text("disputes")):
        key = (a, b)
        if key in found:  # both kinds of evidence for one pair: keep the explicit link
            continue
        found[key] = Dispute(str(basis), curie(str(fact)) if fact else None, side(graph, a), side(graph, b))
    return list(found.values())
