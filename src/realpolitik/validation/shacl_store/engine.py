"""The store engine: pyshacl's shapes, each evaluated for all its focus nodes at once."""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from realpolitik import _compat as compat
from realpolitik.namespaces import curie
from realpolitik.store import engine as ox
from realpolitik.store.view import View
from realpolitik.validation.shacl_store import (
    cardinality_constraints, logical, other, property_pair, shape_based, sparql, string_based, targets,
    value_constraints, value_range, values,
)
from realpolitik.validation.shacl_store.classes import Types
from realpolitik.validation.shacl_store.results import Result, Unsupported

# pyshacl's constraint component class name -> (engine, component, value nodes) -> results
CHECKS = {
    **value_constraints.CHECKS, **cardinality_constraints.CHECKS, **value_range.CHECKS, **string_based.CHECKS,
    **property_pair.CHECKS, **logical.CHECKS, **shape_based.CHECKS, **other.CHECKS, **sparql.CHECKS,
}


class Engine:
    """The shapes of ``shapes`` (an rdflib graph, read by pyshacl) on the data in ``store``
    (its default graph, or the union of its graphs). Raises Unsupported for a shape that
    uses what it does not implement."""

    def __init__(self, store: ox.Store, shapes: Graph, *, union: bool):
        self.data = View(store, union)
        self.sg = compat.shapes_graph(shapes)
        self.shapes = list(self.sg.shapes)
        self.parameters = compat.constraint_parameters()
        self.types = Types(self.data)
        self.values_cache: dict = {}
        self.conformance: dict = {}  # (shape node, value) -> conforms
        self.described = None  # the blank nodes generic messages have printed
        self.nested = 0
        self.target_kinds: dict = {}
        for component in self.sg.graph.subjects(RDF.type, SH.ConstraintComponent):
            raise Unsupported(f"a constraint component of their own, {curie(str(component))}")
        for shape in self.shapes:
            for p, _ in self.sg.graph.predicate_objects(shape.node):
                if p in self.parameters and self.parameters[p].__name__ not in CHECKS:
                    raise Unsupported(curie(str(p)), shape.node)

    # --- which nodes ----------------------------------------------------------------

    def targets(self, shape, within: set | None) -> set:
        return targets.targets(self, shape, within)

    def values(self, path, focus: set) -> dict:
        """focus node -> its value nodes along ``path`` (a SHACL path in the shapes graph)."""
        return values.along(self, path, focus)

    # --- evaluation ------------------------------------------------------------------

    def run(self, within: set | None = None) -> list[Result]:
        """Every shape with targets, on its focus nodes (only those in ``within``, if given)."""
        if within is None:
            self.types.load_all()
        results = []
        for shape in sorted(self.shapes, key=lambda s: str(s.node)):
            if shape.deactivated:
                continue
            focus = self.targets(shape, within)
            if focus:
                results += self.check(shape, focus)
        return results

    def check(self, shape, focus: set) -> list[Result]:
        if shape.deactivated or not focus:
            return []
        if shape.is_property_shape:
            value_nodes = self.values(shape.path(), focus)
        else:
            value_nodes = {f: [f] for f in focus}
        self.types.ensure({v for vs in value_nodes.values() for v in vs})
        results: list[Result] = []
        done = set()
        for p, _ in self.sg.graph.predicate_objects(shape.node):
            component_class = self.parameters.get(p)
            if component_class is None or component_class in done:
                continue
            done.add(component_class)
            component = compat.component_of(component_class, shape)
            if component is None:
                continue
            results += CHECKS[component_class.__name__](self, component, value_nodes)
        return results

    def conforms(self, shape_node, nodes) -> dict:
        """node -> whether it conforms to the shape (any result at all means it does not)."""
        nodes = set(nodes)
        todo = {n for n in nodes if (shape_node, n) not in self.conformance}
        if todo:
            shape = self.sg.lookup_shape_from_node(shape_node)
            self.nested += 1  # only whether nodes conform matters here, not the messages
            try:
                failing = {r.of() for r in self.check(shape, todo)}
            finally:
                self.nested -= 1
            for n in todo:
                self.conformance[(shape_node, n)] = n not in failing
        return {n: self.conformance[(shape_node, n)] for n in nodes}

    # --- results ---------------------------------------------------------------------

    def result(self, component, focus, value=None, path=None, extra=None, bound=None, component_iri=None) -> Result:
        """A result as pyshacl's ConstraintComponent.make_v_result words it: the shape's
        sh:message, the SPARQL constraint's own (``extra``), or the generic message.
        ``component_iri``: the sh:sourceConstraintComponent, where not the component's own."""
        shape = component.shape
        if self.nested:
            return Result(focus, None, value, None, shape.node, None, ())
        if path is None and shape.is_property_shape:
            path = shape.path()
        messages = list(shape.message)
        texts = []
        if extra:
            texts = [str(m) for m in extra if m not in messages]
        elif not messages:
            messages = compat.generic_messages(component, self.description_of(focus, value), focus, value)
        texts += [str(m) for m in messages]
        if bound is not None:
            texts = [compat.sparql_message(component, t, bound) for t in texts]
        return Result(focus, path, value, component_iri or compat.component_iri(component), shape.node,
                      shape.severity, tuple(texts))

    def description_of(self, *nodes) -> Graph:
        """A small rdflib graph that describes the blank nodes a generic message prints."""
        from realpolitik.dataset import bind_prefixes

        if self.described is None:
            self.described = bind_prefixes(Graph())
        for node in nodes:
            if isinstance(node, BNode) and (node, None, None) not in self.described:
                self.data.description(node, self.described)
        return self.described

