"""pyoxigraph, the engine that holds the dataset in memory and on disk: its store,
terms, parsers, serializers and query results, as the rest of the package names them
(``from realpolitik.store import engine as ox``). No other module imports pyoxigraph."""

from __future__ import annotations

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    Variable,
    parse,
    parse_query_results,
    serialize,
)
from pyoxigraph import __version__ as VERSION

try:  # what an ASK query answers: a bool before pyoxigraph 0.5
    from pyoxigraph import QueryBoolean
except ImportError:  # pragma: no cover
    QueryBoolean = bool

__all__ = [
    "BlankNode", "CanonicalizationAlgorithm", "Dataset", "DefaultGraph", "Literal", "NamedNode", "Quad",
    "QueryBoolean", "QueryResultsFormat", "QuerySolutions", "RdfFormat", "Store", "Triple", "VERSION", "Variable", "parse",
    "parse_query_results", "serialize",
]
