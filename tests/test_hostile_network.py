"""Hostile and broken servers and networks: each case a one-line error with its exit
code, no traceback, and, for loads, a store that holds what it held before (counted
through its own /query). Small servers in threads on 127.0.0.1 (servers.Raw), a real
Oxigraph behind a misbehaving proxy (servers.Proxy) where a store is needed."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from realpolitik.loading import LOCK, STAGING, Endpoints, Loader
from servers import Oxigraph, Proxy, Raw, free_port, http_answer

SELECT = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
TABLE = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "http://e/a"}}]}}).encode()


def table(bindings, variables=("n",)) -> bytes:
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}}).encode()


def trickle(method, path, headers, body):
    yield b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n"
    for byte in TABLE:
        yield 2
        yield bytes([byte])


def endless(method, path, headers, body):
    yield b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n"
    while True:
        yield b" " * 65536


def redirect(location, code=302):
    return lambda m, p, h, b: http_answer(code, headers={"Location": location})


def same_origin_307(method, path, headers, body):
    if path.startswith("/moved"):
        return http_answer(200, TABLE)
    return http_answer(307, headers={"Location": "/moved" + path})


AUTH = {"REALPOLITIK_ENDPOINT_USER": "u", "REALPOLITIK_ENDPOINT_PASSWORD": "p"}

# (case, answer of the server, extra environment, exit code, fragment of the message)
SERVED = [
    ("closes the connection mid-body", lambda *a: http_answer(200, TABLE, headers={"Content-Length": "1000"})[:-5], {}, 2, "closed mid-answer"),
    ("answers 200 with an HTML page", lambda *a: http_answer(200, b"<html><body>Welcome</body></html>", "text/html"), {}, 2, "not SPARQL JSON results"),
    ("answers SPARQL XML where JSON was asked", lambda *a: http_answer(200, b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"/>', "application/sparql-results+xml"), {}, 2, "not SPARQL JSON results"),
    ("sends a Content-Length larger than the limit", lambda *a: http_answer(200, TABLE, headers={"Content-Length": str(10**12)}), {}, 2, "more than 268,435,456 (REALPOLITIK_MAX_RESPONSE_BYTES)"),
    ("sends a gzip bomb as Content-Encoding", lambda *a: http_answer(200, gzip.compress(b" " * 10**7), headers={"Content-Encoding": "gzip"}), {}, 2, "gzip-encoded, which was not asked for"),
    ("sends a body in Brotli", lambda *a: http_answer(200, b"\x1b\x00", headers={"Content-Encoding": "br"}), {}, 2, "br-encoded"),
    ("redirects in a loop", redirect("/query", 307), {}, 2, "more than 5 redirects"),
    ("redirects to file://", redirect("file:///etc/passwd"), {}, 2, "redirect to file:///etc/passwd: not followed"),
    ("redirects to ftp://", redirect("ftp://127.0.0.1/x"), {}, 2, "redirect to ftp://127.0.0.1/x: not followed"),
    ("redirects a POST with 302 within its origin", redirect("/elsewhere"), {}, 2, "it would turn the POST into a GET"),
    ("redirects without a Location", lambda *a: http_answer(302), {}, 2, "redirect without a Location"),
    ("redirects with 307 within its origin", same_origin_307, {}, 0, "http://e/a"),
    ("answers 401 with a malformed WWW-Authenticate", lambda *a: http_answer(401, headers={"WWW-Authenticate": "Digest ,,,=\"\x01"}), AUTH, 2, "HTTP 401 not authorized"),
    ("answers 401 without credentials", lambda *a: http_answer(401, headers={"WWW-Authenticate": 'Basic realm="x"'}), {}, 2, "HTTP 401 not authorized"),
    ("a digest challenge with an unknown algorithm", lambda *a: http_answer(401, headers={"WWW-Authenticate": 'Digest realm="r", nonce="n", algorithm=SHA-512-FOO'}), AUTH, 2, "digest algorithm 'SHA-512-FOO'"),
    ("answers 500 with a 10 MB error body", lambda *a: http_answer(500, b"x" * 10**7, "text/plain"), {}, 2, "HTTP 500 server error (xxxx"),
    ("answers 429 with Retry-After 999999", lambda *a: http_answer(429, headers={"Retry-After": "999999"}), {}, 2, "the server asks to wait 999999 s"),
    ("answers 503 every time", lambda *a: http_answer(503), {}, 2, "HTTP 503 server error"),
    ("answers 404", lambda *a: http_answer(404), {}, 2, "HTTP 404 no such endpoint"),
    ("sends a non-UTF-8 body", lambda *a: http_answer(200, b"\xff\xfe\x00{\x00"), {}, 2, "not SPARQL JSON results"),
    ("sends a huge header", lambda *a: b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n", {}, 2, "a line too long"),
    ("sends 200 headers", lambda *a: b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n", {}, 2, "got more than 100 headers"),
    ("answers with a garbage status line", lambda *a: b"HELLO THERE\r\n\r\n", {}, 2, "a malformed answer"),
    ("closes without answering", lambda *a: b"", {}, 2, "closed the connection without an answer"),
    ("sends a broken chunked body", lambda *a: b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc", {}, 2, "mid-answer"),
    ("answers JSON without results", lambda *a: http_answer(200, b'{"head": {"vars": ["n"]}}'), {}, 2, "must contain a 'boolean' or a 'results' key"),
    ("answers bindings of the wrong shape", lambda *a: http_answer(200, b'{"head": {"vars": ["n"]}, "results": {"bindings": {"n": 1}}}'), {}, 2, "bindings must be an array"),
    ("answers a term without type", lambda *a: http_answer(200, table([{"n": {"value": "1"}}])), {}, 2, "must have a 'type' key"),
    ("answers a term without value", lambda *a: http_answer(200, table([{"n": {"type": "literal"}}])), {}, 2, "must have a 'value' key"),
    ("answers a bad term after a good one", lambda *a: http_answer(200, table([{"n": {"type": "literal", "value": "1"}}, {"n": {"type": "nonsense", "value": "1"}}])), {}, 2, "not SPARQL JSON results"),
    ("answers a boolean where a table was asked", lambda *a: http_answer(200, b'{"head": {}, "boolean": true}'), {}, 2, "not a table of results"),
    ("answers JSON null", lambda *a: http_answer(200, b"null"), {}, 2, "not SPARQL JSON results"),
    ("sends an endless body", endless, {"REALPOLITIK_MAX_RESPONSE_BYTES": "1000000"}, 2, "larger than 1,000,000 bytes (REALPOLITIK_MAX_RESPONSE_BYTES)"),
    ("sends one byte every 2 s", trickle, {}, 2, "no answer within 3 s"),
]


def one_line_failure(run, code: int, fragment: str) -> None:
    assert "Traceback" not in run.output
    assert run.exit_code == code, run.output
    if code:
        assert fragment in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    else:
        assert fragment in run.stdout


@pytest.mark.parametrize("case, answer, env, code, fragment", SERVED, ids=[c[0] for c in SERVED])
def test_a_hostile_endpoint_is_a_one_line_error(cli, monkeypatch, tmp_path, case, answer, env, code, fragment):
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.netrc
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with Raw(answer) as server:
        start = time.monotonic()
        run = cli("sparql", "--endpoint", server.base + "/query", "--timeout", "3", SELECT)
        elapsed = time.monotonic() - start
    one_line_failure(run, code, fragment)
    assert elapsed < 12  # every request bounded: 3 attempts at most, each within 3 s


def test_regression_a_trickling_server_is_given_the_timeout_in_all(cli):
    """One byte every 2 s kept `--timeout 3` waiting 100 s: the timeout was per read."""
    with Raw(trickle) as server:
        start = time.monotonic()
        run = cli("query", "transfers", "--endpoint", server.base + "/query", "--timeout", "3")
        elapsed = time.monotonic() - start
    one_line_failure(run, 2, "no answer within 3 s")
    assert elapsed < 4.5


def test_regression_an_endless_body_is_cut_at_the_limit(cli, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_MAX_RESPONSE_BYTES", "5000000")
    with Raw(endless) as server:
        run = cli("query", "transfers", "--endpoint", server.base + "/query", "--timeout", "20")
    one_line_failure(run, 2, "larger than 5,000,000 bytes")


def test_regression_credentials_never_follow_a_redirect_to_another_origin(cli, monkeypatch, tmp_path):
    """After Basic authentication a 302 to another origin carried the Authorization
    header there, and its answer was taken. Such a redirect is now not followed at all."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, value in AUTH.items():
        monkeypatch.setenv(name, value)
    with Raw(lambda *a: http_answer(200, TABLE)) as other:
        def guarded(method, path, headers, body):
            if "Authorization" not in headers:
                return http_answer(401, headers={"WWW-Authenticate": 'Basic realm="r"'})
            return http_answer(302, headers={"Location": other.base + "/query"})

        with Raw(guarded) as first:
            for command in (["sparql", SELECT], ["query", "transfers"]):
                run = cli(*command, "--endpoint", first.base + "/query")
                one_line_failure(run, 2, f"redirect to {other.base}/query: not followed")
            assert any("Authorization" in headers for _, _, headers in first.seen)
    assert other.seen == []  # never asked, so never given the credentials


