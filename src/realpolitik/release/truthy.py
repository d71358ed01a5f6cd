"""The truthy graph: what no source disputes, as plain triples, beside the full
statements with their claims, as Wikidata's truthy dump stands beside its full one.

- A fact a claim affirms and none disputes keeps its own statements (type, label, parties, supplier,
  status, dates, ...), without the claims behind it. A disputed fact keeps them too, its
  status being the derived rpv:disputed, with ``rp:disputedBy`` each claim on a side.
- A coded proposition that claims affirm and none denies becomes one triple from its
  subject to its object, with a property of the truthy namespace named after the
  relation (``rpt:commits-to-defend``; for rpv:has-relationship, after the kind:
  ``rpt:relationship-transactional``), declared in the graph. A proposition that
  claims disagree on is a blank node with its relation, subject, object and
  ``rp:disputedBy`` each claim of the dispute. A proposition only denied says nothing
  here: the truthy graph states no negatives.
- Every IRI it names carries its label, so the graph reads on its own.

Disagreement is what ``realpolitik disputes`` finds (realpolitik.derived)."""

from __future__ import annotations

from realpolitik.store import engine as ox
from realpolitik.namespaces import PREFIXES, RP, RPT, RPV, expand, local_name

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
SEE_ALSO = ox.NamedNode(PREFIXES["rdfs"] + "seeAlso")
OBJECT_PROPERTY = ox.NamedNode(PREFIXES["owl"] + "ObjectProperty")
DISPUTED_BY = ox.NamedNode(RP + "disputedBy")

_FACTS = """
PREFIX rp: <https://w3id.org/realpolitik/ontology#>
PREFIX rpv: <https://w3id.org/realpolitik/vocab/>
SELECT DISTINCT ?fact ?p ?o WHERE {
  ?claim rp:supports ?fact ; rp:stance rpv:affirms .
  ?fact ?p ?o .
  FILTER (?p NOT IN (rp:mergedFrom, rp:identityNote))
}"""

_PROPOSITIONS = """
PREFIX rp: <https://w3id.org/realpolitik/ontology#>
PREFIX rpv: <https://w3id.org/realpolitik/vocab/>
SELECT ?claim ?relation ?subject ?object ?kind ?stance WHERE {
  ?claim rp:relation ?relation ; rp:subject ?subject ; rp:object ?object ; rp:stance ?stance .
  OPTIONAL { ?claim rp:relationshipKind ?kind }
}"""

_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?node ?label WHERE { ?node rdfs:label|skos:prefLabel ?label }"""


def triples(store, found) -> list[tuple]:
    """The truthy graph's triples (pyoxigraph terms), from ``store`` (a querying backend
    over the data and the ontology) and ``found``, its disputes."""
    from realpolitik import derived

    def select(text):
        return store.select(text).rows

    disputed_facts = derived.disputed_facts(found)
    sides: dict[str, list] = {}  # claim -> the disputes it is a side of
    for d in found:
        for side in (d.a, d.b):
            sides.setdefault(expand(side.claim), []).append(d)

    out: set[tuple] = set()
    named: set = set()
    for fact, p, o in select(_FACTS):
        out.add((fact, p, o))
        named.add(fact)
        if isinstance(o, ox.NamedNode):
            named.add(o)
    for d in found:
        if d.fact and expand(d.fact) in disputed_facts:
            fact = ox.NamedNode(expand(d.fact))
            out |= {(fact, DISPUTED_BY, ox.NamedNode(expand(s.claim))) for s in (d.a, d.b)}

    # Propositions keyed by what they state; a symmetric relation's pair in IRI order.
    symmetric = {row[0].value for row in select(
        "SELECT ?r WHERE { ?r <https://w3id.org/realpolitik/ontology#symmetricRelation> true }")}
    propositions: dict[tuple, dict] = {}
    for claim, relation, subject, obj, kind, stance in select(_PROPOSITIONS):
        ends = (subject, obj)
        if relation.value in symmetric and str(obj) < str(subject):
            ends = (obj, subject)
        entry = propositions.setdefault((relation, *ends, kind), {"stances": set(), "claims": set()})
        entry["stances"].add(local_name(stance.value))
        entry["claims"].add(claim.value)

    used: dict[str, ox.NamedNode] = {}
    for (relation, subject, obj, kind), entry in sorted(propositions.items(), key=lambda kv: str(kv[0])):
        disputing = {claim for c in entry["claims"] for d in sides.get(c, ())
                     if d.relation and expand(d.relation) == relation.value
                     for claim in (expand(d.a.claim), expand(d.b.claim))} & entry["claims"]
        if disputing or entry["stances"] == {"affirms", "denies"}:
            node = ox.BlankNode()
            out |= {(node, ox.NamedNode(RP + "relation"), relation),
                    (node, ox.NamedNode(RP + "subject"), subject), (node, ox.NamedNode(RP + "object"), obj)}
            if kind is not None:
                out.add((node, ox.NamedNode(RP + "relationshipKind"), kind))
            out |= {(node, DISPUTED_BY, ox.NamedNode(c)) for c in sorted(disputing or entry["claims"])}
        elif entry["stances"] == {"affirms"}:
            name = "relationship-" + local_name(kind.value) if kind is not None else local_name(relation.value)
            prop = used.setdefault(name, ox.NamedNode(RPT + name))
            out.add((subject, prop, obj))
            out.add((prop, SEE_ALSO, kind if kind is not None else relation))
        else:
            continue
        named |= {subject, obj}

    labels = {}
    for node, label in select(_LABELS):
        if isinstance(node, ox.NamedNode) and (node.value not in labels or label.language == "en"):
            labels[node.value] = label
    for name, prop in used.items():
        out.add((prop, RDF_TYPE, OBJECT_PROPERTY))
        concept = RPV + (name[len("relationship-"):] if name.startswith("relationship-") else name)
        if concept in labels:
            out.add((prop, LABEL, labels[concept]))
    for node in named:
        if isinstance(node, ox.NamedNode) and node.value in labels:
            out.add((node, LABEL, labels[node.value]))
    return sorted(out, key=str)
