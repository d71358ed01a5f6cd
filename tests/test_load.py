"""realpolitik load, against a real Oxigraph server started here: per-source graphs or
one graph, replace or merge, counts checked, and a store unchanged after every fault."""

from __future__ import annotations

import http.server
import threading

import pytest

from realpolitik.http import EndpointError, request
from realpolitik.loading import Endpoints, LoadError, Loader, payloads, working_quads
from servers import Oxigraph, Proxy, free_port

GRAPH = "https://w3id.org/realpolitik/graph/"


@pytest.fixture
def server(tmp_path):
    running = Oxigraph(tmp_path / "store").start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def quads():
    return working_quads(product="full")


def counts(server) -> dict[str, int]:
    loader = Loader(Endpoints.derive(server.base + "/store"))
    rows = loader.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def expected(quads) -> dict[str, int]:
    return {g: data.count(b"\n") for g, data in payloads(quads).items()}


def test_load_gives_the_release_counts_per_graph(cli, server, quads):
    run = cli("load", "--endpoint", server.base + "/store")
    assert run.exit_code == 0, run.output
    assert counts(server) == expected(quads)
    assert run.stdout.splitlines()[-1].startswith(f"{len(expected(quads))} graph(s), {sum(expected(quads).values())} triples, counts checked")


def test_named_queries_run_on_what_was_loaded(cli, server):
    assert cli("load", "--endpoint", server.base + "/store").exit_code == 0
    for args in (("transfers", "--recipient", "Iran"), ("agreements", "--actor", "Russia"), ("timeline", "--actor", "Iran")):
        local = cli("query", *args, "--format", "tsv").stdout
        assert cli("query", *args, "--format", "tsv", "--endpoint", server.base + "/query").stdout == local


def test_load_a_built_release(cli, server, tmp_path):
    assert cli("build", "--out", tmp_path / "dist", "--no-reasoning").exit_code == 0
    run = cli("load", "--endpoint", server.base + "/store", "--release", tmp_path / "dist", "--product", "data")
    assert run.exit_code == 0, run.output
    assert GRAPH + "inferred" not in counts(server) and GRAPH + "shared" in counts(server)


def test_single_graph(cli, server, quads):
    run = cli("load", "--endpoint", server.base + "/store", "--single-graph", "http://example.org/all")
    assert run.exit_code == 0
    assert counts(server) == {"http://example.org/all": len({(q.subject, q.predicate, q.object) for q in quads})}


def test_replace_does_not_duplicate_and_merge_keeps_what_was_there(cli, server, quads):
    store = server.base + "/store"
    assert cli("load", "--endpoint", store).exit_code == 0
    assert cli("load", "--endpoint", store).exit_code == 0
    assert counts(server) == expected(quads)
    shared = GRAPH + "shared"
    request(f"{store}?graph={shared}", "POST", b"<http://example.org/x> <http://example.org/y> <http://example.org/z> .\n",
            {"Content-Type": "application/n-triples"})
    assert cli("load", "--endpoint", store, "--merge").exit_code == 0
    assert counts(server)[shared] == expected(quads)[shared] + 1
    assert cli("load", "--endpoint", store, "--replace").exit_code == 0
    assert counts(server)[shared] == expected(quads)[shared]


def test_a_graph_the_server_rejects_leaves_the_store_as_it_was(cli, server, quads):
    assert cli("load", "--endpoint", server.base + "/store").exit_code == 0
    before = counts(server)
    graphs = payloads(quads)
    broken = dict(graphs)
    last = sorted(graphs)[-1]
    broken[last] = graphs[last] + b"<http://example.org/a b> <http://example.org/p> <http://example.org/o> .\n"
    loader = Loader(Endpoints.derive(server.base + "/store"), retries=1)
    with pytest.raises(EndpointError, match="HTTP 400"):
        loader.load(broken)
    assert counts(server) == before  # no staging graph left, targets untouched


def test_a_server_killed_mid_load_leaves_the_targets_as_they_were(server, quads):
    store = server.base + "/store"
    Loader(Endpoints.derive(store)).load(payloads(quads))
    before = counts(server)
    graphs = {g: data + b"<http://example.org/new> <http://example.org/p> \"changed\" .\n" for g, data in payloads(quads).items()}

    class DyingLoader(Loader):
        sent = 0

        def _gsp(self, method, graph, data=None):
            self.sent += 1
            if self.sent == 3:
                server.kill()
            return super()._gsp(method, graph, data)

    with pytest.raises(EndpointError, match="Connection refused"):
        DyingLoader(Endpoints.derive(store), retries=1, lease=1).load(graphs)  # its lock is stale in 1 s
    server.start()
    after = counts(server)
    assert {g: n for g, n in after.items() if not g.startswith(GRAPH + "staging/")} == before
    cleaned = Loader(Endpoints.derive(store)).load(payloads(quads))
    assert cleaned.dropped_stale == 2  # the two staged before the server died
    assert counts(server) == before


