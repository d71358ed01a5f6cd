"""``/sparql``: what a SPARQL 1.1 Protocol request asks (a query by GET, by a POSTed
form or as an ``application/sparql-query`` body), and its answer.

The endpoint is read-only: an update, sent as a query or as the protocol's update
operation, is 403 Forbidden (the request is understood and refused by the service's
policy, not malformed), and so is SERVICE (a query does not reach the network from
here). A query that does not parse is 400; one stopped at its time or memory limit 503.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

from realpolitik.serving.refused import Refused

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
UPDATES_REFUSED = "updates are refused: this SPARQL endpoint is read-only"
SERVICE_REFUSED = "SERVICE is refused: queries on this endpoint do not reach the network"


@dataclass(frozen=True)
class Asked:
    query: str
    accept: str | None
    format: str | None
    extra: dict = field(default_factory=dict)


async def _body(stream, most: int) -> bytes:
    read = bytearray()
    async for chunk in stream:
        read += chunk
        if len(read) > most:
            raise Refused(413, f"the request is longer than {most:,} bytes")
    return bytes(read)


def _one(fields: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in fields if k == name]
    if len(values) > 1:
        raise Refused(400, f"give {name} once, not {len(values)} times")
    return values[0] if values else None


async def read_request(method: str, query_params, headers, stream, most: int) -> Asked | None:
    """The query asked for, or None for a GET with no query (the service description)."""
    fields = list(query_params.multi_items())
    media = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if method == "POST":
        body = await _body(stream, most)
        if media == FORM:
            try:
                fields += urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False,
                                                 max_num_fields=100)
            except (UnicodeDecodeError, ValueError) as exc:
                raise Refused(400, f"the form cannot be read: {exc}") from None
        elif media == QUERY_BODY:
            if any(k == "query" for k, _ in fields):
                raise Refused(400, "give the query in the body or as query=, not both")
            try:
                fields.append(("query", body.decode("utf-8")))
            except UnicodeDecodeError:
                raise Refused(400, "the query is not UTF-8") from None
        elif media == UPDATE_BODY:
            raise Refused(403, UPDATES_REFUSED)
        else:
            raise Refused(415, f"a POST to /sparql is {FORM} or {QUERY_BODY}, not {media or 'without a Content-Type'}")
    if any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in fields):
        raise Refused(403, UPDATES_REFUSED)
    if any(k in ("default-graph-uri", "named-graph-uri") for k, _ in fields):
        raise Refused(400, "default-graph-uri and named-graph-uri are not supported: the dataset is the endpoint's own")
    query = _one(fields, "query")
    if query is None:
        if method == "POST":
            raise Refused(400, "no query given")
        return None
    if len(query.encode("utf-8")) > most:
        raise Refused(413, f"the query is longer than {most:,} bytes")
    if not query.strip():
        raise Refused(400, "the query is empty")
    return Asked(query, headers.get("accept"), _one(fields, "format"))


def run(store, asked: Asked):
    """The protocol.Answer to ``asked`` on ``store``; Refused for a query refused,
    unparseable, failed or stopped."""
    from realpolitik import limits
    from realpolitik.querying import QueryError, QueryStopped, QuerySyntaxError, guard, with_prefixes
    from realpolitik.serving import protocol

    try:
        wanted = protocol.preferences(asked.accept, asked.format)
    except QueryError as exc:
        raise Refused(400, str(exc)) from None
    text = with_prefixes(asked.query)
    try:
        guard.check(text)
    except QueryError as exc:
        raise Refused(403, UPDATES_REFUSED if str(exc) == guard.UPDATE_REFUSED else SERVICE_REFUSED) from None
    try:
        return protocol.answer(store, text, wanted, limits.serve_max_results(), float(limits.query_seconds()),
                               limits.query_memory_mb())
    except QuerySyntaxError as exc:
        raise Refused(400, str(exc)) from None
    except QueryStopped as exc:
        raise Refused(503, str(exc)) from None
    except QueryError as exc:
        raise Refused(500, str(exc)) from None
