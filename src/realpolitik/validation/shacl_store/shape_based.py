"""Shape-based constraint components (SHACL 4.7): sh:node, sh:property,
sh:qualifiedValueShape."""

from __future__ import annotations

from dataclasses import replace

from rdflib.namespace import SH

from realpolitik.validation.shacl_store.results import each


def _node(engine, c, value_nodes):
    out = []
    values = {v for vs in value_nodes.values() for v in vs}
    for shape_node in c.node_shapes:
        conforms = engine.conforms(shape_node, values)
        out += each(engine, c, value_nodes, lambda v: conforms[v])
    return out


def _property(engine, c, value_nodes):
    """Each property shape on the value nodes, its results repeated for each focus node
    whose value node they are about (as pyshacl, which checks value nodes focus node by
    focus node, reports them)."""
    values = {v for vs in value_nodes.values() for v in vs}
    out = []
    for p_shape in c.property_shapes:
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
    if not c.is_disjoint and not values and (c.min_count is None or c.min_count < 1):
        return []
    out = []
    for value_shape in c.value_shapes:
        conforms = engine.conforms(value_shape, values)
        siblings = [engine.conforms(s, values) for s in _siblings(engine, c, value_shape)] if c.is_disjoint else []
        for f, vs in value_nodes.items():
            n = sum(1 for v in vs if conforms[v] and not any(sibling[v] for sibling in siblings))
            if c.max_count is not None and n > c.max_count:
                out.append(engine.result(c, f, component_iri=SH.QualifiedMaxCountConstraintComponent))
            if c.min_count is not None and n < c.min_count:
                out.append(engine.result(c, f, component_iri=SH.QualifiedMinCountConstraintComponent))
    return out


CHECKS = {
    "NodeConstraintComponent": _node,
    "PropertyConstraintComponent": _property,
    "QualifiedValueShapeConstraintComponent": _qualified,
}
