"""Property pair constraint components (SHACL 4.5): sh:equals, sh:disjoint, sh:lessThan,
sh:lessThanOrEquals."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef

from realpolitik import _compat as compat
from realpolitik.validation.shacl_store.results import Unsupported


def _comparable(term):
    if isinstance(term, URIRef):
        return str(term), True
    if isinstance(term, Literal) and isinstance(term.value, str):
        return term.value, True
    return term, False


def _pairs(engine, c, value_nodes, bad):
    """sh:disjoint, sh:lessThan, sh:lessThanOrEquals: each value against each of the
    other property's."""
    out = []
    for other in compat.rules(c):
        others = engine.values(other, set(value_nodes))
        for f, vs in value_nodes.items():
            for v in vs:
                for o in others[f]:
                    if bad(v, o):
                        out.append(engine.result(c, f, value=v))
    return out


def _ordered(engine, c, value_nodes, name, holds):
    """sh:lessThan and sh:lessThanOrEquals: a value and the other's must compare, IRIs and
    strings as text, and ``holds``. pyshacl refuses to compare a blank node: so does
    this engine, and pyshacl then says so."""
    def bad(v, o):
        if isinstance(v, BNode) or isinstance(o, BNode):
            raise Unsupported(f"{name} on a blank node", c.shape.node)
        (a, a_str), (b, b_str) = _comparable(v), _comparable(o)
        if a_str != b_str:
            return True
        try:
            return not holds(a, b)
        except TypeError:
            return True
    return _pairs(engine, c, value_nodes, bad)


def _less_than(engine, c, value_nodes):
    return _ordered(engine, c, value_nodes, "sh:lessThan", lambda a, b: a < b)


def _less_than_or_equals(engine, c, value_nodes):
    return _ordered(engine, c, value_nodes, "sh:lessThanOrEquals", lambda a, b: a <= b)


def _equals(engine, c, value_nodes):
    """A result for each value the other property lacks, and each of the other
    property's values that is not a value."""
    out = []
    for other in compat.rules(c):
        others = engine.values(other, set(value_nodes))
        for f, vs in value_nodes.items():
            mine, theirs = set(vs), set(others[f])
            out += [engine.result(c, f, value=v) for v in mine - theirs]
            out += [engine.result(c, f, value=o) for o in theirs - mine]
    return out


def _disjoint(engine, c, value_nodes):
    return _pairs(engine, c, value_nodes, lambda v, o: v == o)


CHECKS = {
    "EqualsConstraintComponent": _equals,
    "LessThanConstraintComponent": _less_than,
    "LessThanOrEqualsConstraintComponent": _less_than_or_equals,
    "DisjointConstraintComponent": _disjoint,
}
