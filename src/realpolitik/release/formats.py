"""Canonical, sorted serializations: the same graphs always give the same bytes.

Blank nodes get canonical labels (RDF Dataset Canonicalization, RDFC-1.0, by
pyoxigraph). N-Triples and N-Quads are the sorted lines; Turtle and TriG are pyoxigraph's
writers given the statements in order; JSON-LD is written here, flattened, with the
project's @context and every list sorted. Lexical forms are kept as written.
"""

from __future__ import annotations

import json

from realpolitik.store import engine as ox
from realpolitik.namespaces import PREFIXES

EXTENSIONS = {"ttl": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
              "trig": "application/trig", "jsonld": "application/ld+json"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def canonical(quads) -> list:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return list(dataset)


def _line(quad, with_graph: bool) -> str:
    graph = quad.graph_name
    if with_graph and not isinstance(graph, ox.DefaultGraph):
        return f"{quad.subject} {quad.predicate} {quad.object} {graph} .\n"
    return f"{quad.subject} {quad.predicate} {quad.object} .\n"


def n_quads(quads) -> bytes:
    return "".join(sorted({_line(q, True) for q in quads})).encode("utf-8")


def n_triples(quads) -> bytes:
    return "".join(sorted({_line(q, False) for q in quads})).encode("utf-8")


def _sorted(quads) -> list:
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def _prefixes_sorted(data: bytes) -> bytes:
    """The writer's @prefix lines in name order, and only those the body uses."""
    lines = data.decode("utf-8").split("\n")  # literals' newlines are escaped: a line is a line
    body = "\n".join(line for line in lines if not line.startswith("@prefix ")).strip("\n")
    used = sorted(line for line in lines if line.startswith("@prefix ") and line.split()[1] in body)
    return ("\n".join(used) + "\n\n" + body + "\n").encode("utf-8")


def turtle(quads) -> bytes:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in _sorted(quads)]
    return _prefixes_sorted(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))


def trig(quads) -> bytes:
    """One block per named graph, graphs in IRI order."""
    return _prefixes_sorted(ox.serialize(_sorted(quads), format=ox.RdfFormat.TRIG, prefixes=PREFIXES))


def context() -> dict:
    """The JSON-LD @context of the release: the project's prefixes."""
    return {"@context": dict(sorted(PREFIXES.items()))}


def _compact(iri: str) -> str:
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            local = iri[len(ns) :]
            if local and all(c.isalnum() or c in "-_" for c in local):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def _node_id(term) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else _compact(term.value)


def _value(term) -> dict:
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return {"@id": _node_id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": _compact(term.datatype.value)}


def _nodes(quads) -> list[dict]:
    nodes: dict[str, dict] = {}
    for q in quads:
        node = nodes.setdefault(_node_id(q.subject), {"@id": _node_id(q.subject)})
        if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(q.object.value))
        else:
            node.setdefault(_compact(q.predicate.value), []).append(_value(q.object))
    out = []
    for key in sorted(nodes):
        node = nodes[key]
        out.append({k: (sorted(v, key=lambda x: json.dumps(x, sort_keys=True)) if isinstance(v, list) else v)
                    for k, v in sorted(node.items(), key=lambda kv: ("" if kv[0] == "@id" else kv[0]))})
    return out


def json_ld(quads, with_graphs: bool) -> bytes:
    """Flattened JSON-LD: one object per node, or per named graph with its nodes."""
    document = context()
    if with_graphs:
        graphs: dict[str, list] = {}
        for q in quads:
            graphs.setdefault(q.graph_name.value, []).append(q)
        document["@graph"] = [{"@id": _compact(g), "@graph": _nodes(graphs[g])} for g in sorted(graphs)]
    else:
        document["@graph"] = _nodes(quads)
    return (json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def write(quads, ext: str, with_graphs: bool) -> bytes:
    if ext == "nq":
        return n_quads(quads)
    if ext == "nt":
        return n_triples(quads)
    if ext == "ttl":
        return turtle(quads)
    if ext == "trig":
        return trig(quads)
    return json_ld(quads, with_graphs)
