"""What the data holds, counted by class: the summary line of a report."""

from __future__ import annotations

_COUNTED = {
    "sources": "Source",
    "claims": "Claim",
    "actors": "Actor",
    "agreements": "Agreement",
    "laws": "Law",
    "programmes": "Programme",
    "transfers": "WeaponsTransfer",
    "events": "Event",
    "office holdings": "OfficeHolding",
    "memberships": "Membership",
}


def summarize(ontology, files: list) -> dict:
    """What the data (the statements of ``files``) holds, counted by class (subclasses
    included)."""
    from rdflib import RDF, RDFS, URIRef

    from realpolitik.namespaces import RP

    # The distinct statements of the files: rdflib counts a SimpleMemory graph by
    # walking every statement in Python (1 s for a million).
    summary = {"files": len(files), "triples": len({t for parsed in files for t in parsed.triples})}
    types = frozenset({RDF.type})
    typed = [(s, o) for parsed in files for s, p, o in parsed.triples if p in types]
    for label, local in _COUNTED.items():
        classes = set(ontology.transitive_subjects(RDFS.subClassOf, URIRef(RP + local)))
        summary[label] = len({s for s, o in typed if o in classes})
    return summary
