"""``/api/queries``: the named queries as an HTTP API, described from their ``.rq``
headers (querying.catalog), run with the same typed, resolved parameters as
``realpolitik query NAME --param value``, and ``/api/openapi.json`` generated from the
same catalog."""

from __future__ import annotations

import json

from realpolitik import __version__
from realpolitik.serving.refused import Refused

RESERVED = ("format", "limit")  # what the API itself takes beside a query's parameters
CSV = "text/csv; charset=utf-8"
JSON = "application/json"


def _param(p) -> dict:
    described = {"name": p.name, "type": p.type, "required": p.required, "description": p.description}
    if p.scheme:
        described["scheme"] = p.scheme
    return described


def catalog() -> list[dict]:
    """Every named query: its name, summary, description and parameters with their types."""
    from realpolitik.querying.catalog import named

    return [{"name": q.name, "summary": q.summary, "description": q.description,
             "parameters": [_param(p) for p in q.params], "path": f"/api/queries/{q.name}"}
            for q in named().values()]


def read_request(name: str, query_params, headers) -> tuple[str, dict, str]:
    """The query's name, its parameters as given, and the format wanted (json or csv)."""
    from realpolitik.querying.catalog import CatalogError, get

    try:
        get(name)
    except CatalogError as exc:
        raise Refused(404, str(exc)) from None
    given = {}
    for key, value in query_params.multi_items():
        if key in given:
            raise Refused(400, f"{key}: give it once")
        given[key] = value
    fmt = given.pop("format", None)
    if fmt is None:
        accept = (headers.get("accept") or "").lower()
        fmt = "csv" if "text/csv" in accept and "application/json" not in accept else "json"
    if fmt not in ("json", "csv"):
        raise Refused(400, f"format: {fmt[:40]!r} is not json or csv")
    limit = given.pop("limit", None)
    if limit is not None:
        if not (limit.isdigit() and len(limit) <= 9):
            raise Refused(400, f"limit: {limit[:40]!r} is not a whole number of 0 or more")
        given["limit"] = int(limit)
    return name, given, fmt


def run(store, name: str, given: dict, fmt: str) -> tuple[str, bytes]:
    """The rows ``realpolitik.query(name, **given)`` gives, as JSON or CSV."""
    from realpolitik.querying import ParamError, QueryError, run_named
    from realpolitik.querying.results import as_csv, rows_as_dicts

    params = dict(given)
    limit = params.pop("limit", None)
    try:
        result = run_named(name, params, on=store, limit=limit)
    except ParamError as exc:
        raise Refused(400, str(exc)) from None
    except QueryError as exc:
        raise Refused(500, str(exc)) from None
    if fmt == "csv":
        return CSV, as_csv(result).encode("utf-8")
    body = {"query": name, "parameters": {k: v for k, v in params.items()}, "columns": result.variables,
            "rows": rows_as_dicts(result)}
    return JSON, json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")


_TYPES = {"integer": {"type": "integer"}}


def openapi() -> dict:
    """An OpenAPI 3.1 description of the API, one path per named query."""
    from realpolitik.querying.catalog import named

    paths = {
        "/api/queries": {"get": {"summary": "The named queries, with their parameters",
                                 "responses": {"200": {"description": "The catalog",
                                                       "content": {JSON: {"schema": {"type": "array"}}}}}}},
    }
    for q in named().values():
        parameters = [
            {"name": p.name, "in": "query", "required": p.required,
             "description": p.description + (f" (a concept of rpv:{p.scheme})" if p.scheme else
                                             f" ({p.type}: a name, alias, CURIE or IRI)" if p.type in
                                             ("actor", "claimant", "source", "fact") else ""),
             "schema": _TYPES.get(p.type, {"type": "string", "maxLength": 500})}
            for p in q.params
        ]
        parameters += [
            {"name": "format", "in": "query", "required": False, "description": "json (the default) or csv",
             "schema": {"type": "string", "enum": ["json", "csv"]}},
            {"name": "limit", "in": "query", "required": False, "description": "At most this many rows",
             "schema": {"type": "integer", "minimum": 0}},
        ]
        paths[f"/api/queries/{q.name}"] = {"get": {
            "operationId": q.name, "summary": q.summary, "description": q.description, "parameters": parameters,
            "responses": {
                "200": {"description": "The rows", "content": {JSON: {"schema": {"type": "object"}}, "text/csv": {}}},
                "400": {"description": "A parameter that cannot be used, said in one line",
                        "content": {"text/plain": {}}},
                "503": {"description": "Every query slot is taken; try again after Retry-After",
                        "content": {"text/plain": {}}},
            },
        }}
    return {"openapi": "3.1.0", "info": {"title": "realpolitik named queries", "version": __version__}, "paths": paths}
