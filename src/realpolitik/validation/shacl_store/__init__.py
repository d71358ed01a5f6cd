"""SHACL on the store: pyshacl's shapes, evaluated in bulk on a pyoxigraph store.

pyshacl walks the data one focus node at a time in Python over an rdflib graph (114 s
for a million triples, after a 24 s parse). Here the shapes are read by pyshacl itself
(its ShapesGraph, its constraint components and their messages), but each property
shape's value nodes are fetched for all focus nodes with one SPARQL query, each
SHACL-SPARQL constraint runs once, and the constraints are checked in Python over the
fetched values. The results are pyshacl's, field for field: tests/test_shacl_store.py
holds both to every shape fixture and to a synthetic register with planted defects.

A shape that uses a constraint component not implemented here raises Unsupported, and
validation runs pyshacl instead (and says so: validation.shacl.evaluate).

The constraint components are laid out by section of the SHACL specification, as
pyshacl's are (pyshacl/constraints/core): value_constraints, cardinality_constraints,
value_range, string_based, property_pair, logical, shape_based, other, and sparql apart;
``engine`` walks the shapes, ``targets`` finds focus nodes, ``values`` their value
nodes, ``classes`` answers sh:class.
"""

from __future__ import annotations

from rdflib import Graph

from realpolitik.store import engine as ox
from realpolitik.validation.shacl_store.engine import Engine
from realpolitik.validation.shacl_store.results import Result, Unsupported


def run(store: ox.Store, shapes: Graph, *, union: bool, within: set | None = None) -> list[Result]:
    """pyshacl's results for the data in ``store`` (its default graph, or the union of its
    graphs), for all focus nodes or only those in ``within``."""
    return Engine(store, shapes, union=union).run(within)


__all__ = ["Engine", "Result", "Unsupported", "run"]
