"""SPARQL-based constraints (SHACL 5): sh:sparql, each query run once for all focus
nodes where they are many."""

from __future__ import annotations

from realpolitik import _compat as compat

# Above this many focus nodes, a SPARQL constraint runs once for all: with $this bound, a
# query still costs a scan of what it joins (7 ms a node on a 1M register: 50 s for 7,000).
_SPARQL_BULK = 100


def _sparql(engine, c, value_nodes):
    """Each query once for all focus nodes when they are many (the queries select $this,
    so its rows say whose they are), else once per focus node with $this bound, as
    pyshacl does."""
    out = []
    focus = set(value_nodes)
    for text, messages in compat.sparql_queries(c, next(iter(focus))):
        if len(focus) > _SPARQL_BULK:
            rows: dict = {f: [] for f in focus}
            for row in engine.data.select_dicts(text):
                if row.get("this") in rows:
                    rows[row["this"]].append(row)
        else:
            rows = {f: list(engine.data.select_dicts(text, {"this": f})) for f in focus}
        for f in sorted(focus, key=str):
            seen = []
            for row in rows[f]:
                row.pop("failure", None)
                this, path, value = row.pop("this", None), row.pop("path", None), row.pop("value", None)
                if this is None and path is None and value is None:
                    continue
                key = (this, path, value, row)
                if key in seen:
                    continue
                seen.append(key)
                if value is None and not c.shape.is_property_shape:
                    value = f
                out.append(engine.result(c, this or f, value=value, path=path, extra=messages or None,
                                         bound=(this, path, value, row)))
    return out


CHECKS = {
    "SPARQLBasedConstraint": _sparql,
}
