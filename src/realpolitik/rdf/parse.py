"""Strict parsing of Turtle files into rdflib graphs.

pyoxigraph's parser follows the W3C grammar to the letter (an IRI with a space in it
is an error, with line and column) and is fast; rdflib is what pyshacl and owlrl work
on. So files are parsed by pyoxigraph, their literals checked against the lexical
spaces of their datatypes, and the triples handed to rdflib.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from realpolitik.rdf.literals import RDF_LANGSTRING, XSD, lexical_error
from realpolitik.rdf.positions import FilePositions, scan

XSD_STRING = XSD + "string"


class InputError(Exception):
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
        return scan(self.text)


class _TermConverter:
    """pyoxigraph terms to rdflib terms, with a cache: IRIs repeat a lot."""

    def __init__(self):
        self.cache: dict = {}

    def __call__(self, term):
        cached = self.cache.get(term)
        if cached is not None:
            return cached
        if isinstance(term, ox.NamedNode):
            out = URIRef(term.value)
        elif isinstance(term, ox.BlankNode):
            out = BNode(term.value)
        else:
            datatype = term.datatype.value
            if term.language:
                out = Literal(term.value, lang=term.language)
            elif datatype == XSD_STRING:
                out = Literal(term.value)
            else:
                out = Literal(term.value, datatype=URIRef(datatype))
        self.cache[term] = out
        return out


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


def parse_turtle(path: Path, display: str | None = None, convert: _TermConverter | None = None) -> ParsedFile:
    """Parse one Turtle file strictly; raise InputError saying what and where."""
    display = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(display, "no such file") from None
    except IsADirectoryError:
        raise InputError(display, "is a directory, not a Turtle file") from None
    except OSError as exc:
        raise InputError(display, f"cannot read: {exc.strerror or exc}") from None
    text = _decode(path, display, data)
    try:
        quads = list(ox.parse(text, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True))
    except SyntaxError as exc:
        raise InputError(display, _syntax_message(exc), exc.lineno, exc.offset) from None
    except ValueError as exc:  # pyoxigraph reports some input errors as ValueError
        raise InputError(display, str(exc)) from None

    parsed = ParsedFile(path, display, text, [])
    _check_literals(parsed, quads)
    convert = convert or _TermConverter()
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
    bad = None
    for quad in quads:
        obj = quad.object
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


def to_graph(files: list[ParsedFile], graph: Graph | None = None) -> Graph:
    graph = graph if graph is not None else Graph()
    for parsed in files:
        for triple in parsed.triples:
            graph.add(triple)
    return graph


def new_converter() -> _TermConverter:
    return _TermConverter()
