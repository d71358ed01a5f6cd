"""One view of a store: the data as pyoxigraph holds it, read through SPARQL, with rdflib
terms out. What reads the dataset in memory (SHACL, a change's neighbourhood) reads it
through this."""

from __future__ import annotations

from rdflib import BNode, Graph

from realpolitik.store import engine as ox
from realpolitik.store.terms import sparql_term, store_converter, to_ox

__all__ = ["CHUNK", "View", "sparql_term"]  # sparql_term: what SHACL on the store writes terms with

CHUNK = 2000  # focus nodes per VALUES block


class View:
    """The data as the store holds it, read through SPARQL, with rdflib terms out."""

    def __init__(self, store: ox.Store, union: bool):
        self.store = store
        self.union = union
        self.convert = store_converter()
        self.neighbours: dict = {}

    def select(self, text: str, substitutions: dict | None = None):
        convert, known = self.convert, self.convert.cache.get
        for row in self._solutions(text, substitutions):
            # Most terms were seen before: one lookup, not a call (a 1M register's shapes
            # read 1.4 million rows; hashing a long literal is not free).
            yield tuple(None if term is None else known(term) or convert(term) for term in row)

    def pairs(self, text: str):
        """The rows of a query of two variables that are always bound, as select gives
        them, with less work per row."""
        convert, known = self.convert, self.convert.cache.get
        for a, b in self._solutions(text, None):
            yield known(a) or convert(a), known(b) or convert(b)

    def _solutions(self, text: str, substitutions: dict | None):
        kwargs = {"use_default_graph_as_union": self.union}
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): to_ox(v) for k, v in substitutions.items()}
        return self.store.query(text, **kwargs)

    def select_dicts(self, text: str, substitutions: dict | None = None):
        solutions = self._solutions(text, substitutions)
        names = [v.value for v in solutions.variables]
        convert = self.convert
        for row in solutions:
            yield {name: convert(term) for name, term in zip(names, row) if term is not None}

    def select_values(self, template: str, nodes, var: str = "f"):
        """Rows of ``template`` (which holds ``{values}``) with ``?var`` bound to each of
        ``nodes``: a VALUES block a chunk at a time. In a query's text a blank node is a
        fresh variable, not a node, so blank nodes are bound by substitution one by one."""
        named = [n for n in nodes if not isinstance(n, BNode)]
        for start in range(0, len(named), CHUNK):
            block = " ".join(sparql_term(n) for n in named[start : start + CHUNK])
            yield from self.select(template.replace("{values}", f"VALUES ?{var} {{ {block} }}"))
        plain = template.replace("{values}", "")
        for node in nodes:
            if isinstance(node, BNode):
                yield from self.select(plain, {var: node})

    def around(self, node) -> tuple[list, list]:
        """A node's statements, out (p, o) and in (s, p): two queries, remembered."""
        if node not in self.neighbours:
            self.neighbours[node] = (self.predicate_objects(node), self.subject_predicates(node))
        return self.neighbours[node]

    def subject_predicates(self, node):
        return [(s, p) for s, p, _ in self.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"o": node})]

    def predicate_objects(self, node):
        return [(p, o) for _, p, o in self.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"s": node})]

    def description(self, node, graph: Graph | None = None) -> Graph:
        """``node``'s statements and those of the blank nodes below it, as an rdflib
        graph: what pyshacl's messages print for a blank node."""
        from realpolitik.dataset import bind_prefixes

        graph = graph if graph is not None else bind_prefixes(Graph())
        pending, seen = [node], set()
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            for p, o in self.predicate_objects(current):
                graph.add((current, p, o))
                if isinstance(o, BNode):
                    pending.append(o)
        return graph
