"""Strict parsing of Turtle files into rdflib graphs.

pyoxigraph's parser follows the W3C grammar to the letter (an IRI with a space in it
is an error, with line and column) and is fast; rdflib is what pyshacl and owlrl work
on. So files are parsed by pyoxigraph, their literals checked against the lexical
spaces of their datatypes, and the triples handed to rdflib.
"""

from __future__ import annotations

import hashlib
import logging
import re
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from realpolitik.errors import RealpolitikError
from realpolitik.rdf.literals import RDF_LANGSTRING, XSD, lexical_error
from realpolitik.rdf.positions import FilePositions, scan

XSD_STRING = XSD + "string"
# Turtle allows these in a literal; XML 1.0 does not, so no release could be written.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# pyoxigraph's parser holds one token (a literal, an IRI) in a buffer of at most 16 MiB.
TOKEN_TOO_LONG = "a literal or IRI longer than the parser's 16 MiB buffer, far past the longest literal accepted"


class InputError(RealpolitikError):
    """A file that cannot be read as the dataset requires: says what and where."""

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None):
        self.file, self.message, self.line, self.column = file, message, line, column
        where = file if line is None else f"{file}:{line}:{column or 1}"
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedFile:
    path: Path
    display: str
    text: str
    triples: list = field(repr=False)

    @cached_property
    def positions(self) -> FilePositions:
        try:
            return scan(self.text)
        except (RecursionError, ValueError):  # nesting too deep to walk: positions unknown
            return FilePositions()


# pyoxigraph's label for a blank node written [ ... ]: a random 128-bit number in hex,
# leading zeros dropped (shorter than 24 digits once in four billion).
_GENERATED = re.compile(r"[0-9a-f]{24,32}")


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


class _TermConverter:
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
        if isinstance(term, ox.BlankNode):
            out = BNode(self.labels(term.value))
            if self.labels is str:  # labels read from a store are final: kept like IRIs
                self.cache[term] = out
            return out
        if isinstance(term, ox.NamedNode):
            out = URIRef(term.value)
        else:
            datatype = term.datatype.value
            # normalize=False: "+07"^^xsd:integer stays as written, not "7".
            if term.language:
                out = Literal(term.value, lang=term.language)
            elif datatype == XSD_STRING:
                out = Literal(term.value)
            else:
                out = Literal(term.value, datatype=URIRef(datatype), normalize=False)
        self.cache[term] = out
        return out


