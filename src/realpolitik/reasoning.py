"""OWL reasoning, in one place so the engine can be swapped.

owlrl computes the OWL 2 RL closure and is the reference. It also finds
inconsistencies (two disjoint classes sharing a member, a functional property with
two different values, ...), which it reports as messages.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import OWL, RDF

_ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")


class _Members(list):
    """A list with constant-time membership. owlrl keeps the graph's blank nodes in a
    list and asks, for every triple, whether a node is in it: quadratic in the number
    of blank nodes (10,000 nested ones took 14 s, 50,000 eight minutes)."""

    def __init__(self):
        super().__init__()
        self._members: set = set()

    def append(self, item) -> None:
        if item not in self._members:
            self._members.add(item)
            super().append(item)

    def __contains__(self, item) -> bool:
        return item in self._members


def _semantics():
    from owlrl import OWLRL_Semantics

    class Semantics(OWLRL_Semantics):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.bnodes = _Members()

    return Semantics


def owl_rl_closure(graph: Graph) -> tuple[Graph, list[str]]:
    """The OWL RL closure of ``graph`` (a new graph) and owlrl's inconsistency messages."""
    from owlrl import DeductiveClosure

    closure = Graph()
    for triple in graph:
        closure.add(triple)
    DeductiveClosure(_semantics(), axiomatic_triples=False, datatype_axioms=False).expand(closure)
    messages = sorted(str(m) for m in closure.objects(None, _ERR.error))
    for node in list(closure.subjects(None, _ERR.ErrorMessage)):
        closure.remove((node, None, None))
    return closure, messages


def inferred(graph: Graph) -> Graph:
    """What the OWL RL closure adds to ``graph``, without its trivia: statements about
    literals (not RDF), reflexive owl:sameAs, and membership of owl:Thing."""
    closure, _ = owl_rl_closure(graph)
    out = Graph()
    for s, p, o in closure:
        if isinstance(s, Literal) or (s, p, o) in graph:
            continue
        if (p == OWL.sameAs and s == o) or (p == RDF.type and o == OWL.Thing):
            continue
        out.add((s, p, o))
    return out
