"""Query results as a table for people, CSV and TSV as SPARQL 1.1 defines them, SPARQL
1.1 JSON results, Markdown, or Python rows. The table and Markdown show control
characters escaped (realpolitik.terminal); TSV and JSON are exact, and so is CSV but for
the text cells a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from realpolitik.store import engine as ox
from realpolitik.namespaces import curie
from realpolitik.querying.backends import Result
from realpolitik.terminal import printable

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
        text = printable(" ".join(_short(term).split()))
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
        return printable(" ".join(_short(term).split())).replace("|", "\\|")

    lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in result.rows]
    return "\n".join(lines)


# What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(term, raw: bool = False) -> str:
    """A term as a CSV cell. Unless ``raw``, a text that begins like a formula gets a
    leading ' (OWASP's advice), so a spreadsheet shows it instead of running it; a
    literal of a typed datatype in its lexical space (-5 as xsd:integer, a negative
    year) is a value, not text, and stays as it is."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if raw or isinstance(term, ox.NamedNode) or not term.value.startswith(FORMULA_START):
        return term.value
    from realpolitik.rdf.literals import RDF_LANGSTRING, lexical_error

    datatype = term.datatype.value if term.datatype else XSD + "string"
    typed = datatype.startswith(XSD) and datatype not in (XSD + "string", RDF_LANGSTRING)
    if typed and lexical_error(term.value, datatype) is None and datatype[len(XSD):] in _KNOWN_LEXICAL:
        return term.value
    return "'" + term.value


# The datatypes whose lexical space rdf.literals checks: a valid one cannot be a formula.
_KNOWN_LEXICAL = {"integer", "int", "long", "short", "byte", "decimal", "double", "float", "nonNegativeInteger",
                  "positiveInteger", "negativeInteger", "nonPositiveInteger", "date", "gYear", "gYearMonth",
                  "time", "duration"}


def as_csv(result: Result, raw: bool = False) -> str:
    """SPARQL 1.1 Query Results CSV: IRIs and literals' lexical forms, no datatypes; a
    text cell that would start a formula is neutralised unless ``raw`` (see csv_cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([csv_cell(t, raw) for t in row])
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


def as_xml(result: Result) -> str:
    """SPARQL Query Results XML."""
    from xml.sax.saxutils import escape, quoteattr

    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    lines += [f"  <variable name={quoteattr(v)}/>" for v in result.variables]
    lines += ["</head>", "<results>"]
    for row in result.rows:
        lines.append("  <result>")
        for var, term in zip(result.variables, row):
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                value = f"<uri>{escape(term.value)}</uri>"
            elif isinstance(term, ox.BlankNode):
                value = f"<bnode>{escape(term.value)}</bnode>"
            elif term.language:
                value = f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
            elif term.datatype and term.datatype.value != XSD + "string":
                value = f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            else:
                value = f"<literal>{escape(term.value)}</literal>"
            lines.append(f"    <binding name={quoteattr(var)}>{value}</binding>")
        lines.append("  </result>")
    lines += ["</results>", "</sparql>", ""]
    return "\n".join(lines)


def boolean(answer: bool, fmt: str) -> str:
    """An ASK query's answer in ``fmt`` (json, xml, csv or tsv), as SPARQL 1.1 writes it."""
    word = "true" if answer else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": answer})
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
                f"<head/>\n<boolean>{word}</boolean>\n</sparql>\n")
    return word + ("\r\n" if fmt == "csv" else "\n")


def render(result: Result, fmt: str, raw_csv: bool = False) -> str:
    """``result`` in ``fmt``; ``raw_csv`` writes CSV cells that begin like a formula as
    they are."""
    if fmt == "csv":
        return as_csv(result, raw=raw_csv)
    return {"table": table, "tsv": as_tsv, "json": as_json, "md": markdown}[fmt](result)