def test_endpoint_errors_are_one_line(cli, server, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/store"
    cases = [
        (closed, "Connection refused"),
        (server.base + "/nowhere/store", "HTTP 404"),
        ("http://user:secret@127.0.0.1/store", "put credentials in REALPOLITIK_ENDPOINT_USER"),
        ("http://127.0.0.1:1/sparql-graph-crud", "give --update and --query too"),
    ]
    for url, message in cases:
        run = cli("load", "--endpoint", url, "--retries", "1")
        assert run.exit_code == 2, url
        assert message in run.stderr and run.stderr.startswith("Error: nothing loaded:")
        assert len(run.stderr.strip().splitlines()) == 1 and "secret" not in run.output and "Traceback" not in run.output


class _Guarded(http.server.BaseHTTPRequestHandler):
    """Answers only with the right Basic credentials; 503 once, to test the retry."""

    calls = 0

    def do_POST(self):  # noqa: N802 (http.server's naming)
        type(self).calls += 1
        if type(self).calls == 1:
            self.send_response(503)
            self.end_headers()
            return
        import base64

        if self.headers.get("Authorization") != "Basic " + base64.b64encode(b"reader:s3cret").decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="test"')
            self.end_headers()
            return
        body = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"1"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_credentials_come_from_the_environment_and_are_never_printed(monkeypatch, tmp_path):
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Guarded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_port}/query"
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.netrc
    try:
        with pytest.raises(EndpointError) as info:
            request(url, "POST", b"ASK {}", retries=3, backoff=0.01)
        assert "HTTP 401 not authorized" in str(info.value)
        monkeypatch.setenv("REALPOLITIK_ENDPOINT_USER", "reader")
        monkeypatch.setenv("REALPOLITIK_ENDPOINT_PASSWORD", "wrong")
        with pytest.raises(EndpointError) as info:
            request(url, "POST", b"ASK {}", retries=1)
        assert "wrong" not in str(info.value)
        monkeypatch.setenv("REALPOLITIK_ENDPOINT_PASSWORD", "s3cret")
        assert b'"value":"1"' in request(url, "POST", b"ASK {}", retries=1)
        (tmp_path / ".netrc").write_text(f"machine 127.0.0.1 login reader password s3cret\n", encoding="utf-8")
        (tmp_path / ".netrc").chmod(0o600)
        monkeypatch.delenv("REALPOLITIK_ENDPOINT_USER")
        monkeypatch.delenv("REALPOLITIK_ENDPOINT_PASSWORD")
        assert b'"value":"1"' in request(url, "POST", b"ASK {}", retries=1)
    finally:
        httpd.shutdown()


class _Recording(http.server.BaseHTTPRequestHandler):
    """Challenges bodiless requests; records whether each request with a body came
    already authorized."""

    bodies_without_auth = 0
    bodies = 0

    def do_GET(self):  # noqa: N802
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Digest realm="test", nonce="abc123", qop="auth"')
        self.end_headers()

    def do_PUT(self):  # noqa: N802
        type(self).bodies += 1
        if "Authorization" not in self.headers:
            type(self).bodies_without_auth += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_regression_large_bodies_go_with_their_credentials(monkeypatch):
    """Virtuoso answered 401 before reading a large Graph Store body, and the client got
    a broken pipe instead of a chance to authenticate: credentials now go with the body."""
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recording)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("REALPOLITIK_ENDPOINT_USER", "dba")
    monkeypatch.setenv("REALPOLITIK_ENDPOINT_PASSWORD", "dba")
    try:
        url = f"http://127.0.0.1:{httpd.server_port}/sparql-graph-crud-auth?graph=urn:x"
        for _ in range(3):
            request(url, "PUT", b"<urn:a> <urn:b> <urn:c> .\n" * 20000, {"Content-Type": "application/n-triples"})
        assert (_Recording.bodies, _Recording.bodies_without_auth) == (3, 0)
    finally:
        httpd.shutdown()


def _is_move(method, path, body) -> bool:
    return method == "POST" and path.startswith("/update") and b"MOVE+GRAPH" in body


def test_regression_a_move_answered_after_the_timeout_is_counted_not_sent_again(cli, server, quads):
    """The final MOVE answered after --timeout was sent again, and the second MOVE SILENT
    of the staging graphs it had already moved emptied every target: "nothing loaded"
    and an empty store. Now the store is counted: the move was applied, the load done."""
    with Proxy(server.base, lambda m, p, b: ("delay after", 8) if _is_move(m, p, b) else None) as proxy:
        run = cli("load", "--endpoint", proxy.base + "/store", "--timeout", "6")  # the move itself takes ~3 s
    assert run.exit_code == 0, run.output
    assert counts(server) == expected(quads)
    assert sum(_is_move(*r) for r in proxy.requests) == 1  # not sent again: the count showed it applied


