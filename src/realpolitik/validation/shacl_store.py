"""SHACL on the store: pyshacl's shapes, evaluated in bulk on a pyoxigraph store.

pyshacl walks the data one focus node at a time in Python over an rdflib graph (114 s
for a million triples, after a 24 s parse). Here the shapes are read by pyshacl itself
(its ShapesGraph, its constraint components and their messages), but each property
shape's value nodes are fetched for all focus nodes with one SPARQL query, each
SHACL-SPARQL constraint runs once, and the constraints are checked in Python over the
fetched values. The results are pyshacl's, field for field: tests/test_shacl_store.py
holds both to every shape fixture and to a synthetic register with planted defects.

A shape that uses a constraint component not implemented here raises Unsupported, and
validation runs pyshacl instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from realpolitik import _compat as compat
from realpolitik.namespaces import curie
from realpolitik.store.view import View, sparql_term

_BULK = 5000  # above this many focus nodes, fetch a plain path's values unrestricted
# Above this many focus nodes, a SPARQL constraint runs once for all: with $this bound, a
# query still costs a scan of what it joins (7 ms a node on a 1M register: 50 s for 7,000).
_SPARQL_BULK = 100


class Unsupported(Exception):
    """The shapes use a constraint this engine does not implement; the message names it
    (``construct``: "sh:maxLength", say) and the shape that uses it."""

    def __init__(self, construct: str, shape=None):
        from realpolitik.namespaces import curie

        where = ""
        if shape is not None:
            where = f" (in {curie(str(shape))})" if isinstance(shape, URIRef) else " (in a blank shape)"
        super().__init__(f"the shapes use {construct}{where}, which the store engine does not implement")


@dataclass(frozen=True)
class Result:
    """One validation result, as pyshacl reports it (sh:ValidationResult)."""

    focus: object
    path: object  # in the shapes graph, or a predicate from the data
    value: object
    component: URIRef
    shape: object  # sh:sourceShape
    severity: URIRef
    messages: tuple[str, ...]


class Types:
    """rdf:type and rdfs:subClassOf*, for sh:class."""

    def __init__(self, data: View):
        self.data = data
        self.types: dict = {}
        self.supers: dict = {}
        self.complete = False  # every node's types are loaded
        for sub, sup in data.select(f"SELECT ?c ?s WHERE {{ ?c <{RDFS.subClassOf}>+ ?s }}"):
            self.supers.setdefault(sub, set()).add(sup)

    def load_all(self) -> None:
        for s, t in self.data.select(f"SELECT ?s ?t WHERE {{ ?s <{RDF.type}> ?t }}"):
            self.types.setdefault(s, set()).add(t)
        self.complete = True

    def ensure(self, nodes) -> None:
        if self.complete:
            return
        missing = [n for n in nodes if n not in self.types and not isinstance(n, Literal)]
        for n in missing:
            self.types[n] = set()
        for n in [n for n in missing if isinstance(n, BNode)]:
            self.types[n] = {o for p, o in self.data.around(n)[0] if p == RDF.type}
        missing = [n for n in missing if not isinstance(n, BNode)]
        for s, t in self.data.select_values(f"SELECT ?f ?t WHERE {{ {{values}} ?f <{RDF.type}> ?t }}", missing):
            self.types[s].add(t)

    def is_a(self, node, cls) -> bool:
        for t in self.types.get(node, ()):
            if t == cls or cls in self.supers.get(t, ()):
                return True
        return False


class Engine:
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
        for shape in self.shapes:
            for p, _ in self.sg.graph.predicate_objects(shape.node):
                if p in self.parameters and self.parameters[p].__name__ not in _CHECKS:
                    raise Unsupported(curie(str(p)), shape.node)
            if shape.implicit_class_targets():
                raise Unsupported("an implicit class target", shape.node)

    # --- which nodes ----------------------------------------------------------------

    def targets(self, shape, within: set | None) -> set:
        found = set(shape.target_nodes())
        if not (found or shape.target_classes() or shape.target_subjects_of() or shape.target_objects_of()):
            return found
        if within is not None:
            blank = {n for n in within if isinstance(n, BNode)}
            within = within - blank
            found |= {n for n in blank if self._blank_is_target(shape, n)}
        queries = [f"?f <{RDF.type}>/<{RDFS.subClassOf}>* {sparql_term(c)}" for c in shape.target_classes()]
        queries += [f"?f {sparql_term(p)} ?o" for p in shape.target_subjects_of()]
        queries += [f"?o {sparql_term(p)} ?f" for p in shape.target_objects_of()]
        for pattern in queries:
            if within is None:
                found.update(row[0] for row in self.data.select(f"SELECT DISTINCT ?f WHERE {{ {pattern} }}"))
            else:
                template = f"SELECT DISTINCT ?f WHERE {{ {{values}} {pattern} }}"
                found.update(row[0] for row in self.data.select_values(template, within))
        if within is not None:
            found &= within | blank | set(shape.target_nodes())
        return found

    def _blank_is_target(self, shape, node) -> bool:
        # Blank nodes cannot be named in a query's VALUES: their few statements decide.
        out, into = self.data.around(node)
        self.types.types.setdefault(node, set()).update(o for p, o in out if p == RDF.type)
        if shape.node not in self.target_kinds:
            self.target_kinds[shape.node] = (
                set(shape.target_classes()), set(shape.target_subjects_of()), set(shape.target_objects_of())
            )
        classes, subjects_of, objects_of = self.target_kinds[shape.node]
        return (
            any(self.types.is_a(node, c) for c in classes)
            or any(p in subjects_of for p, _ in out)
            or any(p in objects_of for _, p in into)
        )

    def _one_step(self, path) -> bool:
        """A predicate, or the inverse of one."""
        graph = self.sg.graph
        return isinstance(path, URIRef) or (
            isinstance(path, BNode) and isinstance(graph.value(path, SH.inversePath), URIRef)
            and len(list(graph.predicate_objects(path))) == 1
        )

    def _plain(self, path) -> bool:
        """One step, or a sequence of them: a join, read for the whole data at once as
        cheaply as one predicate (38,000 evidence nodes on ( oa:hasSource rp:textFile ):
        one query, not one a node). Nothing repeated (*, +) is plain."""
        graph = self.sg.graph
        if isinstance(path, BNode) and graph.value(path, RDF.first) is not None:
            return all(self._one_step(step) for step in Collection(graph, path))
        return self._one_step(path)

    def values(self, path, focus: set) -> dict:
        """focus node -> its value nodes along ``path`` (a SHACL path in the shapes graph)."""
        sparql = compat.sparql_path(self.sg, path)
        simple = self._one_step(path)
        blank = sum(1 for f in focus if isinstance(f, BNode))  # each one is a query of its own
        if self._plain(path) and (len(focus) > _BULK or blank > 50):
            if sparql not in self.values_cache:
                table: dict = {}
                for f, v in self.data.pairs(f"SELECT ?f ?v WHERE {{ ?f {sparql} ?v }}"):
                    table.setdefault(f, []).append(v)
                # Read-only from here, shared by every shape on this path.
                self.values_cache[sparql] = {f: tuple(dict.fromkeys(vs)) for f, vs in table.items()}
            table = self.values_cache[sparql]
            return {f: table.get(f, ()) for f in focus}
        out = {f: [] for f in focus}
        if simple and blank:
            predicate = path if isinstance(path, URIRef) else self.sg.graph.value(path, SH.inversePath)
            inverse = not isinstance(path, URIRef)
            for f in [f for f in focus if isinstance(f, BNode)]:
                out_, into = self.data.around(f)
                pairs = [(p, s) for s, p in into] if inverse else out_
                out[f] = list(dict.fromkeys(o for p, o in pairs if p == predicate))
            focus = {f for f in focus if not isinstance(f, BNode)}
        template = f"SELECT DISTINCT ?f ?v WHERE {{ {{values}} ?f {sparql} ?v }}"
        for f, v in self.data.select_values(template, focus):
            out[f].append(v)
        return out

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
            component = component_class(shape)
            results += _CHECKS[component_class.__name__](self, component, value_nodes)
        return results

    def conforms(self, shape_node, nodes) -> dict:
        """node -> whether it conforms to the shape (any result at all means it does not)."""
        nodes = set(nodes)
        todo = {n for n in nodes if (shape_node, n) not in self.conformance}
        if todo:
            shape = self.sg.lookup_shape_from_node(shape_node)
            self.nested += 1  # only whether nodes conform matters here, not the messages
            try:
                failing = {r.focus for r in self.check(shape, todo)}
            finally:
                self.nested -= 1
            for n in todo:
                self.conformance[(shape_node, n)] = n not in failing
        return {n: self.conformance[(shape_node, n)] for n in nodes}

    # --- results ---------------------------------------------------------------------

    def result(self, component, focus, value=None, path=None, extra=None, bound=None) -> Result:
        """A result as pyshacl's ConstraintComponent.make_v_result words it: the shape's
        sh:message, the SPARQL constraint's own (``extra``), or the generic message."""
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
        return Result(focus, path, value, component.shacl_constraint_component, shape.node, shape.severity,
                      tuple(texts))

    def description_of(self, *nodes) -> Graph:
        """A small rdflib graph that describes the blank nodes a generic message prints."""
        from realpolitik.dataset import bind_prefixes

        if self.described is None:
            self.described = bind_prefixes(Graph())
        for node in nodes:
            if isinstance(node, BNode) and (node, None, None) not in self.described:
                self.data.description(node, self.described)
        return self.described


