"""Where queries run: the embedded store (pyoxigraph, in memory) or a remote SPARQL 1.1
endpoint. Both take the query text and give back variables and rows of pyoxigraph
terms, so the rest of the package does not care which one answered."""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass

from realpolitik.store import engine as ox
from realpolitik.errors import RealpolitikError


class QueryError(RealpolitikError):
    """A query that cannot run, said in one line."""


class QuerySyntaxError(QueryError):
    """A query the engine cannot parse."""


class QueryStopped(QueryError):
    """A query stopped at its time or memory limit."""


@dataclass
class Result:
    variables: list[str]
    rows: list[tuple]  # pyoxigraph terms, None where unbound


class Embedded:
    """Queries on the dataset in an embedded store (a ``realpolitik.store.dataset.Dataset``):
    ``Embedded.cached`` for the cache's store, ``Embedded.read`` for files read into
    memory, ``Embedded(dataset)`` for a Dataset at hand."""

    def __init__(self, dataset):
        self.opened = dataset  # what the store is, and where it came from
        self.store, self.union = dataset.store, dataset.union
        self.where = "the embedded store"

    @classmethod
    def cached(cls, root=None, paths=None, memory: bool = False, digests=None) -> "Embedded":
        """The cache's store, or with ``memory`` its copy in memory (for a process
        that runs many queries: see realpolitik.cache); ``digests`` as open_dataset
        takes them."""
        from realpolitik.cache import CacheError
        from realpolitik.store.dataset import Dataset

        try:
            return cls(Dataset.cached(root, paths, memory, digests))
        except CacheError as exc:
            raise QueryError(str(exc)) from None

    @classmethod
    def read(cls, paths, root=None) -> "Embedded":
        """Files read by the one reader into the default graph of a store in memory (the
        shapes, say); QueryError names a file that cannot be read."""
        from realpolitik.rdf.reader import InputError, Reader
        from realpolitik.store.dataset import Dataset

        reader = Reader(root)
        try:
            return cls(Dataset.of_files(reader.read(path) for path in paths))
        except InputError as exc:
            raise QueryError(str(exc)) from None

    def select(self, text: str) -> Result:
        solutions = self.evaluate(text)
        try:
            if not isinstance(solutions, ox.QuerySolutions):
                raise QueryError("only SELECT queries are supported here")
            # Solutions are computed as they are read: evaluation errors surface here.
            return _table(solutions)
        except OSError as exc:
            raise QueryError(f"the query failed: {_first_line(exc)}") from None

    def select_bounded(self, text: str, seconds: float, memory_mb: int) -> Result:
        """``select`` in a child process that is stopped after ``seconds`` and may use at
        most ``memory_mb``: an untrusted query cannot hang or exhaust the machine."""
        payload = self.run_bounded(lambda: _as_json_results(self.select(text)), seconds, memory_mb)
        return _table(ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON))

    def evaluate(self, text: str):
        """The engine's answer to any query form: solutions, a boolean or triples, read
        as they are computed (evaluation errors surface as the caller reads them)."""
        try:
            return self.opened.query(text)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"the query does not parse: {_first_line(exc)}") from None
        except OSError as exc:
            raise QueryError(f"the query failed: {_first_line(exc)}") from None

    def run_bounded(self, work, seconds: float, memory_mb: int):
        """``work()`` (which queries this store) in a child process stopped after
        ``seconds`` and allowed at most ``memory_mb``; its picklable return value, or its
        QueryError raised here. Over a limit, QueryStopped."""
        import math
        import multiprocessing
        import signal

        if not (math.isfinite(seconds) and seconds > 0):
            raise QueryError(f"{seconds!r}: a query's time limit is a finite number of seconds above 0")
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_run_in_child, args=(work, memory_mb, send, seconds, os.getpid()), daemon=True)
        child.start()
        send.close()
        try:
            if not receive.poll(seconds):
                child.kill()
                child.join()
                raise QueryStopped(f"the query ran longer than {seconds:g} s and was stopped (REALPOLITIK_QUERY_SECONDS)")
            try:
                kind, payload = receive.recv()
            except EOFError:  # the child died without an answer
                child.join()
                if child.exitcode == -signal.SIGXCPU:  # the CPU limit, a backstop for the clock
                    raise QueryStopped(
                        f"the query ran longer than {seconds:g} s and was stopped (REALPOLITIK_QUERY_SECONDS)"
                    ) from None
                if child.exitcode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):  # what running out of memory does
                    raise QueryStopped(
                        f"the query was stopped: it needed more than {memory_mb:,} MiB (REALPOLITIK_QUERY_MEMORY_MB)"
                    ) from None
                raise QueryError(f"the query process ended without an answer (exit code {child.exitcode})") from None
        finally:
            receive.close()
        child.join()
        if kind != "ok":
            raise _ERRORS.get(kind, QueryError)(payload)
        return payload


GRAPHS_QUERY = """
SELECT DISTINCT ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER (STRSTARTS(STR(?g), "https://w3id.org/realpolitik/graph/")
          && !STRSTARTS(STR(?g), "https://w3id.org/realpolitik/graph/staging/")
          && ?g != <https://w3id.org/realpolitik/graph/shapes>)
}
"""


