"""Named and ad-hoc SPARQL queries, on the embedded store or a remote endpoint.

>>> import realpolitik
>>> rows = realpolitik.query("transfers", recipient="Iran")
>>> sorted({row["statusName"] for row in rows})
['declined', 'delivered', 'reported']
"""

from __future__ import annotations

import re

from realpolitik.namespaces import PREFIXES
from realpolitik.querying.backends import Embedded, QueryError, QueryStopped, QuerySyntaxError, Remote, Result, embedded
from realpolitik.querying.catalog import CatalogError, NamedQuery, checks, get, named
from realpolitik.querying.params import ParamError, bind, substitute
from realpolitik.querying.results import rows_as_dicts, sort_key

__all__ = [
    "CatalogError", "Embedded", "NamedQuery", "ParamError", "QueryError", "QueryStopped", "QuerySyntaxError",
    "Remote", "Result",
    "backend", "checks", "get", "named", "run_named", "run_sparql", "query", "sparql",
]


def backend(endpoint: str | None = None, root=None, timeout: float = 60.0):
    return Remote(endpoint, timeout) if endpoint else embedded(root)


def run_named(name: str, params: dict | None = None, *, on=None, limit: int | None = None) -> Result:
    """Run the named query ``name`` with ``params`` (names to raw values) on ``on`` (a
    backend; the embedded store of the shipped dataset by default)."""
    query = get(name)
    on = on or backend()
    given = {k: v for k, v in (params or {}).items() if v is not None}
    bound = bind(query, given, on)
    result = _indexed(query, bound, on) or on.select(substitute(query.text, bound))
    result = _sorted_lists(result, query.lists)
    return _finish(result, ordered=True, limit=limit)


def _indexed(query: NamedQuery, bound: dict, on) -> Result | None:
    """``search`` answered from the cache's text index (querying.text_index), where
    there is one: the query's own rows."""
    opened = getattr(on, "opened", None)
    if query.name != "search" or opened is None or opened.folder is None:
        return None
    from realpolitik.querying import text_index
    from realpolitik.store import engine as ox

    every = substitute(query.text, {"text": ox.Literal("")})
    found = text_index.search(opened, every, bound["text"].value)
    return None if found is None else Result(*found)


def _sorted_lists(result: Result, lists) -> Result:
    """Items of "a; b" list columns in a stable order, whatever the store's; a list with
    no item is "" (Oxigraph leaves a GROUP_CONCAT of only unbound values unbound, where
    rdflib and other engines give the empty string)."""
    from realpolitik.store import engine as ox

    columns = [i for i, v in enumerate(result.variables) if v in lists]
    if not columns:
        return result
    rows = []
    for row in result.rows:
        row = list(row)
        for i in columns:
            term = row[i]
            if term is None:
                row[i] = ox.Literal("")
            elif isinstance(term, ox.Literal):
                row[i] = ox.Literal("; ".join(sorted(term.value.split("; "))), language=term.language) if term.language \
                    else ox.Literal("; ".join(sorted(term.value.split("; "))), datatype=term.datatype)
        rows.append(tuple(row))
    return Result(result.variables, rows)


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def with_prefixes(text: str) -> str:
    """The query with the project's prefixes declared, where it does not declare them."""
    declared = {m.group(1) for m in re.finditer(r"\bPREFIX\s+([\w-]*):", text, re.IGNORECASE)}
    missing = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared)
    return missing + text


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def run_sparql(text: str, *, on=None, limit: int | None = None, allow_network: bool = False,
               seconds: float | None = None, memory_mb: int | None = None) -> Result:
    """Run an ad-hoc SELECT query, with the project's prefixes declared. It may not
    write, may not reach the network (SERVICE) unless ``allow_network``, and on the
    embedded store runs in a child process bounded in time and memory."""
    from realpolitik import limits
    from realpolitik.querying import guard

    query = with_prefixes(text)
    guard.check(query, allow_network)  # from the parse: no update, no SERVICE
    on = on or backend()
    if isinstance(on, Embedded):
        result = on.select_bounded(query, seconds or limits.query_seconds(), memory_mb or limits.query_memory_mb())
    else:
        result = on.select(query)
    return _finish(result, ordered=bool(_ORDER_BY.search(_strip_comments(text))), limit=limit)


def _finish(result: Result, ordered: bool, limit: int | None) -> Result:
    rows = result.rows if ordered else sorted(result.rows, key=sort_key)
    if limit is not None:
        rows = rows[: max(0, limit)]
    return Result(result.variables, rows)


def query(name: str, *, endpoint: str | None = None, limit: int | None = None, root=None, **params) -> list[dict]:
    """Rows of a named query as dicts, e.g. ``realpolitik.query("agreements", actor="Russia")``."""
    return rows_as_dicts(run_named(name, params, on=backend(endpoint, root), limit=limit))


def sparql(text: str, *, endpoint: str | None = None, limit: int | None = None, root=None,
           allow_network: bool = False) -> list[dict]:
    """Rows of an ad-hoc SELECT query as dicts; the project's prefixes are declared."""
    return rows_as_dicts(run_sparql(text, on=backend(endpoint, root), limit=limit, allow_network=allow_network))
