"""Shape-based constraint components (SHACL 4.7): sh:node, sh:property,
sh:qualifiedValueShape."""

from __future__ import annotations

from dataclasses import replace

from rdflib.namespace import SH

from realpolitik import _compat as compat
from realpolitik.validation.shacl_store.results import each


def _node(engine, c, value_nodes):
    out = []
    values = {v for vs in value_nodes.values() for v in vs}
    for shape_node in compat.rules(c):
        conforms = engine.conforms(shape_node, values)
        out += each(engine, c, value_nodes, lambda v: conforms[v])
    return out


def _property(engine, c, value_nodes):
    """Each property shape on the value nodes, its results repeated for each focus node
    whose value node they are about (as pyshacl, which checks value nodes focus node by
    focus node, reports them)."""
    values = {v for vs in value_nodes.values() for v in vs}
    out = []
    for p_shape in compat.rules(c):
        about: dict = {}
        for result in engine.check(engine.sg.lookup_shape_from_node(p_shape), values):
            about.setdefault(result.of(), []).append(result)
        for f, vs in value_nodes.items():
            out += [replace(result, origin=f) for v in vs for result in about.get(v, ())]
    return out


def _siblings(engine, c, value_shape) -> set:
    """The other qualified value shapes of the property shapes next to this one (for
    sh:qualifiedValueShapesDisjoint)."""
    graph = engine.sg.graph
    found = set()
    for parent in graph.subjects(SH.property, c.shape.node):
        for shape in graph.objects(parent, SH.property):
            found |= {s for s in graph.objects(shape, SH.qualifiedValueShape) if s != value_shape}
    return found


def _qualified(engine, c, value_nodes):
    """How many value nodes of each focus node conform to the qualified value shape (and,
    when disjoint, to none of its siblings), against sh:qualifiedMinCount and
    sh:qualifiedMaxCount; a result has no value, and names which count failed."""
    values = {v for vs in value_nodes.values() for v in vs}
    shapes, least, most, disjoint = compat.qualified_rules(c)
    if not disjoint and not values and (least is None or least < 1):
        return []
    out = []
    for value_shape in shapes:
        conforms = engine.conforms(value_shape, values)
        siblings = [engine.conforms(s, values) for s in _siblings(engine, c, value_shape)] if disjoint else []
        for f, vs in value_nodes.items():
            n = sum(1 for v in vs if conforms[v] and not any(sibling[v] for sibling in siblings))
            if most is not None and n > most:
                out.append(engine.result(c, f, component_iri=SH.QualifiedMaxCountConstraintComponent))
            if least is not None and n < least:
                out.append(engine.result(c, f, component_iri=SH.QualifiedMinCountConstraintComponent))
    return out


CHECKS = {
    "NodeConstraintComponent": _node,
    "PropertyConstraintComponent": _property,
    "QualifiedValueShapeConstraintComponent": _qualified,
}
