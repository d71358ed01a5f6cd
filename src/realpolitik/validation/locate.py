"""From a node in the merged graph back to the file, line and column where it is written."""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from realpolitik.rdf.parse import ParsedFile, blank_label
from realpolitik.rdf.positions import Position


class Locator:
    """``graph``: the graph the files make, or a function giving it, called when a blank
    node is first walked up from."""

    def __init__(self, files: list[ParsedFile], graph):
        self.files = files
        self._graph = graph
        # Which files describe a subject (have it as a subject), in file order.
        self._described_in: dict = {}
        self._typed_in: dict = {}
        types = frozenset({RDF.type})  # by hash: `p == RDF.type` costs two Python calls a statement
        for parsed in files:
            # Each file's subjects once (a set), not once a statement.
            for index, subjects in (
                (self._described_in, {s for s, _, _ in parsed.triples}),
                (self._typed_in, {s for s, p, _ in parsed.triples if p in types}),
            ):
                for subject in subjects:
                    found = index.get(subject)
                    if found is None:
                        index[subject] = [parsed]
                    else:
                        found.append(parsed)

    @property
    def graph(self) -> Graph:
        return _resolved(self._graph)

    @property
    def described(self) -> dict:
        """Each subject -> the files that have it as a subject, in file order."""
        return self._described_in

    def typed_in(self, node) -> list[ParsedFile]:
        return self._typed_in.get(node, [])

    def node(self, node, path: URIRef | None = None) -> tuple[ParsedFile | None, Position | None]:
        """Where ``node`` (and, if given, its ``path`` statement) is written."""
        if isinstance(node, BNode):
            return self._blank(node, path)
        key = str(node)
        candidates = self._typed_in.get(node, []) + self._described_in.get(node, [])
        if path is not None:
            for parsed in candidates:
                position = parsed.positions.statement(key, str(path))
                if position:
                    return parsed, position
        for parsed in candidates:
            position = parsed.positions.subject(key)
            if position:
                return parsed, position
        return self.use(node)

    def use(self, node) -> tuple[ParsedFile | None, Position | None]:
        for parsed in self.files:
            position = parsed.positions.first_use(str(node))
            if position:
                return parsed, position
        return None, None

    def _blank(self, node: BNode, statement: URIRef | None = None):
        # Walk up to the named node the blank node is written inside.
        path: list[str] = []
        current = node
        seen = set()
        while isinstance(current, BNode) and current not in seen:
            seen.add(current)
            parents = list(self.graph.subject_predicates(current))
            if not parents:
                break
            parent, predicate = parents[0]
            path.insert(0, str(predicate))
            current = parent
        if isinstance(current, BNode):  # a blank node no named node points at
            described = self._described_in.get(current)
            if not described:
                return None, None
            label, positions = blank_label(current), described[0].positions
            at = positions.statement(label, str(statement)) if statement is not None and current == node else None
            return described[0], at or positions.subject(label)
        literals = {str(o) for o in _literals_below(self.graph, node)}
        best = None
        for parsed in self._described_in.get(node, []) + self._typed_in.get(current, []):
            for nested in parsed.positions.nested:
                if nested.root == str(current) and list(nested.path) == path:
                    score = len(nested.literals & literals)
                    if best is None or score > best[0]:
                        best = (score, parsed, nested.position)
        if best:
            return best[1], best[2]
        return self.node(current, URIRef(path[0]) if path else None)


def _literals_below(graph: Graph, node, depth: int = 0):
    if depth > 4:
        return
    for _, o in graph.predicate_objects(node):
        if isinstance(o, BNode):
            yield from _literals_below(graph, o, depth + 1)
        elif not isinstance(o, URIRef):
            yield o


def _resolved(graph):
    return graph() if callable(graph) else graph


def describe(graph, node) -> str:
    """A node as a reader can find it: a CURIE, or for a blank node the path to it from
    the named node it is written inside (rpd:claim-x/rp:evidence/oa:hasSelector).
    ``graph`` may be a function giving the graph, called only for a blank node."""
    from realpolitik.namespaces import curie

    if isinstance(node, URIRef):
        return curie(str(node))
    if not isinstance(node, BNode):
        return node.n3()
    graph = _resolved(graph)
    steps = []
    current = node
    for _ in range(6):
        parent = next(iter(graph.subject_predicates(current)), None)
        if parent is None:
            break
        current, predicate = parent
        steps.insert(0, curie(str(predicate)))
        if isinstance(current, URIRef):
            return f"{curie(str(current))}/{'/'.join(steps)}"
    return "/".join([blank_label(current)] + steps)
