"""Shape-based constraint components (SHACL 4.7): sh:node, sh:property."""

from __future__ import annotations

from realpolitik.validation.shacl_store.results import each


def _node(engine, c, value_nodes):
    out = []
    values = {v for vs in value_nodes.values() for v in vs}
    for shape_node in c.node_shapes:
        conforms = engine.conforms(shape_node, values)
        out += each(engine, c, value_nodes, lambda v: conforms[v])
    return out


def _property(engine, c, value_nodes):
    out = []
    focus = {v for vs in value_nodes.values() for v in vs}
    for p_shape in c.property_shapes:
        out += engine.check(engine.sg.lookup_shape_from_node(p_shape), focus)
    return out


CHECKS = {
    "NodeConstraintComponent": _node,
    "PropertyConstraintComponent": _property,
}
