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


def _and(engine, c, value_nodes):
    values = _value_set(value_nodes)
    out = []
    for and_list in compat.rules(c):
        members = set(engine.sg.graph.items(and_list))  # as pyshacl: a shape listed twice counts once
        verdicts = [engine.conforms(m, values) for m in members]
        out += each(engine, c, value_nodes, lambda v: all(verdict[v] for verdict in verdicts))
    return out


def _or(engine, c, value_nodes):
    values = _value_set(value_nodes)
    out = []
    for or_list in compat.rules(c):
        members = list(engine.sg.graph.items(or_list))
        verdicts = [engine.conforms(m, values) for m in members]
        out += each(engine, c, value_nodes, lambda v: any(verdict[v] for verdict in verdicts))
    return out


def _xone(engine, c, value_nodes):
    values = _value_set(value_nodes)
    out = []
    for xone_list in compat.rules(c):
        members = list(engine.sg.graph.items(xone_list))  # a shape listed twice counts twice
        verdicts = [engine.conforms(m, values) for m in members]
        out += each(engine, c, value_nodes, lambda v: sum(verdict[v] for verdict in verdicts) == 1)
    return out


CHECKS = {
    "NotConstraintComponent": _not,
    "AndConstraintComponent": _and,
    "OrConstraintComponent": _or,
    "XoneConstraintComponent": _xone,
}
