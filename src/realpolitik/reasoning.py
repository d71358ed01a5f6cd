"""OWL RL reasoning: the closure of the ontology and the data, and the inconsistencies
in it.

owlrl is the reference; it is pure Python (31 s at 100k triples). ``reasonable`` (Rust)
computes the same closure in a fraction of the time but says nothing about
inconsistencies. The fast engine combines them, and stays exact:

* what is inferred about the ontology's own terms (and RDF, RDFS, OWL, XSD) comes from
  owlrl run on the ontology alone, plus one literal of every datatype the data uses;
* what is inferred about the data's nodes, and what the data adds about the
  ontology's terms, comes from ``reasonable``;
* inconsistencies are found by the rules owlrl applies for the axioms the ontology
  uses (``owl:disjointWith``, ``owl:Nothing``), worded as owlrl words them.

When the data speaks about the ontology's terms or uses schema vocabulary, or the
ontology uses an axiom whose inconsistency rule is not reproduced here, the fast
engine would not be exact, so owlrl runs instead. Tests prove both engines equal on
the shipped data, on synthetic registers with defects and on every inconsistency
fixture. ``REALPOLITIK_REASONER=owlrl`` forces the reference.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from realpolitik import limits
from realpolitik.errors import RealpolitikError

_ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
# Read once: an rdflib namespace's attribute costs a lookup each time, and the loops
# below run a few million times on a 1M register.
_TYPE, _SAME_AS, _THING, _NOTHING = RDF.type, OWL.sameAs, OWL.Thing, OWL.Nothing
_DISJOINT, _STRING = OWL.disjointWith, XSD.string
# `p in _TYPES` tests by hash first: `p == _TYPE` calls rdflib's __eq__ for every statement.
_TYPES, _DISJOINTS, _STRINGS = frozenset({_TYPE}), frozenset({_DISJOINT}), frozenset({_STRING})
_SAME_ASES, _THINGS = frozenset({_SAME_AS}), frozenset({_THING})
_FUNCTIONALS = frozenset({OWL.FunctionalProperty})
_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_WITNESS = "urn:x-realpolitik:datatype-witness:"
# Data may use these schema terms without changing what is inferred about the ontology.
_ANNOTATIONS = {RDF.type, RDF.first, RDF.rest, RDF.value, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy}
# Axioms whose inconsistency rules the fast engine does not reproduce.
_UNSUPPORTED_AXIOMS = {
    OWL.IrreflexiveProperty, OWL.AsymmetricProperty, OWL.AllDisjointClasses, OWL.AllDisjointProperties,
    OWL.AllDifferent, OWL.NegativePropertyAssertion,
}
_UNSUPPORTED_PREDICATES = {
    OWL.propertyDisjointWith, OWL.complementOf, OWL.maxCardinality, OWL.maxQualifiedCardinality,
    OWL.differentFrom, OWL.sourceIndividual, OWL.hasKey,
}


class Unbounded(RealpolitikError):
    """Reasoning that would infer more statements than its budget: said before it runs,
    with the statement where the chains that cost the most begin."""

    def __init__(self, predicate, node, budget: int):
        from realpolitik.namespaces import curie

        self.predicate, self.node, self.budget = predicate, node, budget
        super().__init__(
            f"{curie(str(predicate))} is transitive, and its chains from {curie(str(node))} on would imply more than "
            f"{budget:,} statements, the reasoner's budget for this input (see {limits.INFERRED_PER_STATEMENT})"
        )


def check_budget(ontology: Graph, statements: list) -> None:
    """Raise Unbounded if the closure of the ontology's transitive properties over
    ``statements`` would exceed the budget (limits.max_inferred). Each chain is walked
    until the count passes the budget, so the check costs at most the budget's steps."""
    budget = limits.max_inferred(len(statements))
    transitive = sorted(ontology.subjects(RDF.type, OWL.TransitiveProperty, unique=True))
    feeds: dict = {}  # a property -> the transitive properties its statements are links of
    for prop in transitive:
        for sub in ontology.transitive_subjects(RDFS.subPropertyOf, prop):
            feeds.setdefault(sub, []).append(prop)
    edges: dict = {prop: {} for prop in transitive}  # one pass over the statements for all
    for s, p, o in statements:
        if p in feeds and type(o) is not Literal:
            for prop in feeds[p]:
                edges[prop].setdefault(s, []).append(o)
    total = 0
    for prop in transitive:
        # Every implied statement of the property is implied of each super-property too.
        each = len(set(ontology.transitive_objects(RDFS.subPropertyOf, prop)))
        for start, targets in edges[prop].items():
            reached, pending = set(), list(targets)
            while pending:
                node = pending.pop()
                if node in reached:
                    continue
                reached.add(node)
                total += each
                if total > budget:
                    raise Unbounded(prop, start, budget)
                pending.extend(edges[prop].get(node, ()))


