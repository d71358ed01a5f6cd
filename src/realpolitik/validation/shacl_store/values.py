"""The value nodes of focus nodes along a SHACL path, read from the store in bulk."""

from __future__ import annotations

from rdflib import BNode, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from realpolitik import _compat as compat

_BULK = 5000  # above this many focus nodes, fetch a plain path's values unrestricted


def one_step(engine, path) -> bool:
    """A predicate, or the inverse of one."""
    graph = engine.sg.graph
    return isinstance(path, URIRef) or (
        isinstance(path, BNode) and isinstance(graph.value(path, SH.inversePath), URIRef)
        and len(list(graph.predicate_objects(path))) == 1
    )


def _plain(engine, path) -> bool:
    """One step, or a sequence of them: a join, read for the whole data at once as
    cheaply as one predicate (38,000 evidence nodes on ( oa:hasSource rp:textFile ):
    one query, not one a node). Nothing repeated (*, +) is plain."""
    graph = engine.sg.graph
    if isinstance(path, BNode) and graph.value(path, RDF.first) is not None:
        return all(one_step(engine, step) for step in Collection(graph, path))
    return one_step(engine, path)


def along(engine, path, focus: set) -> dict:
    """focus node -> its value nodes along ``path`` (a SHACL path in the shapes graph)."""
    sparql = compat.sparql_path(engine.sg, path)
    simple = one_step(engine, path)
    blank = sum(1 for f in focus if isinstance(f, BNode))  # each one is a query of its own
    if _plain(engine, path) and (len(focus) > _BULK or blank > 50):
        if sparql not in engine.values_cache:
            table: dict = {}
            for f, v in engine.data.pairs(f"SELECT ?f ?v WHERE {{ ?f {sparql} ?v }}"):
                table.setdefault(f, []).append(v)
            # Read-only from here, shared by every shape on this path.
            engine.values_cache[sparql] = {f: tuple(dict.fromkeys(vs)) for f, vs in table.items()}
        table = engine.values_cache[sparql]
        return {f: table.get(f, ()) for f in focus}
    out = {f: [] for f in focus}
    if simple and blank:
        predicate = path if isinstance(path, URIRef) else engine.sg.graph.value(path, SH.inversePath)
        inverse = not isinstance(path, URIRef)
        for f in [f for f in focus if isinstance(f, BNode)]:
            out_, into = engine.data.around(f)
            pairs = [(p, s) for s, p in into] if inverse else out_
            out[f] = list(dict.fromkeys(o for p, o in pairs if p == predicate))
        focus = {f for f in focus if not isinstance(f, BNode)}
    template = f"SELECT DISTINCT ?f ?v WHERE {{ {{values}} ?f {sparql} ?v }}"
    for f, v in engine.data.select_values(template, focus):
        out[f].append(v)
    return out