# --- one function per constraint component: (engine, component, value nodes) -> results ---


def _each(engine, component, value_nodes, ok):
    return [engine.result(component, f, value=v) for f, vs in value_nodes.items() for v in vs if not ok(v)]


def _min_count(engine, c, value_nodes):
    n = int(c.min_count.value)
    return [engine.result(c, f) for f, vs in value_nodes.items() if len(vs) < n]


def _max_count(engine, c, value_nodes):
    n = int(c.max_count.value)
    return [engine.result(c, f) for f, vs in value_nodes.items() if len(vs) > n]


def _class(engine, c, value_nodes):
    out = []
    for rule in c.class_rules:
        out += _each(engine, c, value_nodes, lambda v: not isinstance(v, Literal) and engine.types.is_a(v, rule))
    return out


def _datatype(engine, c, value_nodes):
    RDF_langString, RDFS_Datatype, RDFS_Literal, XSD_string = RDF.langString, RDFS.Datatype, RDFS.Literal, XSD.string
    rule = c.datatype_rule

    def ok(v):
        if not isinstance(v, Literal):
            return False
        if v.datatype == rule:
            return getattr(v, "ill_typed", None) is not True and compat.datatype_holds(c, v, rule)
        if rule == RDFS_Literal or (rule == RDFS_Datatype and v.datatype):
            return True
        if v.datatype is None and v.language is None and rule == XSD_string:
            return compat.datatype_holds(c, v, rule)
        if rule == RDF_langString and v.language:
            return compat.datatype_holds(c, v, rule)
        return False

    return _each(engine, c, value_nodes, ok)