@dataclass
class Reasoned:
    triples: set  # what the closure adds, without trivia (see ``is_trivia``)
    messages: list[str]  # inconsistencies, as owlrl words them, sorted
    engine: str  # "reasonable" or "owlrl"
    fallback: str | None = None  # why owlrl ran, if the fast engine was not asked against

    @cached_property
    def inferred(self) -> Graph:
        """The same, as a graph (built when asked: a million adds take seconds)."""
        graph = Graph()
        for triple in self.triples:
            graph.add(triple)
        return graph


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


def owl_rl_closure(graph: Graph) -> tuple[Graph, list[str]]:
    """The OWL RL closure of ``graph`` by owlrl (a new graph) and owlrl's inconsistency
    messages."""
    from owlrl import DeductiveClosure

    from realpolitik._compat import owl_rl_semantics

    closure = Graph()
    for triple in graph:
        closure.add(triple)
    DeductiveClosure(owl_rl_semantics(_Members), axiomatic_triples=False, datatype_axioms=False).expand(closure)
    messages = sorted(str(m) for m in closure.objects(None, _ERR.error))
    for node in list(closure.subjects(None, _ERR.ErrorMessage)):
        closure.remove((node, None, None))
    return closure, messages


def is_trivia(s, p, o) -> bool:
    """Statements about literals (not RDF), reflexive owl:sameAs, membership of owl:Thing."""
    return isinstance(s, Literal) or (p in _SAME_ASES and s == o) or (p in _TYPES and o in _THINGS)


def reference(ontology: Graph, data, fallback: str | None = None) -> Reasoned:
    """The closure and inconsistencies by owlrl alone (``data``: a graph or statements;
    ``fallback``: why, when the fast engine was meant to run)."""
    merged = _merge(ontology, data)
    closure, messages = owl_rl_closure(merged)
    out = {t for t in closure if t not in merged and not is_trivia(*t)}
    return Reasoned(out, messages, "owlrl", fallback)


def reason(ontology: Graph, data: Graph | None, engine: str | None = None, statements: list | None = None) -> Reasoned:
    """What OWL RL infers from ``ontology`` and ``data`` together, and the inconsistencies
    it finds. ``engine``: "fast" (default, falls back to owlrl where it would not be
    exact, and says why in ``Reasoned.fallback``) or "owlrl"; ``REALPOLITIK_REASONER``
    sets the default. ``statements``: the
    data's statements (repeats allowed), when the caller holds them already (then
    ``data`` may be None). Raises Unbounded, before reasoning, where transitive chains
    would exceed the budget."""
    from realpolitik.settings import current

    asked = engine
    engine = engine or current().reasoner
    # The data is read out of its graph once: each pass over a million statements
    # through rdflib's store costs seconds.
    data_triples = list(data) if statements is None else statements
    if data is None:
        data = data_triples
    check_budget(ontology, data_triples)
    if engine == "owlrl":
        return reference(ontology, data, None if asked else "asked for by REALPOLITIK_REASONER=owlrl")
    terms = _ontology_terms(ontology)
    inexact = _why_not_exact(ontology, data_triples, terms)
    if inexact:
        return reference(ontology, data, inexact)
    try:
        import reasonable
    except ImportError:  # the engine is optional: the reference always works
        return reference(ontology, data, "the reasonable package is not installed")
    from realpolitik.collector import paused

    with paused():
        return _fast(ontology, data_triples, terms, reasonable)


def _merge(*graphs: Graph) -> Graph:
    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


