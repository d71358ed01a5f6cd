"""Where queries run: the embedded store (pyoxigraph, in memory) or a remote SPARQL 1.1
endpoint. Both take the query text and give back variables and rows of pyoxigraph
terms, so the rest of the package does not care which one answered."""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

from realpolitik import __version__


class QueryError(Exception):
    """A query that cannot run, said in one line."""


@dataclass
class Result:
    variables: list[str]
    rows: list[tuple]  # pyoxigraph terms, None where unbound


class Embedded:
    """The dataset (data and ontology) in an in-memory Oxigraph store."""

    def __init__(self, paths):
        self.store = ox.Store()
        for path in paths:
            try:
                self.store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
            except SyntaxError as exc:
                raise QueryError(f"{path}:{exc.lineno}:{exc.offset}: {exc.msg}") from None
        self.where = "the embedded store"

    def select(self, text: str) -> Result:
        try:
            solutions = self.store.query(text)
        except SyntaxError as exc:
            raise QueryError(f"the query does not parse: {_first_line(exc)}") from None
        except OSError as exc:
            raise QueryError(f"the query failed: {_first_line(exc)}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT queries are supported here")
        variables = [v.value for v in solutions.variables]
        return Result(variables, [tuple(row[v] for v in variables) for row in solutions])


class Remote:
    """A SPARQL 1.1 Protocol endpoint (``/query`` of Oxigraph, ``/sparql`` of most others).

    Credentials come from ``REALPOLITIK_ENDPOINT_USER`` and ``..._PASSWORD`` or from
    ``~/.netrc``, never from the command line; TLS is verified."""

    def __init__(self, url: str, timeout: float = 60.0):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise QueryError(f"{url}: not an http(s) endpoint URL")
        self.url = url
        self.timeout = timeout
        self.where = url

    def _opener(self):
        handlers = []
        user = os.environ.get("REALPOLITIK_ENDPOINT_USER")
        password = os.environ.get("REALPOLITIK_ENDPOINT_PASSWORD")
        if user is None:
            import netrc

            try:
                entry = netrc.netrc().authenticators(urllib.parse.urlsplit(self.url).hostname or "")
            except (FileNotFoundError, netrc.NetrcParseError):
                entry = None
            if entry:
                user, _, password = entry
        if user is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, self.url, user, password or "")
            handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
        return urllib.request.build_opener(*handlers)

    def select(self, text: str) -> Result:
        request = urllib.request.Request(
            self.url,
            data=text.encode("utf-8"),
            headers={
                "Content-Type": "application/sparql-query; charset=utf-8",
                "Accept": "application/sparql-results+json",
                "User-Agent": f"realpolitik/{__version__}",
            },
            method="POST",
        )
        try:
            with self._opener().open(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
            raise QueryError(f"{self.url}: HTTP {exc.code} {exc.reason}" + (f": {detail[0]}" if detail else "")) from None
        except urllib.error.URLError as exc:
            raise QueryError(f"{self.url}: {exc.reason}") from None
        except TimeoutError:
            raise QueryError(f"{self.url}: no answer within {self.timeout:g} s") from None
        try:
            solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{self.url}: the answer is not SPARQL JSON results: {_first_line(exc)}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError(f"{self.url}: the answer is not a table of results")
        variables = [v.value for v in solutions.variables]
        return Result(variables, [tuple(row[v] for v in variables) for row in solutions])


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


_STORES: dict = {}


def embedded(root=None) -> Embedded:
    """The shipped dataset (or the one at ``root``) in an embedded store. Within one
    process the store is reused until a file of the dataset changes."""
    from realpolitik.dataset import files

    dataset = files(root)
    paths = dataset.ontology_files() + dataset.data_files()
    signature = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    store = _STORES.get(dataset.root)
    if store is None or store[0] != signature:
        _STORES[dataset.root] = store = (signature, Embedded(paths))
    return store[1]