def _node_kind(engine, c, value_nodes):
    kinds = {BNode: (SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI),
             Literal: (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral),
             URIRef: (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI)}
    return _each(engine, c, value_nodes, lambda v: c.nodekind_rule in kinds[type(v)])


def _in(engine, c, value_nodes):
    return _each(engine, c, value_nodes, lambda v: v in c.in_vals)


def _has_value(engine, c, value_nodes):
    out = []
    for hv in c.has_value_set:
        out += [engine.result(c, f) for f, vs in value_nodes.items() if hv not in vs]
    return out


def _pattern(engine, c, value_nodes):
    out = []
    for rule in c.string_rules:
        matcher = compat.compiled_pattern(c, rule)
        out += _each(engine, c, value_nodes,
                     lambda v: not isinstance(v, BNode) and matcher.match(c.value_node_to_string(v)))
    return out


def _min_length(engine, c, value_nodes):
    least = int(c.string_rules[0].value)
    return _each(engine, c, value_nodes,
                 lambda v: not isinstance(v, BNode) and len(c.value_node_to_string(v)) >= least)


def _min_inclusive(engine, c, value_nodes):
    compare_literal = compat.compare_literal
    out = []
    for m in c.min_vals:
        def ok(v, m=m):
            if not isinstance(v, Literal) or isinstance(m.value, str) != isinstance(v.value, str):
                return False
            try:
                return compare_literal(v, m) >= 0
            except (TypeError, NotImplementedError):
                return False
        out += _each(engine, c, value_nodes, ok)
    return out


def _comparable(term):
    if isinstance(term, URIRef):
        return str(term), True
    if isinstance(term, Literal) and isinstance(term.value, str):
        return term.value, True
    return term, False


def _pairs(engine, c, value_nodes, bad):
    """sh:lessThanOrEquals and sh:disjoint: each value against the other property's."""
    out = []
    for other in c.property_compare_set:
        others = engine.values(other, set(value_nodes))
        for f, vs in value_nodes.items():
            for v in vs:
                for o in others[f]:
                    if bad(v, o):
                        out.append(engine.result(c, f, value=v))
    return out


def _less_than_or_equals(engine, c, value_nodes):
    def bad(v, o):
        if isinstance(v, BNode) or isinstance(o, BNode):
            raise Unsupported("sh:lessThanOrEquals on a blank node", c.shape.node)
        (a, a_str), (b, b_str) = _comparable(v), _comparable(o)
        if a_str != b_str:
            return True
        try:
            return not a <= b
        except TypeError:
            return True
    return _pairs(engine, c, value_nodes, bad)


