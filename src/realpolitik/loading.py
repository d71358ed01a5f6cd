"""Loading a release, or the working dataset, into a SPARQL 1.1 Graph Store endpoint,
so that a failed load leaves the store as it was.

No server is trusted to apply a request whole (Virtuoso keeps the triples it parsed
before a syntax error). So every graph is first PUT into a staging graph of its own
(``.../graph/staging/<token>/<n>``), its triple count is checked there, and only then
are all staging graphs moved into place by one SPARQL Update request (MOVE to replace,
ADD to merge); a replacing load drops, in that same request, the project's graphs
(under ``.../graph/``) that it does not bring. Any failure before the move drops the
staging graphs and leaves the target graphs untouched.

One load at a time: a load holds a lock in the store (graph ``.../graph/staging/lock``,
a triple with its token and the server's time, renewed as it goes). A second load waits
for it, up to its timeout, and then fails; a lock not renewed within its lease (the
holder was killed) is taken over. Staging graphs of any other token are therefore
abandoned, and the lock holder drops them.

The move is never sent twice blindly: MOVE without SILENT fails, changing nothing, once
its staging graph is gone (MOVE SILENT of a missing graph would empty the target). When
the move's answer is lost, the store is counted (for up to the timeout again, while the
store may still be applying it): the new graphs in place is success, the staging graphs
still whole means it was not applied (sent once more), and anything else is said as the
state the store is in. After the move, every graph is counted.
"""

from __future__ import annotations

import random
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from realpolitik.errors import RealpolitikError
from realpolitik.http import EndpointError, request
from realpolitik.namespaces import BASE

GRAPHS = BASE + "graph/"
STAGING = GRAPHS + "staging/"
LOCK = STAGING + "lock"
RENEWED, LEASE = BASE + "load#renewed", BASE + "load#lease"


class LoadError(RealpolitikError):
    """A load that failed, in one line. ``store_changed``: the message says what state
    the store was left in (not "nothing loaded")."""

    def __init__(self, message: str, store_changed: bool = False):
        super().__init__(message)
        self.store_changed = store_changed


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
    removed: list = field(default_factory=list)  # the project's graphs this load replaced by nothing


def payloads(quads, single_graph: str | None = None) -> dict[str, bytes]:
    """N-Triples per target graph, sorted."""
    graphs: dict[str, set] = {}
    for q in quads:
        target = single_graph or q.graph_name.value
        graphs.setdefault(target, set()).add(f"{q.subject} {q.predicate} {q.object} .\n")
    return {g: "".join(sorted(lines)).encode("utf-8") for g, lines in sorted(graphs.items())}


@dataclass
class _Holder:
    iri: str
    renewed: datetime | None
    lease: float
    now: datetime | None

    def stale(self) -> bool:
        return self.renewed is not None and self.now is not None and (self.now - self.renewed).total_seconds() > self.lease


def _datetime(term) -> datetime | None:
    try:
        return datetime.fromisoformat(term["value"])
    except (KeyError, TypeError, ValueError):
        return None


