"""Names that do not resolve: ontology terms that do not exist (a typo such as
``rp:suplier``), data IRIs used but never described, and data IRIs described in two
files at once."""

from __future__ import annotations

import difflib

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

from realpolitik.namespaces import RP, RPD, RPV, curie
from realpolitik.rdf.parse import ParsedFile
from realpolitik.validation.findings import Finding, at
from realpolitik.validation.locate import Locator

# Namespaces whose terms are all known: the project's own (defined by the ontology)
# and standard ones with a closed list of terms.
_CLOSED = (RDF, RDFS, OWL, XSD, SKOS, PROV, DCTERMS, SDO, ORG, SH)
_PROJECT = (RP, RPV)
_DECLARED_ELSEWHERE = ("http://www.w3.org/ns/oa#",)


def _namespace_of(iri: str):
    for ns in _PROJECT + _DECLARED_ELSEWHERE:
        if iri.startswith(ns):
            return ns
    for ns in _CLOSED:
        if iri.startswith(str(ns._NS)):
            return ns
    return None


def undefined_terms(files: list[ParsedFile], ontology: Graph) -> list[Finding]:
    defined = {str(s) for s in ontology.subjects() if isinstance(s, URIRef)}
    vocabulary = sorted(t for t in defined if t.startswith(_PROJECT + _DECLARED_ELSEWHERE))
    findings = []
    unknown: dict = {}  # term -> its namespace if the term is not defined there, else None

    def namespace_lacking(term):
        ns = _namespace_of(str(term))
        if ns is None or str(term) in defined or (not isinstance(ns, str) and term in ns):
            return None
        return ns

    for parsed in files:
        reported = set()
        for s, p, o in parsed.triples:
            for term in (s, p, o):
                if type(term) is not URIRef:  # the parser's terms are of rdflib's classes exactly
                    continue
                if term in unknown:
                    ns = unknown[term]
                else:
                    ns = unknown[term] = namespace_lacking(term)
                if ns is None or term in reported:
                    continue
                iri = str(term)
                reported.add(term)
                position = parsed.positions.first_use(iri)
                message = f"{curie(iri)} is not a term of the ontology"
                if isinstance(ns, str):
                    close = difflib.get_close_matches(iri, [t for t in vocabulary if t.startswith(ns)], n=1, cutoff=0.8)
                    if close:
                        message += f" (did you mean {curie(close[0])}?)"
                else:
                    message = f"{curie(iri)} is not a term of {ns._NS}"
                findings.append(
                    Finding(
                        check="term",
                        severity="violation",
                        message=message,
                        **at(parsed, position),
                        value=curie(iri),
                    )
                )
    return findings


def undescribed_iris(files: list[ParsedFile], described: set, locator: Locator) -> list[Finding]:
    """Data IRIs (rpd:) that the data files point at but the data nowhere types
    (``described``: the subjects the data types)."""
    findings = []
    checked = set()
    # The files' lists of statements, not the graph: walking a graph of a million
    # statements takes seconds.
    for parsed in files:
        for s, _, o in parsed.triples:
            for term in (s, o):
                if type(term) is not URIRef or term in checked:  # as in undefined_terms
                    continue
                checked.add(term)
                if term in described or not str(term).startswith(RPD):
                    continue
                where, position = locator.use(term)
                findings.append(
                    Finding(
                        check="undescribed",
                        severity="violation",
                        message=f"{curie(str(term))} is used but never described (it has no rdf:type anywhere)",
                        **at(where, position),
                        focus=curie(str(term)),
                    )
                )
    return findings


def described_twice(locator: Locator, typed: set) -> list[Finding]:
    """A data IRI typed in more than one file (``typed``: the subjects the data types):
    two contributors minted the same IRI, or a shared entity was copied into an article's
    file."""
    findings = []
    for subject in sorted({s for s in typed if isinstance(s, URIRef)}):
        if not str(subject).startswith(RPD):
            continue
        typed = locator.typed_in(subject)
        if len(typed) < 2:
            continue
        first = typed[0]
        for other in typed[1:]:
            position = other.positions.subject(str(subject))
            findings.append(
                Finding(
                    check="duplicate",
                    severity="violation",
                    message=f"{curie(str(subject))} is already described in {first.display}; "
                    "describe it in one file and refer to it from others",
                    **at(other, position),
                    focus=curie(str(subject)),
                )
            )
    return findings


def imports_in_data(files: list[ParsedFile]) -> list[Finding]:
    """owl:imports in a data file: never followed (nothing is fetched), so it says
    something the validation does not do. The ontology's own imports resolve through
    its catalog."""
    findings = []
    imports = frozenset({OWL.imports})  # tested by hash: `p == OWL.imports` is two Python calls
    for parsed in files:
        for s, p, o in parsed.triples:
            if p in imports:
                position = parsed.positions.statement(str(s), str(p))
                findings.append(
                    Finding(
                        check="term",
                        severity="violation",
                        message=f"owl:imports <{o}> is not followed: data files do not import, and nothing is fetched",
                        focus=curie(str(s)),
                        **at(parsed, position),
                    )
                )
    return findings