def test_regression_a_move_not_applied_when_its_answer_is_lost_is_sent_once_more(server):
    """The first MOVE reaches the store only after the client gave up on it and counted
    (the staging graphs whole); the one sent again applies, and the late one fails
    harmlessly, because MOVE without SILENT needs its staging graph."""
    graphs = {GRAPH + f"source/s{n}": b"<http://example.org/a> <http://example.org/b> \"%d\" .\n" % n for n in range(3)}
    seen = []

    def hook(method, path, body):
        if _is_move(method, path, body):
            seen.append(1)
            return ("delay before", 3) if len(seen) == 1 else None
        return None

    with Proxy(server.base, hook) as proxy:
        loaded = Loader(Endpoints.derive(proxy.base + "/store"), timeout=1).load(graphs)
    assert loaded.graphs == {g: 1 for g in graphs} and len(seen) == 2
    assert counts(server) == {g: 1 for g in graphs}  # the late first MOVE emptied nothing


def test_a_move_the_store_cut_in_part_is_said_as_the_state_it_left(server):
    """A store that applied only some of the moves (as a non-atomic one may) and lost the
    answer: the load says how many graphs were placed and how to put it right, not
    "nothing loaded"."""
    graphs = {GRAPH + f"source/s{n}": b"<http://example.org/a> <http://example.org/b> \"%d\" .\n" % n for n in range(3)}
    first = sorted(graphs)[0]

    def hook(method, path, body):
        if _is_move(method, path, body):
            return ("close",)
        return None

    class HalfMoving(Loader):
        def update(self, text, idempotent=True):
            if "MOVE GRAPH" in text:  # the store applies the first move, then the answer is lost
                Loader(Endpoints.derive(server.base + "/store")).update(text.split(" ;\n")[0])
            return super().update(text, idempotent)

    with Proxy(server.base, hook) as proxy:
        with pytest.raises(LoadError) as info:
            HalfMoving(Endpoints(proxy.base + "/store", proxy.base + "/update", server.base + "/query"), timeout=1, retries=1).load(graphs)
    assert info.value.store_changed
    assert "applied in part: 1 of 3 graphs" in str(info.value) and "run the load again" in str(info.value)
    assert counts(server)[first] == 1


def test_regression_two_loads_at_once_give_one_load(server, quads):
    """Two loads at once left duplicated triples (interleaved moves), or one dropped the
    other's staging graphs and said "nothing loaded". Now the second waits for the
    first's lock: both succeed, one after the other, and the store holds one load."""
    import concurrent.futures

    graphs = payloads(quads)
    # Each staging PUT slowed down, so that the two loads overlap for sure.
    with Proxy(server.base, lambda m, p, b: ("delay before", 0.05) if m == "PUT" else None) as proxy:
        def one():
            return Loader(Endpoints.derive(proxy.base + "/store"), timeout=30).load(graphs)

        for _ in range(2):
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                results = [f.result() for f in [pool.submit(one), pool.submit(one)]]
            assert all(r.graphs == expected(quads) for r in results)
            assert all(r.dropped_stale == 0 for r in results)  # neither dropped the other's staging graphs
            assert counts(server) == expected(quads)


def test_a_second_load_that_cannot_wait_fails_cleanly_and_a_dead_loads_lock_is_taken_over(server, quads):
    store = server.base + "/store"
    graphs = payloads(quads)
    holder = Loader(Endpoints.derive(store), lease=2)
    holder.acquire()  # a load that holds the lock, then dies
    with pytest.raises(LoadError, match="another load is running on this store"):
        Loader(Endpoints.derive(store), wait=0.5).load(graphs)
    assert counts(server).keys() <= {GRAPH + "staging/lock"}
    import time

    time.sleep(2.5)
    assert Loader(Endpoints.derive(store), wait=0.5).load(graphs).graphs == expected(quads)
    assert GRAPH + "staging/lock" not in counts(server)  # the lock is released after a load


def test_regression_a_source_removed_since_the_last_load_leaves_the_store(cli, server, quads):
    """A re-load after a source was removed kept its old graph. Replacing now drops, in
    the same update, every graph under the project's graph base the load does not bring;
    graphs of others stay; --merge drops nothing."""
    store = server.base + "/store"
    gone, other = GRAPH + "source/an-article-since-removed", "http://example.org/someone-elses"
    for graph in (gone, other):
        request(f"{store}?graph={graph}", "PUT", b"<http://example.org/x> <http://example.org/y> <http://example.org/z> .\n",
                {"Content-Type": "application/n-triples"})
    assert cli("load", "--endpoint", store, "--merge").exit_code == 0
    assert gone in counts(server)
    run = cli("load", "--endpoint", store)
    assert run.exit_code == 0, run.output
    assert f"removed  {gone} (not in this load)" in run.stdout
    assert counts(server) == {**expected(quads), other: 1}