class Loader:
    def __init__(self, endpoints: Endpoints, timeout: float = 60.0, retries: int = 3,
                 lease: float | None = None, wait: float | None = None):
        self.endpoints, self.timeout, self.retries = endpoints, timeout, retries
        # A step (one request, its retries included) ends within retries x timeout; the
        # lock is renewed before each step, so a holder that is alive is never stale.
        self.lease = lease if lease is not None else 2 * retries * timeout + 30
        self.wait = wait if wait is not None else timeout
        self.token = uuid.uuid4().hex
        self.holder = f"{BASE}load/{self.token}"
        self._renewed = 0.0

    def _gsp(self, method: str, graph: str, data: bytes | None = None):
        url = self.endpoints.store + ("&" if "?" in self.endpoints.store else "?") + urllib.parse.urlencode({"graph": graph})
        headers = {"Content-Type": "application/n-triples"} if data is not None else {}
        return request(url, method, data, headers, timeout=self.timeout, retries=self.retries)

    # URL-encoded forms, which every server takes (Virtuoso hangs on bare bodies).
    def update(self, text: str, idempotent: bool = True) -> None:
        request(self.endpoints.update, "POST", urllib.parse.urlencode({"update": text}).encode("ascii"),
                {"Content-Type": "application/x-www-form-urlencoded"}, timeout=self.timeout, retries=self.retries,
                idempotent=idempotent)

    def select(self, text: str) -> list[dict]:
        """Rows as SPARQL JSON bindings ({variable: {"value": ...}}), the answer read by
        the SPARQL results parser: anything else is an EndpointError."""
        from realpolitik.querying.backends import QueryError, parse_results

        body = request(self.endpoints.query, "POST", urllib.parse.urlencode({"query": text}).encode("ascii"),
                       {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
                       timeout=self.timeout, retries=self.retries)
        try:
            result = parse_results(body, self.endpoints.query)
        except QueryError as exc:
            raise EndpointError(str(exc)) from None
        return [{v: {"value": t.value} for v, t in zip(result.variables, row) if t is not None} for row in result.rows]

    def counts(self, graphs) -> dict[str, int]:
        if not graphs:
            return {}
        values = " ".join(f"<{g}>" for g in graphs)
        rows = self.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
        try:
            found = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
        except (KeyError, ValueError):
            raise EndpointError(f"{self.endpoints.query}: the answer to a count is not a table of graphs and counts") from None
        return {g: found.get(g, 0) for g in graphs}

    # The lock: one load at a time.
    def _holders(self) -> list[_Holder]:
        rows = self.select(f"SELECT ?h ?renewed ?lease (NOW() AS ?now) WHERE {{ GRAPH <{LOCK}> {{ ?h <{RENEWED}> ?renewed . "
                           f"OPTIONAL {{ ?h <{LEASE}> ?lease }} }} }}")
        holders: dict[str, _Holder] = {}
        for row in rows:
            try:
                lease = float(row.get("lease", {}).get("value", self.lease))
            except ValueError:
                lease = self.lease
            holder = _Holder(row.get("h", {}).get("value", ""), _datetime(row.get("renewed")), lease, _datetime(row.get("now")))
            seen = holders.get(holder.iri)
            if seen is None or (holder.renewed and seen.renewed and holder.renewed > seen.renewed):
                holders[holder.iri] = holder
        return list(holders.values())

    def _forget(self, holder: str) -> None:
        self.update(f"DELETE WHERE {{ GRAPH <{LOCK}> {{ <{holder}> ?p ?o }} }}")

    def acquire(self) -> None:
        """Hold the store's load lock, or raise LoadError. Each load writes its token,
        then reads every token: one that sees another withdraws, so two never both hold
        it (the later writer always sees the earlier one)."""
        deadline = time.monotonic() + self.wait
        while True:
            self.update(f"INSERT {{ GRAPH <{LOCK}> {{ <{self.holder}> <{RENEWED}> ?now ; <{LEASE}> {int(self.lease)} }} }} "
                        "WHERE { BIND (NOW() AS ?now) }")
            others = [h for h in self._holders() if h.iri != self.holder]
            if not others:
                self._renewed = time.monotonic()
                return
            self._forget(self.holder)
            stale = [h for h in others if h.stale()]
            for holder in stale:  # its load was killed: its lease ran out unrenewed
                self._forget(holder.iri)
            if stale:
                continue
            if time.monotonic() > deadline:
                other = others[0]
                age = f", renewed {(other.now - other.renewed).total_seconds():.0f} s ago" if other.now and other.renewed else ""
                raise LoadError(f"another load is running on this store ({other.iri.rsplit('/', 1)[-1][:12]}{age}); waited {self.wait:g} s. "
                                f"Try again when it is done; a lock not renewed for {other.lease:g} s is taken over")
            time.sleep(random.uniform(0.2, 0.6))

    def renew(self, force: bool = False) -> None:
        """Renew the lock (when a quarter of its lease has gone, or ``force``), and make
        sure it is still this load's."""
        if not force and time.monotonic() - self._renewed < self.lease / 4:
            return
        self.update(f"DELETE {{ GRAPH <{LOCK}> {{ <{self.holder}> <{RENEWED}> ?t }} }} "
                    f"INSERT {{ GRAPH <{LOCK}> {{ <{self.holder}> <{RENEWED}> ?now }} }} "
                    f"WHERE {{ GRAPH <{LOCK}> {{ <{self.holder}> <{RENEWED}> ?t }} BIND (NOW() AS ?now) }}")
        holders = [h.iri for h in self._holders()]
        if holders != [self.holder]:
            raise LoadError(f"this load lost the store's lock to another load (it took longer than its lease of {self.lease:g} s)")
        self._renewed = time.monotonic()

    def release(self) -> None:
        try:
            self._forget(self.holder)
        except EndpointError:
            pass  # the server is gone; the lease runs out

    def project_graphs(self) -> list[str]:
        """Every graph under the project's graph base, staging graphs and the lock too."""
        rows = self.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{GRAPHS}")) }}')
        return sorted(row["g"]["value"] for row in rows if "g" in row)

    def drop_stale_staging(self, graphs: list[str]) -> int:
        """Drop the staging graphs of other loads: the lock is held, so theirs are abandoned."""
        mine = f"{STAGING}{self.token}/"
        stale = [g for g in graphs if g.startswith(STAGING) and g != LOCK and not g.startswith(mine)]
        if stale:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in stale))
        return len(stale)

    def load(self, graphs: dict[str, bytes], replace: bool = True) -> Loaded:
        start = time.perf_counter()
        self.acquire()
        try:
            result = self._load(graphs, replace)
        finally:
            self.release()
        result.seconds = time.perf_counter() - start
        return result

    def _load(self, graphs: dict[str, bytes], replace: bool) -> Loaded:
        result = Loaded()
        present = self.project_graphs()
        result.dropped_stale = self.drop_stale_staging(present)
        staging = {target: f"{STAGING}{self.token}/{n}" for n, target in enumerate(graphs)}
        expected = {target: data.count(b"\n") for target, data in graphs.items()}
        if replace and all(g.startswith(GRAPHS) for g in graphs):
            result.removed = [g for g in present if not g.startswith(STAGING) and g not in graphs]
        try:
            for target, data in graphs.items():
                self.renew()
                self._gsp("PUT", staging[target], data)
            staged = self.counts(list(staging.values()))
            for target, stage in staging.items():
                if staged[stage] != expected[target]:
                    raise LoadError(f"<{target}>: {staged[stage]} triples arrived of {expected[target]}")
            self.renew(force=True)
            before = self.counts(list(graphs) + result.removed)
        except (EndpointError, LoadError):
            self._cleanup(staging.values())
            raise
        self._move(staging, expected, before, result.removed, replace)
        result.graphs = {g: n for g, n in self.counts(list(graphs)).items()}
        return result

    def _move(self, staging: dict, expected: dict, before: dict, removed: list, replace: bool) -> None:
        if replace:
            steps = [f"DROP SILENT GRAPH <{g}>" for g in removed]
            steps += [f"MOVE GRAPH <{stage}> TO GRAPH <{target}>" for target, stage in staging.items()]
        else:
            steps = [f"ADD GRAPH <{stage}> TO GRAPH <{target}>" for target, stage in staging.items()]
            steps += [f"DROP SILENT GRAPH <{stage}>" for stage in staging.values()]
        move = " ;\n".join(steps)
        for attempt in (1, 2):
            try:
                self.update(move, idempotent=False)
                failure = None
            except EndpointError as exc:
                failure = exc
            try:
                state = self._state(staging, expected, before, removed, replace)
                settle = time.monotonic() + self.timeout
                while state == "untouched" and failure is not None and failure.lost and time.monotonic() < settle:
                    time.sleep(0.5)  # the store may still be applying it (Oxigraph: 3 s for 16k triples)
                    state = self._state(staging, expected, before, removed, replace)
            except EndpointError as exc:
                said = f"{failure}; " if failure else ""
                raise LoadError(f"{said}the store could not be counted after the move ({exc}): it may hold the old graphs "
                                "or the new ones; run the load again", store_changed=True) from None
            if state == "applied":
                return
            if state == "untouched" and failure is not None and failure.lost and attempt == 1:
                continue  # not applied: sending it again is safe (MOVE fails once its staging graph is gone)
            if state == "untouched":
                self._cleanup(staging.values())
                raise failure or LoadError("the store answered the move but did not apply it")
            raise LoadError(state, store_changed=True)

    def _state(self, staging: dict, expected: dict, before: dict, removed: list, replace: bool) -> str:
        """"applied", "untouched", or a sentence saying what the store holds."""
        now = self.counts(list(staging.values()) + list(staging) + removed)
        staged_whole = all(now[stage] == expected[target] for target, stage in staging.items())
        if staged_whole and all(now[g] == before[g] for g in list(staging) + removed):
            return "untouched"
        placed = [t for t in staging if (now[t] == expected[t] if replace else now[t] >= expected[t])]
        left = [s for s in staging.values() if now[s]]
        kept = [g for g in removed if now[g]]
        if len(placed) == len(staging) and not left and not kept:
            return "applied"
        again = "run the load again to replace them all" if replace else "run `realpolitik load --replace` to put it right"
        wrong = next((t for t in staging if t not in placed), None)
        detail = f" (<{wrong}> has {now[wrong]} of {expected[wrong]})" if wrong else ""
        return (f"the move was applied in part: {len(placed)} of {len(staging)} graphs hold the new triples{detail}, "
                f"{len(left)} staging graph(s) and {len(kept)} graph(s) to remove are left; {again}")

    def _cleanup(self, stages) -> None:
        try:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in stages))
        except EndpointError:
            pass  # the server is gone; the next load drops what is left


def release_quads(directory, product: str = "data"):
    """The quads of a built release, after checking it against its description."""
    from pathlib import Path

    from realpolitik.release import check
    from realpolitik.store import engine as ox

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
