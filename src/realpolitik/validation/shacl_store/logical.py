"""Logical constraint components (SHACL 4.6): sh:not, sh:and, sh:or, sh:xone."""

from __future__ import annotations

from realpolitik import _compat as compat
from realpolitik.validation.shacl_store.results import each


def _value_set(value_nodes) -> set:
    return {v for vs in value_nodes.values() for v in vs}


def _not(engine, c, value_nodes):
    values = _value_set(value_nodes)
    out = []
    for shape_node in compat.rules(c):
        conforms = engine.conforms(shape_node, values)
        out += each(engine, c, value_nodes, lambda v: not conforms[v])
    return out


def _listed(engine, c, value_nodes, holds, members=list):
    """sh:and, sh:or, sh:xone: ``holds`` of a value node's verdicts on each listed shape."""
    values = _value_set(value_nodes)
    out = []
    for shapes in compat.rules(c):
        verdicts = [engine.conforms(m, values) for m in members(engine.sg.graph.items(shapes))]
        out += each(engine, c, value_nodes, lambda v: holds(verdict[v] for verdict in verdicts))
    return out


def _and(engine, c, value_nodes):
    return _listed(engine, c, value_nodes, all, set)  # as pyshacl: a shape listed twice counts once


def _or(engine, c, value_nodes):
    return _listed(engine, c, value_nodes, any)


def _xone(engine, c, value_nodes):  # a shape listed twice counts twice
    return _listed(engine, c, value_nodes, lambda verdicts: sum(verdicts) == 1)


CHECKS = {
    "NotConstraintComponent": _not,
    "AndConstraintComponent": _and,
    "OrConstraintComponent": _or,
    "XoneConstraintComponent": _xone,
}
