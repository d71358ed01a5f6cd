"""Loading a release, or the working dataset, into a SPARQL 1.1 Graph Store endpoint,
so that a failed load leaves the store as it was.

No server is trusted to apply a request whole (Virtuoso keeps the triples it parsed
before a syntax error). So every graph is first PUT into a staging graph of its own
(``.../graph/staging/<token>/<n>``), its triple count is checked there, and only then
are all staging graphs moved into place by one SPARQL Update request (MOVE to replace,
ADD to merge). Any failure before the move drops the staging graphs and leaves the
target graphs untouched; staging graphs a killed load left behind are dropped by the
next load. After the move, every target graph's triple count is checked.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

from realpolitik.http import EndpointError, request
from realpolitik.namespaces import BASE

STAGING = BASE + "graph/staging/"


class LoadError(Exception):
    pass


@dataclass
class Endpoints:
    store: str  # Graph Store Protocol
    update: str  # SPARQL 1.1 Update
    query: str  # SPARQL 1.1 Query

    @classmethod
    def derive(cls, store: str, update: str | None = None, query: str | None = None) -> "Endpoints":
        """Oxigraph's layout (/store, /update, /query) unless told otherwise."""
        if update is None or query is None:
            parts = urllib.parse.urlsplit(store)
            if not parts.path.endswith("/store"):
                raise LoadError(f"{store}: give --update and --query too (only an Oxigraph-style /store URL implies them)")
            base = parts._replace(path=parts.path[: -len("/store")], query="").geturl()
            update = update or base + "/update"
            query = query or base + "/query"
        return cls(store, update, query)


@dataclass
class Loaded:
    graphs: dict = field(default_factory=dict)  # target graph -> triples
    seconds: float = 0.0
    dropped_stale: int = 0


def payloads(quads, single_graph: str | None = None) -> dict[str, bytes]:
    """N-Triples per target graph, sorted."""
    graphs: dict[str, set] = {}
    for q in quads:
        target = single_graph or q.graph_name.value
        graphs.setdefault(target, set()).add(f"{q.subject} {q.predicate} {q.object} .\n")
    return {g: "".join(sorted(lines)).encode("utf-8") for g, lines in sorted(graphs.items())}


class Loader:
    def __init__(self, endpoints: Endpoints, timeout: float = 60.0, retries: int = 3):
        self.endpoints, self.timeout, self.retries = endpoints, timeout, retries

    def _gsp(self, method: str, graph: str, data: bytes | None = None):
        url = self.endpoints.store + ("&" if "?" in self.endpoints.store else "?") + urllib.parse.urlencode({"graph": graph})
        headers = {"Content-Type": "application/n-triples"} if data is not None else {}
        return request(url, method, data, headers, timeout=self.timeout, retries=self.retries)

    # URL-encoded forms, which every server takes (Virtuoso hangs on bare bodies).
    def update(self, text: str) -> None:
        request(self.endpoints.update, "POST", urllib.parse.urlencode({"update": text}).encode("ascii"),
                {"Content-Type": "application/x-www-form-urlencoded"}, timeout=self.timeout, retries=self.retries)

    def select(self, text: str) -> list[dict]:
        body = request(self.endpoints.query, "POST", urllib.parse.urlencode({"query": text}).encode("ascii"),
                       {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
                       timeout=self.timeout, retries=self.retries)
        try:
            return json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError) as exc:
            raise EndpointError(f"{self.endpoints.query}: the answer is not SPARQL JSON results ({exc})") from None

    def counts(self, graphs) -> dict[str, int]:
        if not graphs:
            return {}
        values = " ".join(f"<{g}>" for g in graphs)
        rows = self.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
        found = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
        return {g: found.get(g, 0) for g in graphs}

    def drop_stale_staging(self) -> int:
        rows = self.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{STAGING}")) }}')
        stale = [row["g"]["value"] for row in rows]
        if stale:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in stale))
        return len(stale)

    def load(self, graphs: dict[str, bytes], replace: bool = True) -> Loaded:
        start = time.perf_counter()
        result = Loaded()
        result.dropped_stale = self.drop_stale_staging()
        token = uuid.uuid4().hex
        staging = {target: f"{STAGING}{token}/{n}" for n, target in enumerate(graphs)}
        expected = {target: data.count(b"\n") for target, data in graphs.items()}
        try:
            for target, data in graphs.items():
                self._gsp("PUT", staging[target], data)
            staged = self.counts(list(staging.values()))
            for target, stage in staging.items():
                if staged[stage] != expected[target]:
                    raise LoadError(f"<{target}>: {staged[stage]} triples arrived of {expected[target]}")
            verb = "MOVE" if replace else "ADD"
            moves = [f"{verb} SILENT GRAPH <{stage}> TO GRAPH <{target}>" for target, stage in staging.items()]
            if not replace:
                moves += [f"DROP SILENT GRAPH <{stage}>" for stage in staging.values()]
            self.update(" ;\n".join(moves))
        except (EndpointError, LoadError):
            self._cleanup(staging.values())
            raise
        loaded = self.counts(list(graphs))
        for target, count in loaded.items():
            if (replace and count != expected[target]) or (not replace and count < expected[target]):
                raise LoadError(f"<{target}>: {count} triples after loading, the release has {expected[target]}")
        result.graphs = loaded
        result.seconds = time.perf_counter() - start
        return result

    def _cleanup(self, stages) -> None:
        try:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in stages))
        except EndpointError:
            pass  # the server is gone; the next load drops what is left


def release_quads(directory, product: str = "data"):
    """The quads of a built release, after checking it against its description."""
    from pathlib import Path

    import pyoxigraph as ox

    from realpolitik.release import check

    directory = Path(directory)
    problems = check(directory)
    if problems:
        raise LoadError(f"{directory}: the release does not match its description ({problems[0]})")
    return list(ox.parse(path=str(directory / f"realpolitik-{product}.nq"), format=ox.RdfFormat.N_QUADS))


def working_quads(root=None, product: str = "data"):
    """The quads of the working dataset, as a release would hold them."""
    from realpolitik import __version__
    from realpolitik.release.graphs import assemble, in_product

    quads = assemble(root, __version__, reason=(product == "full")).quads
    return [q for q in quads if in_product(q.graph_name.value, product)]
