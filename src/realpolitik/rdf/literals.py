"""Is a literal's lexical form in the lexical space of its datatype?

RDF parsers, rdflib's and pyoxigraph's alike, accept ``"abc"^^xsd:integer`` or
``"2024-13-45"^^xsd:date``. The dataset does not: a value that is not what its
datatype says is an input error, reported where it is written.
"""

from __future__ import annotations

import calendar
import re

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_TZ = r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?(?:[1-9][0-9]{4,}|[0-9]{4})"

_PATTERNS = {
    "string": None,
    "normalizedString": re.compile(r"[^\r\n\t]*"),
    "token": re.compile(r"(?:\S+(?: \S+)*)?"),
    "language": re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*"),
    "boolean": re.compile(r"true|false|1|0"),
    "integer": re.compile(r"[+-]?[0-9]+"),
    "nonNegativeInteger": re.compile(r"\+?[0-9]+|-0+"),
    "positiveInteger": re.compile(r"\+?0*[1-9][0-9]*"),
    "nonPositiveInteger": re.compile(r"-[0-9]+|\+?0+"),
    "negativeInteger": re.compile(r"-0*[1-9][0-9]*"),
    "int": re.compile(r"[+-]?[0-9]+"),
    "long": re.compile(r"[+-]?[0-9]+"),
    "short": re.compile(r"[+-]?[0-9]+"),
    "byte": re.compile(r"[+-]?[0-9]+"),
    "decimal": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"),
    "double": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN"),
    "float": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN"),
    "date": re.compile(rf"({_YEAR})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){_TZ}"),
    "dateTime": re.compile(
        rf"({_YEAR})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?{_TZ}"
        r"|.*T24:00:00(?:\.0+)?.*"
    ),
    "time": re.compile(rf"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?{_TZ}"),
    "gYear": re.compile(rf"{_YEAR}{_TZ}"),
    "gYearMonth": re.compile(rf"{_YEAR}-(?:0[1-9]|1[0-2]){_TZ}"),
    "gMonthDay": re.compile(rf"--(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]){_TZ}"),
    "duration": re.compile(
        r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"
    ),
    "anyURI": re.compile(r"[^\s<>\"{}|\\^`]*"),
}

_BOUNDS = {"int": 2**31, "long": 2**63, "short": 2**15, "byte": 2**7}


def lexical_error(lexical: str, datatype: str | None) -> str | None:
    """Why ``lexical`` is not a valid ``datatype`` value, or None if it is (or unknown)."""
    if datatype is None or not datatype.startswith(XSD):
        return None
    name = datatype[len(XSD) :]
    if name not in _PATTERNS:
        return None
    pattern = _PATTERNS[name]
    if pattern is None:
        return None
    match = pattern.fullmatch(lexical)
    if not match:
        return f'"{lexical}" is not a valid xsd:{name}'
    if name == "date":
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
        # Any year works: only whether it is a leap year matters.
        if day > calendar.monthrange(2000 if calendar.isleap(year) else 2001, month)[1]:
            return f'"{lexical}" is not a valid xsd:date: month {month} has no day {day}'
    if name in _BOUNDS:
        bound = _BOUNDS[name]
        if not -bound <= int(lexical) < bound:
            return f'"{lexical}" is out of range for xsd:{name}'
    return None
