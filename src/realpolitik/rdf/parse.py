"""Turtle files into rdflib graphs, through the one reader (realpolitik.rdf.reader).

rdflib is what pyshacl and owlrl work on: a file read strictly by the reader gives its
triples as rdflib terms, and ``to_graph`` puts them into a graph.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from realpolitik.rdf.reader import TOKEN_TOO_LONG, InputError, Limits, ParsedFile, Reader
from realpolitik.store.terms import BlankLabels, TermConverter, blank_label, file_scope, store_converter, to_ox

# Read here by the names they had before the reader and the store package held them.
__all__ = [
    "TOKEN_TOO_LONG", "BlankLabels", "InputError", "Limits", "ParsedFile", "Reader", "TermConverter", "blank_label",
    "data_graph", "file_scope", "new_converter", "parse_turtle", "store_converter", "to_graph", "to_ox",
]


def parse_turtle(
    path: Path, display: str | None = None, convert: TermConverter | None = None, quads_to=None
) -> ParsedFile:
    """Parse one Turtle file strictly (``Reader.read``), its triples made at once; raise
    InputError saying what and where. ``quads_to(path, quads)``, if given, also receives
    the parser's quads of a file that parsed (a ``realpolitik.store.dataset.Filling``,
    say); they are not kept, so a caller holding every file's triples does not hold the
    statements twice."""
    reader = Reader()
    if convert is not None:
        reader.convert = convert
    parsed = reader.read(path, display or str(path))
    if quads_to is not None:
        quads_to(path, parsed.quads)
    parsed.triples  # noqa: B018  (made now, while the quads are at hand)
    parsed.quads = []
    return parsed


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


def new_converter() -> TermConverter:
    return TermConverter()
