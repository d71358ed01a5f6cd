"""Property pair constraint components (SHACL 4.5): sh:disjoint, sh:lessThanOrEquals."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef

from realpolitik.validation.shacl_store.results import Unsupported


def _comparable(term):
    if isinstance(term, URIRef):
        return str(term), True
    if isinstance(term, Literal) and isinstance(term.value, str):
        return term.value, True
    return term, False


def _pairs(engine, c, value_nodes, bad):
    """sh:lessThanOrEquals and sh:disjoint: each value against the other property's."""
    out = []
    for other in c.property_compare_set:
        others = engine.values(other, set(value_nodes))
        for f, vs in value_nodes.items():
            for v in vs:
                for o in others[f]:
                    if bad(v, o):
                        out.append(engine.result(c, f, value=v))
    return out


def _less_than_or_equals(engine, c, value_nodes):
    def bad(v, o):
        if isinstance(v, BNode) or isinstance(o, BNode):
            raise Unsupported("sh:lessThanOrEquals on a blank node", c.shape.node)
        (a, a_str), (b, b_str) = _comparable(v), _comparable(o)
        if a_str != b_str:
            return True
        try:
            return not a <= b
        except TypeError:
            return True
    return _pairs(engine, c, value_nodes, bad)


def _disjoint(engine, c, value_nodes):
    return _pairs(engine, c, value_nodes, lambda v, o: v == o)


CHECKS = {
    "LessThanOrEqualsConstraintComponent": _less_than_or_equals,
    "DisjointConstraintComponent": _disjoint,
}