def _is_builtin(node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(_BUILTIN)


def _why_not_exact(ontology: Graph, data: list, terms: set) -> str | None:
    """Why the fast engine would not give owlrl's results here, in one line (None when
    it would)."""
    from realpolitik.namespaces import curie

    for p in sorted(p for p in ontology.predicates(unique=True) if p in _UNSUPPORTED_PREDICATES):
        return f"the ontology uses {curie(str(p))}, whose inconsistency rule the fast engine does not apply"
    for o in sorted(o for o in ontology.objects(None, RDF.type, unique=True) if o in _UNSUPPORTED_AXIOMS):
        return f"the ontology uses {curie(str(o))}, whose inconsistency rule the fast engine does not apply"
    for s in sorted({s for s, _, _ in data if s in terms or _is_builtin(s)}):
        return f"the data makes statements about the term {curie(str(s))}"
    for p in sorted({p for _, p, _ in data if _is_builtin(p) and p not in _ANNOTATIONS}):
        return f"the data uses the schema property {curie(str(p))}"
    for o in sorted({o for _, p, o in data if p in _TYPES and _is_builtin(o)}):
        return f"the data types a node as {curie(str(o))}"
    return None


def _ontology_terms(ontology: Graph) -> set:
    return set(ontology.subjects(unique=True)) | set(ontology.objects(unique=True))


def _fast(ontology: Graph, data: list, terms: set, reasonable) -> Reasoned:

    def about_ontology(node) -> bool:
        return node in terms or _is_builtin(node) or str(node).startswith(_WITNESS)

    # The ontology's side: owlrl on the ontology and one literal of each datatype in use
    # (owlrl states facts about the datatypes that literals use).
    witnessed = _merge(ontology)
    datatypes = {}
    for _, _, o in data:
        if type(o) is Literal and o.datatype is not None:
            datatypes.setdefault(o.datatype, o)
    for i, (_, literal) in enumerate(sorted(datatypes.items())):  # sorted: the cache key is stable
        witnessed.add((URIRef(f"{_WITNESS}{i}"), RDF.value, literal))
    side = _ontology_side(witnessed, reasonable)
    functional = {s for s, p, o in side.closure if p == RDF.type and o == OWL.FunctionalProperty}

    # Plain sets of triples from here: rdflib graphs cost more than the reasoning.
    asserted = set(data)  # then updated, not a union: two sets of millions would be held at once
    asserted.update(ontology)
    out = {t for t in side.closure if about_ontology(t[0]) and not str(t[0]).startswith(_WITNESS)}
    out = {t for t in out if t not in asserted and not is_trivia(*t)}

    # The data's side: reasonable on everything. What it says about the ontology's terms
    # counts only where the data made the difference (a range typing a vocabulary
    # concept used with the wrong property, say): the rest is owlrl's above.
    # reasonable's rule for functional properties needs gigabytes (1.7 GB at 100k
    # triples, 0.4 GB without it). It only infers owl:sameAs between two values of one
    # functional property, so it is left out, and put back only where some node has two.
    closure = _reasonable_closure(reasonable, asserted, leaving_out=functional)
    without_data = side.lean
    if functional and _two_values(closure, functional):
        closure, without_data = _reasonable_closure(reasonable, asserted), side.full
    for s, p, o in closure:
        if (s, p, o) in asserted or is_trivia(s, p, o):
            continue
        if about_ontology(s) and (str(s).startswith(_WITNESS) or (s, p, o) in without_data):
            continue
        out.add((s, p, o))
    disjoint = [(c1, c2) for c1, p, c2 in side.closure if p == OWL.disjointWith]
    return Reasoned(out, _inconsistencies(disjoint, asserted, out), "reasonable")


_SIDE_FORMAT = "2"  # changed whenever what is cached is computed differently


@dataclass
class _OntologySide:
    closure: set  # owlrl's closure of the ontology and the datatype witnesses
    lean: set  # reasonable's closure of them without the owl:FunctionalProperty statements
    full: set  # reasonable's closure of them all


def _ontology_side(witnessed: Graph, reasonable) -> _OntologySide:
    """What the ontology alone entails, read from the cache when this ontology (with the
    same datatypes in use) was reasoned over before: owlrl takes most of a second on it,
    and a contribution is validated many times a day."""
    import hashlib
    import pickle

    from realpolitik import cache

    # The witnesses' values do not matter (what is said about them is dropped): their
    # datatypes do, and they are in the statements' N3.
    lines = sorted(f"{s.n3()} {p.n3()} {o.datatype if isinstance(o, Literal) and str(s).startswith(_WITNESS) else o.n3()}"
                   for s, p, o in witnessed)
    key = hashlib.sha256("\n".join([_SIDE_FORMAT, *lines]).encode()).hexdigest()[:32]
    base = cache.base_dir()
    path = base / "ontology-closures" / f"{key}.pickle" if base else None
    if path and path.is_file():
        try:
            with path.open("rb") as f:
                return pickle.load(f)
        except Exception:  # unreadable or from another version: computed again below
            pass
    closure, _ = owl_rl_closure(witnessed)
    functional = {s for s in closure.subjects(RDF.type, OWL.FunctionalProperty)}
    schema = set(witnessed)
    side = _OntologySide(set(closure), set(_reasonable_closure(reasonable, schema, leaving_out=functional)),
                         set(_reasonable_closure(reasonable, schema)))
    if path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(f"{path.name}.{os.getpid()}.part")
            with part.open("wb") as f:
                pickle.dump(side, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(part, path)
        except OSError:  # a read-only cache only costs time
            pass
    return side


def _two_values(closure, functional: set) -> bool:
    seen: dict = {}
    for s, p, o in closure:
        if p in functional and seen.setdefault((s, p), o) != o:
            return True
    return False


def _reasonable_closure(reasonable, triples, leaving_out=frozenset()) -> list:
    """reasonable's closure of ``triples``, without the statements that the properties
    in ``leaving_out`` are functional (see _fast); its terms are the input's own objects
    where they are equal (see _SharedTerms)."""
    # Without owl:disjointWith: reasonable's cax-dw pairs every member of one class with
    # every member of the other (16,000 each: 7 s and 3 GB; a 1M register: 56 s and
    # 20 GB). It only ever concludes an inconsistency, which _inconsistencies finds.
    read_as: dict = {}  # term -> what reasonable reads for it (see _READ_AS)

    def readable(term):
        kind = _READ_AS.get(type(term))
        found = read_as[term] = term if kind is None else kind(term)
        return found

    known = read_as.get
    # Tested by hash, predicate first: a literal object's hash is a Python call.
    handed = [
        (known(s) or readable(s), known(p) or readable(p), o if type(o) is Literal else known(o) or readable(o))
        for s, p, o in triples
        if p not in _DISJOINTS and not (p in _TYPES and s in leaving_out and o in _FUNCTIONALS)
    ]
    engine = reasonable.PyReasoner()
    engine.from_graph(handed)
    shared = _SharedTerms([*read_as, *{o for _, _, o in handed if type(o) is Literal}])
    del handed
    with shared:
        closure = engine.reason()  # a list
    # Rewritten in place: a copy of a closure of millions of statements costs hundreds of MB.
    for i, (s, p, o) in enumerate(closure):
        if type(o) is Literal and o.datatype in _STRINGS:  # reasonable writes plain strings typed
            closure[i] = (s, p, Literal(str(o)))
    return closure


# reasonable reads a term by its class's name, then asks it for ``datatype`` and
# ``language``: an rdflib IRI or blank node has neither, and each failed lookup raises
# and drops an AttributeError (2 s of 3 for a 1M register's million statements). It is
# handed plain strings of classes so named, where both are None.
_READ_AS = {
    URIRef: type("URIRef", (str,), {"__slots__": (), "datatype": None, "language": None}),
    BNode: type("BNode", (str,), {"__slots__": (), "datatype": None, "language": None}),
}


class _SharedTerms:
    """reasonable builds each term of its output by calling ``rdflib.URIRef`` (or
    ``Literal``, ``BNode``) anew: 3.4 million calls, 7.7 s of 11 s on a 1M register, and
    terms equal to the input's but not the same objects, so that every set lookup after
    calls rdflib's ``__eq__`` (9 million calls). Inside ``with``, the ``rdflib`` that
    reasonable imports is a stand-in whose constructors hand back the input's own term
    where there is one, and build each other term once. The real module is never
    changed, and is back in place when the block ends."""

    def __init__(self, terms):
        """``terms``: the input's distinct terms."""
        self.uris, self.blanks, self.literals = {}, {}, {}
        for term in terms:
            kind = type(term)
            if kind is Literal:
                self.literals.setdefault(_construction(term), term)
            elif kind is URIRef:
                self.uris[(str(term),)] = term
            else:
                self.blanks[(str(term),)] = term

    def __enter__(self):
        from realpolitik._compat import rdflib_module_replaced

        def shared(make, built: dict):
            def term(*args):
                found = built.get(args)
                if found is None:
                    found = built[args] = make(*args)
                return found

            return term

        self.replaced = rdflib_module_replaced(
            {"URIRef": shared(URIRef, self.uris), "BNode": shared(BNode, self.blanks), "Literal": shared(Literal, self.literals)}
        )
        self.replaced.__enter__()
        return self

    def __exit__(self, *exc):
        return self.replaced.__exit__(*exc)


def _construction(literal: Literal) -> tuple:
    """The arguments reasonable builds ``literal`` from: plain strings come back typed
    xsd:string (and are made plain again by the caller), language tags lowercased."""
    if literal.language:
        return (str(literal), literal.language.lower(), None)
    return (str(literal), None, str(literal.datatype or _STRING))


def _inconsistencies(disjoint: list, *closure) -> list[str]:
    """owlrl's cax-dw and cls-nothing2, on the whole closure (given in parts)."""
    members: dict = {}
    for part in closure:
        for s, p, c in part:
            if p in _TYPES:
                members.setdefault(c, set()).add(s)
    messages = set()
    for c1, c2 in disjoint:
        for x in members.get(c1, set()) & members.get(c2, set()):
            messages.add(f"Disjoint classes {c1} and {c2} have a common individual {x}")
    for x in members.get(_NOTHING, ()):
        messages.add(f"{x} is defined of type 'Nothing'")
    return sorted(messages)


__all__ = ["Reasoned", "Unbounded", "check_budget", "is_trivia", "owl_rl_closure", "reason", "reference"]
