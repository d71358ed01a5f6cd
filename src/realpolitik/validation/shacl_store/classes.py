"""rdf:type and rdfs:subClassOf*, read from the store for sh:class and class targets."""

from __future__ import annotations

from rdflib import BNode, Literal
from rdflib.namespace import RDF, RDFS

from realpolitik.store.view import View


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
