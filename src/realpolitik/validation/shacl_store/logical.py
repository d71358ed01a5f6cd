"""Logical constraint components (SHACL 4.6): sh:not, sh:or."""

from __future__ import annotations

from realpolitik.validation.shacl_store.results import each


def _or(engine, c, value_nodes):
    values = {v for vs in value_nodes.values() for v in vs}
    out = []
    for or_list in c.or_list:
        members = list(engine.sg.graph.items(or_list))
        verdicts = [engine.conforms(m, values) for m in members]
        out += each(engine, c, value_nodes, lambda v: any(verdict[v] for verdict in verdicts))
    return out


def _not(engine, c, value_nodes):
    values = {v for vs in value_nodes.values() for v in vs}
    out = []
    for shape_node in c.not_list:
        conforms = engine.conforms(shape_node, values)
        out += each(engine, c, value_nodes, lambda v: not conforms[v])
    return out


CHECKS = {
    "OrConstraintComponent": _or,
    "NotConstraintComponent": _not,
}
