"""What a data file may say: about its own nodes, not the schema's or another file's.

- **Schema.** The ontology defines the terms: a data file may not add to an ontology
  term (``rp:supplier rdfs:domain rp:Person``), state schema axioms (``rdfs:subClassOf``,
  ``owl:equivalentClass``, a type such as ``owl:TransitiveProperty``) or merge nodes
  with ``owl:sameAs``. Such statements would change what every other file means, so they
  are refused here and left out of reasoning (realpolitik.reasoning would otherwise
  hand a redefined ontology to its slow reference engine).
- **Another file's node.** A node is described by the file that types it. Another file
  may add to it only the properties the shapes list under ``rpsh:mayAdd`` (a date an
  article observes, a link between claims of two sources); a claimant or a stance
  grafted onto another source's claim is reported where the graft is written.
- **Repeats.** A statement another file already makes is reported in the later file:
  it adds nothing and multiplies the rows of every query that joins through it.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from realpolitik.namespaces import RP, RPSH, curie
from realpolitik.rdf.parse import ParsedFile
from realpolitik.validation.findings import Finding, at
from realpolitik.validation.locate import Locator

_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
# The schema vocabulary a data file may use: typing, lists, labels and comments.
DATA_VOCABULARY = frozenset(
    {RDF.type, RDF.first, RDF.rest, RDF.value, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy}
)
_MERGES = frozenset({OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty})
_TYPES = frozenset({RDF.type})


def _builtin(term) -> bool:
    return type(term) is URIRef and str.startswith(term, _BUILTIN)


def schema_problem(s, p, o, terms: set) -> str | None:
    """Why a data file may not make this statement, or None if it may."""
    if s in terms or _builtin(s):
        return f"{curie(str(s))} is defined by the ontology: a data file may not add to it"
    if p in _MERGES:
        return (f"{curie(str(p))} would make {_show(s)} and {_show(o)} one: a data file may not merge nodes "
                "(one IRI per thing; rp:wikidata links to Wikidata)")
    if _builtin(p) and p not in DATA_VOCABULARY:
        return f"{curie(str(p))} is schema vocabulary: a data file may not state it (the ontology defines the schema)"
    if p in _TYPES and _builtin(o):
        return f"typing {_show(s)} as {curie(str(o))} declares schema: a data file may not (the ontology defines the schema)"
    return None


def schema_statements(statements, terms: set) -> list:
    """The statements among ``statements`` a data file may not make about the schema.
    Decided from the distinct subjects, predicates and types first (a million statements
    hold a few hundred thousand subjects and a few dozen predicates)."""
    subjects = {s for s, _, _ in statements}
    predicates = {p for _, p, _ in statements}
    types = {o for _, p, o in statements if p in _TYPES}
    bad_subjects = {s for s in subjects if s in terms or _builtin(s)}
    bad_predicates = {p for p in predicates if p in _MERGES or (_builtin(p) and p not in DATA_VOCABULARY)}
    bad_types = {o for o in types if _builtin(o)}
    if not (bad_subjects or bad_predicates or bad_types):
        return []
    return [(s, p, o) for s, p, o in statements
            if s in bad_subjects or p in bad_predicates or (p in _TYPES and o in bad_types)]


def without_schema(statements, terms: set) -> list:
    """The statements with those about the schema removed (they are findings of this
    check, not input to reasoning)."""
    refused = set(schema_statements(statements, terms))
    return [t for t in statements if t not in refused] if refused else statements


def ontology_terms(ontology: Graph) -> set:
    return {s for s in ontology.subjects(unique=True) if isinstance(s, URIRef)}


def may_add(shapes: Graph) -> frozenset:
    """The properties a file may add to a node another file describes (``rpsh:mayAdd``)."""
    return frozenset(shapes.objects(None, URIRef(RPSH + "mayAdd")))


def run(files: list[ParsedFile], ontology: Graph, shapes: Graph, locator: Locator, report_in=None) -> list[Finding]:
    """Findings in the files of ``report_in`` (default: every file), judged against all
    ``files``, in their order: a repeat is reported in the later file. Only the nodes
    that more than one file describes can be grafted onto or repeated."""
    terms, allowed = ontology_terms(ontology), may_add(shapes)
    about_shared, makers = _shared(files, locator)
    order = {id(f): n for n, f in enumerate(files)}
    findings = []

    def finding(parsed, s, p, message):
        position = parsed.positions.statement(str(s), str(p)) or parsed.positions.subject(str(s))
        findings.append(Finding(check="ownership", severity="violation", message=message, **at(parsed, position),
                                focus=curie(str(s)), path=curie(str(p))))

    for parsed in report_in or files:
        schema = set(schema_statements(parsed.triples, terms))
        for s, p, o in schema:
            finding(parsed, s, p, schema_problem(s, p, o, terms))
        for statement in dict.fromkeys(about_shared[id(parsed)]):  # each once, in file order
            s, p, _ = statement
            typed = locator.typed_in(s)
            if statement in schema or (len(typed) > 1 and any(f is parsed for f in typed)):
                continue  # said above, or described twice (the duplicate check says so)
            owner = typed[0] if typed else None
            if parsed is owner:
                continue  # its own node: additions and repeats are reported where they are written
            others = [f for f in makers.get(statement, ()) if f is not parsed]
            earlier = owner if any(f is owner for f in others) else next(
                (f for f in others if order[id(f)] < order[id(parsed)]), None)
            if earlier is not None:
                finding(parsed, s, p, f"repeats a statement of {earlier.display}: state it once")
            elif owner is not None and p not in allowed and (p in terms or not str.startswith(p, RP)):
                # (a property the ontology lacks, such as rp:suplier, is the term check's finding)
                listed = ", ".join(sorted(curie(str(a)) for a in allowed)) or "nothing"
                finding(parsed, s, p, f"{curie(str(s))} is described in {owner.display}: another file may add only "
                                      f"{listed} to it")
    return findings


def repeated(files: list[ParsedFile], locator: Locator) -> list[tuple[ParsedFile, tuple]]:
    """Each statement a file makes that an earlier one (in ``files``' order) made already,
    with the later file: what a store should hold once."""
    _, makers = _shared(files, locator)
    return [(later, statement) for statement, by in makers.items() for later in by[1:]]


def _shared(files: list[ParsedFile], locator: Locator) -> tuple[dict, dict]:
    """Each file's statements about nodes more than one file describes (by id of the
    file), and each such statement without blank nodes -> the files that make it."""
    shared = {s for s, where in locator.described.items() if len(where) > 1 and type(s) is URIRef}
    about_shared = {id(f): [t for t in f.triples if t[0] in shared] for f in files}
    makers: dict = {}
    for parsed in files:
        for statement in dict.fromkeys(about_shared[id(parsed)]):
            if type(statement[2]) is not BNode:  # a blank node is its file's own
                makers.setdefault(statement, []).append(parsed)
    return about_shared, makers


def _show(term) -> str:
    if isinstance(term, Literal):
        return f'"{str(term)[:40]}"'
    return curie(str(term))