URLS = [
    ("an endpoint URL with CRLF", "http://127.0.0.1:9/query\r\nX-Evil: 1", "may not hold spaces or control characters"),
    ("an endpoint URL with a space", "http://127.0.0.1:9/my query", "may not hold spaces or control characters"),
    ("an IPv6 literal on a closed port", f"http://[::1]:{free_port()}/query", "Connection refused"),
    ("a broken IPv6 literal", "http://[::1/query", "not a valid URL"),
    ("a port out of range", "http://127.0.0.1:99999/query", "not a valid URL"),
    ("userinfo in the URL", "http://admin:hunter2@127.0.0.1:9/query", "put credentials in REALPOLITIK_ENDPOINT_USER"),
    ("a file URL", "file:///etc/passwd", "not an http(s) endpoint URL"),
]


@pytest.mark.parametrize("case, url, fragment", URLS, ids=[c[0] for c in URLS])
def test_a_hostile_endpoint_url_is_a_one_line_error(cli, case, url, fragment):
    for command in (["sparql", SELECT], ["query", "transfers"]):
        run = cli(*command, "--endpoint", url, "--timeout", "3")
        one_line_failure(run, 2, fragment)
        assert "hunter2" not in run.output


def test_an_ipv6_literal_reaches_a_server_there(cli):
    import http.server
    import socket
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", str(len(TABLE)))
            self.end_headers()
            self.wfile.write(TABLE)

        def log_message(self, *args):
            pass

    class Server(http.server.HTTPServer):
        address_family = socket.AF_INET6

    server = Server(("::1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run = cli("sparql", "--endpoint", f"http://[::1]:{server.server_address[1]}/query", SELECT)
    finally:
        server.shutdown()
        server.server_close()
    assert run.exit_code == 0 and "http://e/a" in run.stdout


TIMEOUTS = ["inf", "nan", "-1", "0", "abc", "1e999"]


@pytest.mark.parametrize("value", TIMEOUTS)
def test_regression_a_timeout_that_is_not_a_finite_positive_number_is_a_one_line_error(cli, value):
    """--timeout inf / nan ended in tracebacks (poll and settimeout cannot take them)."""
    for command in (["sparql", SELECT], ["query", "transfers", "--endpoint", "http://127.0.0.1:9/query"],
                    ["load", "--endpoint", "http://127.0.0.1:9/store"]):
        run = cli(*command, "--timeout", value)
        one_line_failure(run, 2, f"--timeout {value}: give a number of seconds above 0")


def test_regression_the_query_child_dies_with_its_parent(tmp_path):
    """Killing `realpolitik sparql` left its forked child running a cartesian query at
    99% CPU, unbounded. The child now dies with its parent (PR_SET_PDEATHSIG), and its
    CPU time is limited to the timeout in any case."""
    env = {**os.environ, "REALPOLITIK_CACHE": str(tmp_path / "cache")}
    script = [sys.executable, "-m", "realpolitik", "sparql", "--timeout", "60",
              "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"]
    parent = subprocess.Popen(script, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        children = []
        deadline = time.monotonic() + 120  # the first run builds the store cache
        while not children and time.monotonic() < deadline and parent.poll() is None:
            time.sleep(0.2)
            try:
                children = open(f"/proc/{parent.pid}/task/{parent.pid}/children").read().split()
            except OSError:
                pass
        assert children, "the query never started a child"
        child = int(children[0])
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        gone = time.monotonic() + 5
        while time.monotonic() < gone and _alive(child):
            time.sleep(0.1)
        assert not _alive(child)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def _alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


# Loads through a proxy in front of a real Oxigraph. The dataset is a small one of three
# graphs (the loader's network behaviour is what is tried, not the assembling).
GRAPH = "https://w3id.org/realpolitik/graph/"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    server = Oxigraph(tmp_path_factory.mktemp("store")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def small_dataset(monkeypatch):
    import pyoxigraph as ox

    quads = [ox.Quad(ox.NamedNode(f"http://example.org/s{n}"), ox.NamedNode("http://example.org/p"), ox.Literal(f"new {n}"),
                     ox.NamedNode(GRAPH + f"source/s{n % 3}")) for n in range(30)]
    monkeypatch.setattr("realpolitik.loading.working_quads", lambda root=None, product="full": quads)


def store_counts(server) -> dict[str, int]:
    rows = Loader(Endpoints.derive(server.base + "/store")).select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def _is(method, path, body, kind: str) -> bool:
    if kind == "PUT":
        return method == "PUT"
    if kind == "count":
        return method == "POST" and path.startswith("/query") and b"COUNT" in body
    if kind == "move":
        return method == "POST" and path.startswith("/update") and b"MOVE+GRAPH" in body
    return False




def refusing_after(n: int):
    """Forwards ``n`` requests, then closes every connection: a store that died."""
    count = []

    def hook(method, path, body):
        count.append(1)
        return ("close",) if len(count) > n else None

    return hook


def when(kind: str, action):
    return lambda method, path, body: action if _is(method, path, body, kind) else None


def wrong_count(body: bytes) -> bytes:
    answer = json.loads(body)
    for row in answer["results"]["bindings"]:
        row["n"]["value"] = str(int(row["n"]["value"]) + 1)
    return json.dumps(answer).encode()


LOADS = [
    ("refuses after the staging PUT", lambda: refusing_after(4), 2, "nothing loaded"),
    ("dies mid-load", lambda: refusing_after(6), 2, "nothing loaded"),
    ("answers the count query with a wrong count", lambda: when("count", ("rewrite", wrong_count)), 2, "triples arrived of 10"),
    ("a Graph Store that accepts but stores nothing", lambda: when("PUT", ("answer", http_answer(204))), 2, "0 triples arrived of 10"),
    ("answers the count with an HTML page", lambda: when("count", ("answer", http_answer(200, b"<html/>", "text/html"))), 2, "not SPARQL JSON results"),
    ("answers the count with bindings of the wrong shape", lambda: when("count", ("answer", http_answer(200, b'{"head":{"vars":["g","n"]},"results":{"bindings":[7]}}'))), 2, "not SPARQL JSON results"),
    ("answers the count without the count", lambda: when("count", ("answer", http_answer(200, table([{"g": {"type": "uri", "value": GRAPH}}], ("g", "n"))))), 2, "not a table of graphs and counts"),
    ("answers the count with a count that is not a number", lambda: when("count", ("answer", http_answer(200, table([{"g": {"type": "uri", "value": GRAPH}, "n": {"type": "literal", "value": "many"}}], ("g", "n"))))), 2, "not a table of graphs and counts"),
    ("answers the move with 500", lambda: when("move", ("answer", http_answer(500, b"disk full", "text/plain"))), 2, "nothing loaded: " ),
    ("answers the staging PUT with 429 and Retry-After 999999", lambda: when("PUT", ("answer", http_answer(429, headers={"Retry-After": "999999"}))), 2, "asks to wait 999999 s"),
    ("answers the staging PUT with 401", lambda: when("PUT", ("answer", http_answer(401, headers={"WWW-Authenticate": 'Basic realm="x"'}))), 2, "HTTP 401 not authorized"),
    ("answers the staging PUT with 413 and a 10 MB body", lambda: when("PUT", ("answer", http_answer(413, b"y" * 10**7, "text/plain"))), 2, "HTTP 413"),
    ("answers the count after the timeout", lambda: when("count", ("delay after", 3)), 2, "no answer within 1 s"),
]


@pytest.mark.parametrize("case, hook, code, fragment", LOADS, ids=[c[0] for c in LOADS])
def test_a_hostile_store_leaves_what_it_held(cli, store, small_dataset, monkeypatch, tmp_path, case, hook, code, fragment):
    monkeypatch.setenv("HOME", str(tmp_path))
    direct = Loader(Endpoints.derive(store.base + "/store"))
    direct.update(f"DROP SILENT GRAPH <{LOCK}>")  # what an earlier case's dead load held
    assert cli("load", "--endpoint", store.base + "/store").exit_code == 0
    direct.update(f'INSERT DATA {{ GRAPH <{GRAPH}source/s0> {{ <http://example.org/old> <http://example.org/p> "old" }} }}')
    before = store_counts(store)
    with Proxy(store.base, hook()) as proxy:
        run = cli("load", "--endpoint", proxy.base + "/store", "--timeout", "1", "--retries", "2")
    one_line_failure(run, code, fragment)
    after = store_counts(store)
    assert {g: n for g, n in after.items() if not g.startswith(STAGING)} == before
    # What a load could not clean up there, the next one does.
    direct.update(f"DROP SILENT GRAPH <{LOCK}>")
    assert cli("load", "--endpoint", store.base + "/store").exit_code == 0
    assert not any(g.startswith(STAGING) for g in store_counts(store))


def test_the_query_child_may_use_no_more_cpu_time_than_its_limit():
    import multiprocessing
    import resource

    from realpolitik.querying.backends import _die_with_parent

    def child(send):
        _die_with_parent(2.5, os.getppid())
        send.send(resource.getrlimit(resource.RLIMIT_CPU)[0])

    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=child, args=(send,))
    process.start()
    assert receive.recv() == 4  # the limit, rounded up, and a second to spare
    process.join()


def test_an_update_is_sent_again_after_a_503_but_not_after_a_dropped_connection():
    from realpolitik.http import EndpointError, request

    for first, sent, lost in ((http_answer(503), 2, False), (b"", 1, True)):
        answers = [first, http_answer(200)]
        with Raw(lambda *a: answers.pop(0) if answers else http_answer(200)) as server:
            try:
                request(server.base + "/update", "POST", b"update=x", retries=3, backoff=0.01, idempotent=False)
                failed = None
            except EndpointError as exc:
                failed = exc
        assert len(server.seen) == sent
        assert (failed is not None and failed.lost) == lost
