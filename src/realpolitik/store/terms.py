"""Terms as pyoxigraph holds them, and as rdflib does: the conversion both ways, the
blank-node labels a file's nodes get, and the parser's reading of Turtle into quads."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from realpolitik.store.engine import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse
from rdflib import BNode, URIRef
from rdflib import Literal as RdfLiteral

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# pyoxigraph's label for a blank node written [ ... ]: a random 128-bit number in hex,
# leading zeros dropped (shorter than 24 digits once in four billion).
_GENERATED = re.compile(r"[0-9a-f]{24,32}")


def parse_turtle_quads(text: str) -> list:
    """The quads of a Turtle document, blank nodes as the parser labels them. SyntaxError
    (with line and column), ValueError, or MemoryError (one token past the parser's
    16 MiB buffer) for what cannot be read."""
    return list(parse(text, format=RdfFormat.TURTLE, rename_blank_nodes=False))


def file_scope(path: Path) -> str:
    """A blank node's scope: the same for a file wherever it is read (here, or into the
    store cache), so that both name its blank nodes alike."""
    return hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:12]


class BlankLabels:
    """Blank-node labels of one file, scoped to it: ``_:c`` becomes ``c_<scope>``, and a
    node written ``[ ... ]`` (pyoxigraph labels it at random) ``<n>_<scope>x`` in order of
    appearance, so two reads of a file give the same labels. A scope is hexadecimal, so
    the trailing ``x`` marks an unlabelled node and no written label can collide with it."""

    def __init__(self, scope: str):
        self.scope = scope
        self.unlabelled: dict[str, int] = {}

    def __call__(self, value: str) -> str:
        if _GENERATED.fullmatch(value):
            number = self.unlabelled.setdefault(value, len(self.unlabelled) + 1)
            return f"{number}_{self.scope}x"
        return f"{value}_{self.scope}"


def blank_label(node) -> str:
    """The label a blank node was written with (``_:c``), without its file scope;
    ``[]`` for one written without a label."""
    text = str(node)
    if text.endswith("x") and "_" in text:
        return "[]"
    return "_:" + text.rsplit("_", 1)[0]


def in_graph(quads: list, graph: NamedNode, path: Path) -> tuple[list, set]:
    """A file's parsed quads in ``graph``, its blank nodes labelled as the reader's
    triples label them (BlankLabels), so findings on the store and on parsed files name
    the same nodes; and its literals that a store may keep in another form (see
    ``realpolitik.store.dataset.rewritten``)."""
    labels = BlankLabels(file_scope(path))
    blank, literal, quad_of = BlankNode, Literal, Quad
    out, typed = [], set()
    for quad in quads:
        subject, obj = quad.subject, quad.object
        if type(subject) is blank:
            subject = blank(labels(subject.value))
        if type(obj) is blank:
            obj = blank(labels(obj.value))
        elif type(obj) is literal and obj.datatype.value not in _KEPT_AS_WRITTEN:
            typed.add(obj)
        out.append(quad_of(subject, quad.predicate, obj, graph))
    return out, typed


_KEPT_AS_WRITTEN = {XSD_STRING, "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


class TermConverter:
    """pyoxigraph terms to rdflib terms, with a cache: IRIs repeat a lot.

    A blank-node label names a node in its own file only, so each file's labels get a
    scope (see BlankLabels): ``_:c`` in two files are two nodes."""

    def __init__(self):
        self.cache: dict = {}
        self.labels = BlankLabels("0")

    def new_file(self, path: Path) -> None:
        self.labels = BlankLabels(file_scope(path))

    def __call__(self, term):
        cached = self.cache.get(term)
        if cached is not None:
            return cached
        if isinstance(term, BlankNode):
            out = BNode(self.labels(term.value))
            if self.labels is str:  # labels read from a store are final: kept like IRIs
                self.cache[term] = out
            return out
        if isinstance(term, NamedNode):
            out = URIRef(term.value)
        else:
            datatype = term.datatype.value
            # normalize=False: "+07"^^xsd:integer stays as written, not "7".
            if term.language:
                out = RdfLiteral(term.value, lang=term.language)
            elif datatype == XSD_STRING:
                out = RdfLiteral(term.value)
            else:
                out = RdfLiteral(term.value, datatype=URIRef(datatype), normalize=False)
        self.cache[term] = out
        return out


def store_converter() -> TermConverter:
    """pyoxigraph terms read back from a store to rdflib terms: the store's blank-node
    labels are already the parser's (see BlankLabels), so they are kept as they are."""
    convert = TermConverter()
    convert.labels = str
    return convert


def to_ox(term):
    """An rdflib term as a pyoxigraph term (blank node labels kept): the inverse of TermConverter."""
    if isinstance(term, URIRef):
        return NamedNode(str(term))
    if isinstance(term, BNode):
        return BlankNode(str(term))
    if term.language:
        return Literal(str(term), language=term.language)
    if term.datatype is None or str(term.datatype) == XSD_STRING:
        return Literal(str(term))
    return Literal(str(term), datatype=NamedNode(str(term.datatype)))


def sparql_term(term) -> str:
    """An rdflib term as SPARQL writes it."""
    return str(to_ox(term))
