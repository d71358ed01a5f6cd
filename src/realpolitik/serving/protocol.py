"""A SPARQL 1.1 Protocol query answered: the query guarded, run bounded in a child
process, and its answer written in the format the client asks for (``Accept`` or
``format=``).

SELECT and ASK answer in JSON, XML, CSV or TSV (SPARQL 1.1 Query Results), CONSTRUCT and
DESCRIBE in Turtle, N-Triples or JSON-LD. Which kind of answer a query gives is known
only once the engine has parsed it, so the format is chosen in the child, from the
client's preferences, and a client that accepts none of the kind's formats gets 406
with the formats offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from realpolitik.querying.backends import QueryError

RESULTS = {  # name -> media type, first the default
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPHS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}
# What else a client may call them, in format= or Accept.
ALIASES = {
    "application/json": "json", "srj": "json", "application/xml": "xml", "text/xml": "xml", "srx": "xml",
    "ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "text/plain": "ntriples", "json-ld": "jsonld",
}
_NAMES = {**{t: n for n, t in RESULTS.items()}, **{t: n for n, t in GRAPHS.items()}, **ALIASES,
          **{n: n for n in RESULTS}, **{n: n for n in GRAPHS}}


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes


def preferences(accept: str | None, format_: str | None) -> list[tuple[str, float]]:
    """What the client accepts, best first: ``format=`` alone if given, else the
    ``Accept`` header's media ranges by their q (a malformed q counts as 0)."""
    if format_:
        name = _NAMES.get(format_.strip().lower())
        if name is None:
            offered = ", ".join([*RESULTS, *GRAPHS])
            raise QueryError(f"format={format_[:40]!r} is not a format offered here ({offered})")
        return [(name, 1.0)]
    ranges = []
    for order, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((media.lower(), q, order))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, q) for media, q, _ in ranges]


def choose(wanted: list[tuple[str, float]], offered: dict[str, str]) -> str | None:
    """The name of the offered format the client likes best, or None."""
    for media, _ in wanted:
        if media in offered:
            return media
        name = _NAMES.get(media)
        if name in offered:
            return name
        if media == "*/*":
            return next(iter(offered))
        if media.endswith("/*"):
            kind = media[:-1]
            found = next((n for n, t in offered.items() if t.startswith(kind)), None)
            if found:
                return found
    return None


def answer(store, text: str, wanted: list[tuple[str, float]], max_results: int, seconds: float, memory_mb: int) -> Answer:
    """``text`` (its prefixes declared, already guarded) run on ``store`` (an Embedded)
    in a child process bounded by ``seconds`` and ``memory_mb``: its answer, or 406 or
    422 with a one-line reason. QueryError for a query that does not parse or fails,
    QueryStopped over the time or memory limit."""
    return store.run_bounded(lambda: _written(store, text, wanted, max_results), seconds, memory_mb)


def _not_acceptable(offered: dict[str, str]) -> Answer:
    listed = ", ".join(offered.values())
    return Answer(406, "text/plain", f"not acceptable: this query's answer is offered as {listed}\n".encode())


def _written(store, text: str, wanted, max_results: int) -> Answer:
    """In the child: the query evaluated and written."""
    import itertools

    from realpolitik.namespaces import PREFIXES
    from realpolitik.querying import results
    from realpolitik.querying.backends import Result
    from realpolitik.store import engine as ox

    found = store.evaluate(text)
    if isinstance(found, (bool, ox.QueryBoolean)):
        name = choose(wanted, RESULTS)
        if name is None:
            return _not_acceptable(RESULTS)
        return Answer(200, RESULTS[name], results.boolean(bool(found), name).encode())
    table = isinstance(found, ox.QuerySolutions)
    offered = RESULTS if table else _graph_formats(ox)
    name = choose(wanted, offered)
    if name is None:
        return _not_acceptable(offered)
    try:
        items = list(itertools.islice(found, max_results + 1))  # evaluation errors surface here
    except OSError as exc:
        raise QueryError(f"the query failed: {' '.join(str(exc).split())[:300]}") from None
    if len(items) > max_results:
        return Answer(422, "text/plain",
                      f"the answer has more than {max_results:,} {'rows' if table else 'triples'} "
                      "(REALPOLITIK_SERVE_MAX_RESULTS): add a LIMIT\n".encode())
    if table:
        result = Result([v.value for v in found.variables], [tuple(row) for row in items])
        writer = {"json": results.as_json, "xml": results.as_xml, "tsv": results.as_tsv,
                  "csv": lambda r: results.as_csv(r, raw=True)}[name]  # exact, as the protocol wants
        return Answer(200, RESULTS[name], writer(result).encode())
    format_ = getattr(ox.RdfFormat, {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD"}[name])
    prefixes = PREFIXES if name != "ntriples" else None
    return Answer(200, GRAPHS[name], ox.serialize(items, format=format_, prefixes=prefixes))


def _graph_formats(ox) -> dict[str, str]:
    """The graph formats the engine writes (JSON-LD from pyoxigraph 0.5)."""
    return {n: t for n, t in GRAPHS.items() if n != "jsonld" or hasattr(ox.RdfFormat, "JSON_LD")}