def to_ox(term):
    """An rdflib term as a pyoxigraph term (blank node labels kept): the inverse of _TermConverter."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is None or str(term.datatype) == XSD_STRING:
        return ox.Literal(str(term))
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))


def _decode(path: Path, display: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(display, f"not UTF-8 (byte 0x{data[exc.start]:02x})", line, column) from None
    return text[1:] if text.startswith("\ufeff") else text


def _syntax_message(exc: SyntaxError) -> str:
    message = str(exc.msg if hasattr(exc, "msg") else exc)
    # "Parser error at line 2 between columns 11 and 26: Invalid IRI code point ' ' (line 2)"
    if ": " in message and message.startswith("Parser error"):
        message = message.split(": ", 1)[1]
    if message.endswith(")") and " (line " in message:
        message = message[: message.rfind(" (line ")]
    return message


def parse_turtle(
    path: Path, display: str | None = None, convert: _TermConverter | None = None, quads_to=None
) -> ParsedFile:
    """Parse one Turtle file strictly; raise InputError saying what and where.
    ``quads_to(path, quads)``, if given, also receives pyoxigraph's quads of a file that
    parsed (cache.MemoryStore.add, say)."""
    from realpolitik import limits

    from realpolitik.inputs import Refused, read_regular

    display = display or str(path)
    try:  # a regular file only, never a link, device or FIFO (realpolitik.inputs)
        data = read_regular(path, limits.max_file_bytes())
    except Refused as exc:
        message = str(exc)
        raise InputError(display, "is a directory, not a Turtle file" if message.startswith("is a directory") else message) from None
    text = _decode(path, display, data)
    try:
        quads = list(ox.parse(text, format=ox.RdfFormat.TURTLE, rename_blank_nodes=False))
    except SyntaxError as exc:
        raise InputError(display, _syntax_message(exc), exc.lineno, exc.offset) from None
    except ValueError as exc:  # pyoxigraph reports some input errors as ValueError
        raise InputError(display, str(exc)) from None
    except MemoryError:  # one token past the parser's 16 MiB buffer
        raise InputError(display, f"{TOKEN_TOO_LONG} (REALPOLITIK_MAX_LITERAL_CHARS)") from None

    parsed = ParsedFile(path, display, text, [])
    _check_literals(parsed, quads)
    if quads_to is not None:
        quads_to(path, quads)
    convert = convert or _TermConverter()
    convert.new_file(path)
    rdflib_logger = logging.getLogger("rdflib.term")
    level = rdflib_logger.level
    rdflib_logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed.triples = [(convert(q.subject), convert(q.predicate), convert(q.object)) for q in quads]
    finally:
        rdflib_logger.setLevel(level)
    return parsed


def _check_literals(parsed: ParsedFile, quads) -> None:
    from realpolitik import limits

    longest = limits.max_literal_chars()
    bad = None
    for quad in quads:
        obj = quad.object
        if isinstance(obj, ox.Literal) and len(obj.value) > longest:
            _fail_at_literal(
                parsed,
                obj.value,
                f"a literal of {len(obj.value):,} characters, more than the limit of {longest:,} (REALPOLITIK_MAX_LITERAL_CHARS)",
            )
        if isinstance(obj, ox.Literal) and (control := _FORBIDDEN_CHARACTER.search(obj.value)):
            _fail_at_literal(
                parsed,
                obj.value,
                f"a literal holds the character U+{ord(control.group()):04X}, which XML (and so RDF/XML) cannot carry",
            )
        if isinstance(obj, ox.Literal) and obj.datatype.value not in (XSD_STRING, RDF_LANGSTRING):
            if lexical_error(obj.value, obj.datatype.value):
                bad = obj
                break
    if bad is None:
        return
    # Only now pay for positions: find where the first ill-typed literal is written.
    for literal in parsed.positions.literals:
        reason = lexical_error(literal.lexical, literal.datatype)
        if reason:
            raise InputError(parsed.display, reason, literal.position.line, literal.position.column)
    raise InputError(parsed.display, lexical_error(bad.value, bad.datatype.value))


def _fail_at_literal(parsed: ParsedFile, value: str, message: str):
    where = next((lit.position for lit in parsed.positions.literals if lit.lexical == value), None)
    raise InputError(parsed.display, message, where.line if where else None, where.column if where else None)


def to_graph(files: list[ParsedFile], graph: Graph | None = None) -> Graph:
    graph = graph if graph is not None else Graph()
    # Into the store itself: Graph.add first checks each term's class (three abstract
    # class checks a statement, 1 s for a million), and the parser's terms need none.
    add = graph.store.add
    for parsed in files:
        for triple in parsed.triples:
            add(triple, graph)
    return graph


def data_graph() -> Graph:
    """An empty graph for the data to be checked: rdflib's SimpleMemory store, which
    keeps no contexts (a plain graph needs none) and takes a million statements in
    2.8 s where the default store takes 7."""
    from rdflib.plugins.stores.memory import SimpleMemory

    return Graph(store=SimpleMemory())


def new_converter() -> _TermConverter:
    return _TermConverter()


def store_converter() -> _TermConverter:
    """pyoxigraph terms read back from a store to rdflib terms: the store's blank-node
    labels are already the parser's (see BlankLabels), so they are kept as they are."""
    convert = _TermConverter()
    convert.labels = str
    return convert
