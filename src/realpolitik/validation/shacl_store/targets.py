"""Which nodes a shape applies to: its targets."""

from __future__ import annotations

from rdflib import BNode
from rdflib.namespace import RDF, RDFS

from realpolitik.store.view import sparql_term


def targets(engine, shape, within: set | None) -> set:
    """The focus nodes of ``shape`` (only those in ``within``, if given)."""
    found = set(shape.target_nodes())
    classes = _classes(shape)
    if not (found or classes or shape.target_subjects_of() or shape.target_objects_of()):
        return found
    if within is not None:
        blank = {n for n in within if isinstance(n, BNode)}
        within = within - blank
        found |= {n for n in blank if _blank_is_target(engine, shape, n)}
    queries = [f"?f <{RDF.type}>/<{RDFS.subClassOf}>* {sparql_term(c)}" for c in classes]
    queries += [f"?f {sparql_term(p)} ?o" for p in shape.target_subjects_of()]
    queries += [f"?o {sparql_term(p)} ?f" for p in shape.target_objects_of()]
    for pattern in queries:
        if within is None:
            found.update(row[0] for row in engine.data.select(f"SELECT DISTINCT ?f WHERE {{ {pattern} }}"))
        else:
            template = f"SELECT DISTINCT ?f WHERE {{ {{values}} {pattern} }}"
            found.update(row[0] for row in engine.data.select_values(template, within))
    if within is not None:
        found &= within | blank | set(shape.target_nodes())
    return found


def _blank_is_target(engine, shape, node) -> bool:
    # Blank nodes cannot be named in a query's VALUES: their few statements decide.
    out, into = engine.data.around(node)
    engine.types.types.setdefault(node, set()).update(o for p, o in out if p == RDF.type)
    if shape.node not in engine.target_kinds:
        engine.target_kinds[shape.node] = (
            set(shape.target_classes()), set(shape.target_subjects_of()), set(shape.target_objects_of())
        )
    classes, subjects_of, objects_of = engine.target_kinds[shape.node]
    return (
        any(engine.types.is_a(node, c) for c in classes)
        or any(p in subjects_of for p, _ in out)
        or any(p in objects_of for _, p in into)
    )


def _classes(shape) -> list:
    """The classes whose instances are targets: sh:targetClass, and the shape itself where
    it is a class too (an implicit class target)."""
    return list(dict.fromkeys([*shape.target_classes(), *shape.implicit_class_targets()]))
