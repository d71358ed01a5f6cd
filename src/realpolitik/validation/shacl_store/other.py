"""Other constraint components (SHACL 4.8): sh:closed, sh:hasValue, sh:in."""

from __future__ import annotations

from rdflib import URIRef

from realpolitik import _compat as compat
from realpolitik.validation.shacl_store.results import each


def _closed(engine, c, value_nodes):
    closed, ignored, property_shapes = compat.closed_rules(c)
    if not closed:
        return []
    allowed = set(ignored)
    for p_shape in property_shapes:
        path = engine.sg.lookup_shape_from_node(p_shape).path()
        if isinstance(path, URIRef):
            allowed.add(path)
    nodes = {v for vs in value_nodes.values() for v in vs}
    statements: dict = {}
    for f, p, o in engine.data.select_values("SELECT ?f ?p ?o WHERE { {values} ?f ?p ?o }", nodes):
        statements.setdefault(f, []).append((p, o))
    out = []
    for f, vs in value_nodes.items():
        for v in vs:
            for p, o in statements.get(v, ()):
                if p not in allowed:
                    out.append(engine.result(c, f, value=o, path=p))
    return out


def _has_value(engine, c, value_nodes):
    out = []
    for hv in compat.rules(c):
        out += [engine.result(c, f) for f, vs in value_nodes.items() if hv not in vs]
    return out


def _in(engine, c, value_nodes):
    values = compat.rules(c)
    return each(engine, c, value_nodes, lambda v: v in values)


CHECKS = {
    "ClosedConstraintComponent": _closed,
    "HasValueConstraintComponent": _has_value,
    "InConstraintComponent": _in,
}
