"""Query results as a table for people, CSV and TSV as SPARQL 1.1 defines them, SPARQL
1.1 JSON results, Markdown, or Python rows."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pyoxigraph as ox

from realpolitik.namespaces import curie
from realpolitik.querying.backends import Result

FORMATS = ("table", "csv", "tsv", "json", "md")
XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {XSD + "integer": int, XSD + "int": int, XSD + "long": int, XSD + "decimal": Decimal, XSD + "double": float}


def sort_key(row: tuple) -> tuple:
    return tuple("" if term is None else str(term) for term in row)


def python_value(term):
    """A term as Python: an IRI as its string, numbers and booleans as such, any other
    literal as its lexical form (dates of partial precision stay text)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    datatype = term.datatype.value if term.datatype else None
    if datatype in _NUMBERS:
        try:
            return _NUMBERS[datatype](term.value)
        except ValueError:
            return term.value
    if datatype == XSD + "boolean":
        return term.value in ("true", "1")
    return term.value


def rows_as_dicts(result: Result) -> list[dict]:
    return [dict(zip(result.variables, (python_value(t) for t in row))) for row in result.rows]


def _short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def table(result: Result, width: int = 80) -> str:
    """Aligned columns; long values cut at ``width`` characters with an ellipsis."""
    def cell(term):
        text = " ".join(_short(term).split())
        return text if len(text) <= width else text[: width - 1] + "…"

    rows = [[cell(t) for t in row] for row in result.rows]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def markdown(result: Result) -> str:
    def cell(term):
        return " ".join(_short(term).split()).replace("|", "\\|")

    lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in result.rows]
    return "\n".join(lines)


def as_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV: IRIs and literals' lexical forms, no datatypes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else ("_:" + t.value if isinstance(t, ox.BlankNode) else t.value) for t in row])
    return out.getvalue()


def as_tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax."""
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def as_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = []
    for row in result.rows:
        binding = {}
        for var, term in zip(result.variables, row):
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                binding[var] = {"type": "uri", "value": term.value}
            elif isinstance(term, ox.BlankNode):
                binding[var] = {"type": "bnode", "value": term.value}
            else:
                value = {"type": "literal", "value": term.value}
                if term.language:
                    value["xml:lang"] = term.language
                elif term.datatype and term.datatype.value != XSD + "string":
                    value["datatype"] = term.datatype.value
                binding[var] = value
        bindings.append(binding)
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, indent=2, ensure_ascii=False)


def render(result: Result, fmt: str) -> str:
    return {"table": table, "csv": as_csv, "tsv": as_tsv, "json": as_json, "md": markdown}[fmt](result)