class Remote:
    """A SPARQL 1.1 Protocol endpoint (``/query`` of Oxigraph, ``/sparql`` of most others).

    Credentials come from ``REALPOLITIK_ENDPOINT_USER`` and ``..._PASSWORD`` or from
    ``~/.netrc``, never from the command line; TLS is verified."""

    def __init__(self, url: str, timeout: float = 60.0):
        from realpolitik.http import EndpointError, check_url

        try:
            self.url = check_url(url)
        except EndpointError as exc:
            raise QueryError(str(exc)) from None
        self.timeout = timeout
        self.where = url
        self._graphs: list[str] | None = None

    def _dataset_url(self) -> str:
        """The endpoint URL, with the project's named graphs as the default graph when the
        dataset was loaded one graph per source (``realpolitik load``), so that named
        queries see it as the embedded store does. SPARQL 1.1 Protocol's default-graph-uri."""
        if self._graphs is None:
            self._graphs = []
            found = self._post(self.url, GRAPHS_QUERY)
            self._graphs = sorted(row[0].value for row in found.rows if row[0] is not None)
        if not self._graphs:
            return self.url
        joiner = "&" if "?" in self.url else "?"
        return self.url + joiner + urllib.parse.urlencode([("default-graph-uri", g) for g in self._graphs])

    def select(self, text: str) -> Result:
        return self._post(self._dataset_url(), text)

    def _post(self, url: str, text: str) -> Result:
        from realpolitik.http import EndpointError, request

        try:
            # The URL-encoded form, which every server takes (Virtuoso hangs on a bare
            # application/sparql-query body).
            body = request(
                url, "POST", urllib.parse.urlencode({"query": text}).encode("ascii"),
                {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
                timeout=self.timeout,
            )
        except EndpointError as exc:
            raise QueryError(str(exc)) from None
        return parse_results(body, self.url)


def parse_results(body: bytes, where: str) -> Result:
    """A SPARQL JSON results table read from an endpoint's answer; anything else, or a
    term of the wrong shape anywhere in it, is a QueryError in one line."""
    try:
        solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError(f"{where}: the answer is not a table of results")
        return _table(solutions)  # rows are parsed as they are read
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{where}: the answer is not SPARQL JSON results: {_first_line(exc)[:200]}") from None


def _table(solutions: ox.QuerySolutions) -> Result:
    # A solution iterates over its values in the order of the variables, faster than
    # they are looked up by name (800 rows: 4 ms less).
    return Result([v.value for v in solutions.variables], [tuple(row) for row in solutions])


def _die_with_parent(seconds: float, parent: int) -> None:
    """Make this child end when its parent does (a killed ``sparql``), and at most
    ``seconds`` of CPU time later in any case."""
    import math
    import resource
    import signal

    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the CPU limit below still ends it
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    try:
        cpu = math.ceil(seconds) + 1
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard == resource.RLIM_INFINITY or hard > cpu:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1 if hard == resource.RLIM_INFINITY else min(hard, cpu + 1)))
    except (ValueError, OSError):
        pass


# What a child's error is called on its way through the pipe.
_ERRORS = {"error": QueryError, "syntax": QuerySyntaxError, "stopped": QueryStopped}


def _run_in_child(work, memory_mb: int, send, seconds: float, parent: int) -> None:
    import resource

    _die_with_parent(seconds, parent)
    # What the child says reaches the user through ``send``, in one line; what its engine
    # prints as it aborts at the memory limit ("memory allocation of 240 bytes failed")
    # does not.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    os.close(quiet)
    limit = memory_mb * 1024 * 1024
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard if hard != resource.RLIM_INFINITY and hard < limit else hard))
    except (ValueError, OSError):
        pass
    try:
        send.send(("ok", work()))
    except QueryError as exc:
        kind = {QuerySyntaxError: "syntax", QueryStopped: "stopped"}.get(type(exc), "error")
        send.send((kind, str(exc)))
    except MemoryError:
        send.send(("stopped", f"the query was stopped: it needed more than {memory_mb:,} MiB (REALPOLITIK_QUERY_MEMORY_MB)"))
    except Exception as exc:  # anything else still reaches the user as one line
        send.send(("error", f"the query failed: {_first_line(exc)}"))
    finally:
        send.close()
        os._exit(0)  # nothing of the parent's (its server, its atexit) runs here


def _as_json_results(result: Result) -> bytes:
    from realpolitik.querying.results import as_json

    return as_json(result).encode("utf-8")


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


_STORES: dict = {}


def embedded(root=None, memory: bool | None = None) -> Embedded:
    """The shipped dataset (or the one at ``root``) in an embedded store, from the cache
    (``realpolitik.cache``): on disk, or copied into memory if ``$REALPOLITIK_STORE`` is
    ``memory`` (or ``memory`` says so). Within one process the store is reused while every file of the dataset
    holds the content it was loaded from (checked by its checksum, as the cache does)."""
    from realpolitik.cache import CacheError, content_digests, memory_wanted
    from realpolitik.dataset import files

    try:
        memory = memory_wanted() if memory is None else memory
        dataset = files(root)
        paths = dataset.ontology_files() + dataset.data_files()
        digests = content_digests(dataset.root, paths)
    except CacheError as exc:
        raise QueryError(str(exc)) from None
    key = (dataset.root, memory)
    store = _STORES.get(key)
    if store is None or store.opened.digests != digests:
        _STORES[key] = store = Embedded.cached(dataset.root, paths, memory, digests)
    return store