def _disjoint(engine, c, value_nodes):
    return _pairs(engine, c, value_nodes, lambda v, o: v == o)


def _node(engine, c, value_nodes):
    out = []
    values = {v for vs in value_nodes.values() for v in vs}
    for shape_node in c.node_shapes:
        conforms = engine.conforms(shape_node, values)
        out += _each(engine, c, value_nodes, lambda v: conforms[v])
    return out


def _or(engine, c, value_nodes):
    values = {v for vs in value_nodes.values() for v in vs}
    out = []
    for or_list in c.or_list:
        members = list(engine.sg.graph.items(or_list))
        verdicts = [engine.conforms(m, values) for m in members]
        out += _each(engine, c, value_nodes, lambda v: any(verdict[v] for verdict in verdicts))
    return out


def _not(engine, c, value_nodes):
    values = {v for vs in value_nodes.values() for v in vs}
    out = []
    for shape_node in c.not_list:
        conforms = engine.conforms(shape_node, values)
        out += _each(engine, c, value_nodes, lambda v: not conforms[v])
    return out


def _closed(engine, c, value_nodes):
    if not c.is_closed:
        return []
    allowed = set(c.ignored_props)
    for p_shape in c.property_shapes:
        path = engine.sg.lookup_shape_from_node(p_shape).path()
        if isinstance(path, URIRef):
            allowed.add(path)
    nodes = {v for vs in value_nodes.values() for v in vs}
    statements: dict = {}
    for f, p, o in engine.data.select_values("SELECT ?f ?p ?o WHERE { {values} ?f ?p ?o }", nodes):
        statements.setdefault(f, []).append((p, o))
    out = []
    for f, vs in value_nodes.items():
        for v in vs:
            for p, o in statements.get(v, ()):
                if p not in allowed:
                    out.append(engine.result(c, f, value=o, path=p))
    return out


def _sparql(engine, c, value_nodes):
    """Each query once for all focus nodes when they are many (the queries select $this,
    so its rows say whose they are), else once per focus node with $this bound, as
    pyshacl does."""
    out = []
    focus = set(value_nodes)
    for helper in c.sparql_constraints:
        _, text = helper.pre_bind_variables(next(iter(focus)))
        text = helper.apply_prefixes(text)
        if len(focus) > _SPARQL_BULK:
            rows: dict = {f: [] for f in focus}
            for row in engine.data.select_dicts(text):
                if row.get("this") in rows:
                    rows[row["this"]].append(row)
        else:
            rows = {f: list(engine.data.select_dicts(text, {"this": f})) for f in focus}
        for f in sorted(focus, key=str):
            seen = []
            for row in rows[f]:
                row.pop("failure", None)
                this, path, value = row.pop("this", None), row.pop("path", None), row.pop("value", None)
                if this is None and path is None and value is None:
                    continue
                key = (this, path, value, row)
                if key in seen:
                    continue
                seen.append(key)
                if value is None and not c.shape.is_property_shape:
                    value = f
                out.append(engine.result(c, this or f, value=value, path=path, extra=helper.messages or None,
                                         bound=(this, path, value, row)))
    return out


def _property(engine, c, value_nodes):
    out = []
    focus = {v for vs in value_nodes.values() for v in vs}
    for p_shape in c.property_shapes:
        out += engine.check(engine.sg.lookup_shape_from_node(p_shape), focus)
    return out


_CHECKS = {
    "MinCountConstraintComponent": _min_count,
    "MaxCountConstraintComponent": _max_count,
    "ClassConstraintComponent": _class,
    "DatatypeConstraintComponent": _datatype,
    "NodeKindConstraintComponent": _node_kind,
    "InConstraintComponent": _in,
    "HasValueConstraintComponent": _has_value,
    "PatternConstraintComponent": _pattern,
    "MinLengthConstraintComponent": _min_length,
    "MinInclusiveConstraintComponent": _min_inclusive,
    "LessThanOrEqualsConstraintComponent": _less_than_or_equals,
    "DisjointConstraintComponent": _disjoint,
    "NodeConstraintComponent": _node,
    "OrConstraintComponent": _or,
    "NotConstraintComponent": _not,
    "ClosedConstraintComponent": _closed,
    "SPARQLBasedConstraint": _sparql,
    "PropertyConstraintComponent": _property,
}


def run(store: ox.Store, shapes: Graph, *, union: bool, within: set | None = None) -> list[Result]:
    """pyshacl's results for the data in ``store`` (its default graph, or the union of its
    graphs), for all focus nodes or only those in ``within``."""
    return Engine(store, shapes, union=union).run(within)
