"""The pages ``realpolitik serve`` gives a person and a program: every IRI answered by
content negotiation (303 to its HTML page or to its statements), the site's pages
linked to each other, the static files with their types and the Content-Security-Policy,
and the query page driven in a real headless Chromium, over the DevTools protocol."""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from html import escape
from html.parser import HTMLParser
from importlib.resources import files as package_files
from pathlib import Path

import pytest

from conftest import REPO
from realpolitik.namespaces import BASE, ONTOLOGY, RP, RPD, RPV
from realpolitik.store import engine as ox
from servers import Serve

CSP = "default-src 'self'"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SHOTS = REPO / "tests" / "output" / "screenshots"
FORMATS = {".ttl": ("text/turtle", ox.RdfFormat.TURTLE), ".nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES)}
if hasattr(ox.RdfFormat, "JSON_LD"):
    FORMATS[".jsonld"] = ("application/ld+json", ox.RdfFormat.JSON_LD)


@pytest.fixture(scope="module")
def server():
    running = Serve()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def store():
    from realpolitik.querying import embedded

    return embedded(memory=True)


def first(store, kind: str) -> str:
    """The first IRI of a class or its subclasses, by IRI: no node of the data is named
    in the tests."""
    rows = store.select(f"SELECT ?x WHERE {{ ?x a/<{RDFS}subClassOf>* <{kind}> }} ORDER BY ?x LIMIT 1").rows
    return rows[0][0].value


def ask(server, path: str, accept: str | None = None, method: str = "GET"):
    """(status, headers, body) of one request, the path sent as it is, nothing followed."""
    parts = urllib.parse.urlsplit(server.base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        if accept is not None:
            connection.putheader("Accept", accept)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def path_of(iri: str) -> str:
    return "/" + iri[len(BASE):]


def canonical(triples) -> set[str]:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def described(store, *iris: str) -> set[str]:
    return canonical(store.evaluate("DESCRIBE " + " ".join(f"<{i}>" for i in iris)))


# --- content negotiation -------------------------------------------------------------------


@pytest.mark.parametrize("accept, ending", [
    ("text/html", ".html"),
    ("application/xhtml+xml", ".html"),
    (None, ".html"),
    ("*/*", ".html"),
    ("text/turtle", ".ttl"),
    ("application/n-triples", ".nt"),
    ("text/turtle;q=0.4, application/n-triples;q=0.9", ".nt"),
    ("text/html;q=0.1, text/turtle", ".ttl"),
    ("application/rdf+xml, text/turtle;q=0.5", ".ttl"),
    ("text/turtle;q=0, text/html", ".html"),
    ("text/html;q=0, */*;q=0.5", ".ttl"),
    ("text/*", ".html"),
    ("application/*", ".nt"),
    ("text/turtle;q=oops, application/n-triples;q=0.2", ".nt"),
])
def test_an_iri_answers_303_to_the_document_its_accept_asks_for(server, store, accept, ending):
    iri = first(store, RP + "State")
    status, headers, body = ask(server, path_of(iri), accept)
    assert status == 303 and body == b""
    assert headers["vary"] == "Accept"
    assert headers["location"].endswith(ending)
    if ending != ".html":
        assert headers["location"] == path_of(iri) + ending
    else:
        assert headers["location"].startswith("/site/")


def test_json_ld_is_offered_where_the_engine_writes_it(server, store):
    iri = first(store, RP + "State")
    status, headers, _ = ask(server, path_of(iri), "application/ld+json")
    if ".jsonld" in FORMATS:
        assert status == 303 and headers["location"] == path_of(iri) + ".jsonld"
    else:
        assert status == 406


@pytest.mark.parametrize("kind", [RP + "State", RP + "Claim", RP + "LegalInstrument"])
@pytest.mark.parametrize("ending", list(FORMATS))
def test_a_document_holds_the_statements_describe_gives(server, store, kind, ending):
    iri = first(store, kind)
    status, headers, body = ask(server, path_of(iri) + ending)
    media, rdf_format = FORMATS[ending]
    assert status == 200
    assert headers["content-type"].split(";")[0] == media
    assert headers["content-security-policy"] == CSP
    got = canonical(ox.parse(body, format=rdf_format))
    assert got and got == described(store, iri)


def test_the_html_page_is_the_sites_page_of_the_node(server, store):
    from realpolitik.site.model import Model

    iri = first(store, RP + "Claim")
    _, headers, _ = ask(server, path_of(iri), "text/html")
    status, page_headers, body = ask(server, headers["location"])
    assert status == 200 and page_headers["content-type"] == "text/html; charset=utf-8"
    assert page_headers["content-security-policy"] == CSP
    html = body.decode("utf-8")
    model = Model(store)
    assert headers["location"] == "/site/" + model.path[iri] + ".html"
    assert f"<h1>{escape(model.label(iri))}</h1>" in html
    assert f"IRI <code>{iri}</code>" in html


def test_the_ontology_and_a_concept_answer_as_a_hash_and_a_slash_namespace(server, store):
    status, headers, _ = ask(server, "/ontology", "text/html")
    assert status == 303 and headers["location"] == "/site/ontology/index.html"
    status, headers, _ = ask(server, "/ontology", "text/turtle")
    assert status == 303 and headers["location"] == "/ontology.ttl"
    _, _, body = ask(server, "/ontology.ttl")
    got = canonical(ox.parse(body, format=ox.RdfFormat.TURTLE))
    assert described(store, ONTOLOGY) <= got and described(store, RP + "Claim") <= got

    concept = first(store, SKOS + "Concept")
    assert concept.startswith(RPV)
    status, headers, _ = ask(server, path_of(concept), "text/html")
    target, _, anchor = headers["location"].partition("#")
    assert status == 303 and target == "/site/ontology/index.html"
    _, _, reference = ask(server, target)
    assert f'id="{anchor}"' in reference.decode("utf-8")
    _, _, body = ask(server, path_of(concept) + ".nt")
    assert canonical(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)) == described(store, concept)


@pytest.mark.parametrize("accept", ["application/rdf+xml", "image/png", "text/turtle;q=0, text/html;q=0"])
def test_an_accept_that_takes_none_of_the_formats_is_406(server, store, accept):
    status, headers, body = ask(server, path_of(first(store, RP + "State")), accept)
    assert status == 406
    line = body.decode("utf-8")
    assert line.count("\n") == 1 and "text/html" in line and "text/turtle" in line


@pytest.mark.parametrize("path", ["/id/no-such-thing", "/id/no-such-thing.ttl", "/id/", "/vocab/no-such-concept",
                                  "/ontologyx", "/ontology/no-such-module", "/site/no-such-page.html",
                                  "/site/actors/no-such-actor.html", "/static/no-such-file.js"])
def test_what_the_dataset_does_not_describe_is_404(server, path):
    status, headers, body = ask(server, path, "text/html")
    assert status == 404
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert body.decode("utf-8").startswith("not found: ") and body.count(b"\n") == 1


@pytest.mark.parametrize("path", [
    "/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/id/..%2f..%2f..%2fetc%2fpasswd",
    "/id/%252e%252e%252fetc%252fpasswd", "/site/../../../../etc/passwd", "/site/%2e%2e/%2e%2e/pyproject.toml",
    "/static/../pages.py", "/static/%2e%2e/pages.py", "/static/..%2fpages.py", "/id/%00", "/id/a%0d%0aSet-Cookie:x",
    "/id/" + "a" * 20_000, "/site/" + "../" * 3000 + "etc/passwd",
])
def test_a_hostile_path_is_refused_and_reads_nothing(server, store, path):
    status, headers, body = ask(server, path)
    assert status in (400, 404, 414)
    assert b"root:" not in body and b"import" not in body and b"[project]" not in body
    assert "set-cookie" not in headers
    assert len(body) < 1000
    # And the server answers the next request as before.
    assert ask(server, path_of(first(store, RP + "State")), "text/turtle")[0] == 303


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("href", "src"):
            if tag in ("a", "link", "script", "img") and attrs.get(key):
                self.links.append(attrs[key])


def links_of(html: str) -> list[str]:
    found = Links()
    found.feed(html)
    return found.links


def test_every_link_of_the_home_and_an_actors_page_answers(server, store):
    """The site's relative links, resolved from each page's address: every one 200."""
    iri = first(store, RP + "State")
    _, headers, _ = ask(server, path_of(iri), "text/html")
    pages = ["/site/index.html", headers["location"], "/"]
    seen = {}
    for page in pages:
        status, _, body = ask(server, page)
        assert status == 200, page
        for href in links_of(body.decode("utf-8")):
            target = urllib.parse.urljoin(server.base.rstrip("/") + page, href)
            if not target.startswith(server.base):
                continue  # another site's address (a source's), not one of ours
            local = urllib.parse.urlsplit(target)
            if local.path not in seen:
                seen[local.path] = ask(server, local.path, "text/html")[0]
    broken = {path: status for path, status in seen.items() if status not in (200, 303)}
    assert seen and not broken


# --- the query page and its files ------------------------------------------------------------


def test_the_static_files_are_served_with_their_types_and_the_policy(server):
    from realpolitik.serving.query_page import STATIC

    folder = package_files("realpolitik.serving").joinpath("static")
    for name, media in STATIC.items():
        status, headers, body = ask(server, "/static/" + name)
        assert status == 200, name
        assert headers["content-type"] == media
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert body == folder.joinpath(*name.split("/")).read_bytes()
    assert b"MIT" in ask(server, "/static/codemirror/LICENSE")[2]


def test_the_query_page_runs_only_what_the_package_ships(server):
    from realpolitik.querying.catalog import named

    status, headers, body = ask(server, "/")
    html = body.decode("utf-8")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-security-policy"] == CSP
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    for attrs, content in scripts:
        assert ('src="/static/' in attrs and not content) or 'type="application/json"' in attrs
    for href in links_of(html):
        assert href.startswith("/"), f"{href}: fetched from elsewhere"
    texts = json.loads(re.search(r'<script type="application/json" id="query-texts">(.*?)</script>', html, re.S)[1])
    assert texts == {q.name: q.text for q in named().values()}


# --- in a browser ---------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")


def high_pipe() -> tuple[int, int]:
    """A pipe on fds above 4, so that putting its ends on 3 and 4 in the child cannot
    overwrite one with the other."""
    import fcntl

    ends = os.pipe()
    high = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in ends)
    for fd in ends:
        os.close(fd)
    return high


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4), one
    page, every console error and exception kept."""

    def __init__(self):
        self.profile = tempfile.TemporaryDirectory(prefix="chromium-")
        to_chrome, self._in = high_pipe()
        self._out, from_chrome = high_pipe()
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--remote-debugging-pipe", "--window-size=1280,1600", f"--user-data-dir={self.profile.name}"]
        # Chromium reads the protocol on fd 3 and writes it on fd 4.
        start = (f"import os, sys; os.dup2({to_chrome}, 3); os.dup2({from_chrome}, 4); "
                 "os.execv(sys.argv[1], sys.argv[1:])")
        self.process = subprocess.Popen([sys.executable, "-c", start, *command], pass_fds=(to_chrome, from_chrome),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(to_chrome)
        os.close(from_chrome)
        self._id, self._buffer, self.events, self.errors = 0, b"", [], []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(domain + ".enable", session=True)

    def _read(self, deadline: float) -> dict:
        import select

        while b"\0" not in self._buffer:
            if not select.select([self._out], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._out, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        found = json.loads(message)
        if found.get("method") == "Runtime.exceptionThrown":
            self.errors.append(found["params"]["exceptionDetails"].get("exception", {}).get("description", "exception"))
        elif (found.get("method") == "Log.entryAdded" and found["params"]["entry"]["level"] == "error"
              and not found["params"]["entry"].get("url", "").endswith("/favicon.ico")):
            self.errors.append(found["params"]["entry"]["text"])
        elif found.get("method") == "Runtime.consoleAPICalled" and found["params"]["type"] == "error":
            self.errors.append(str(found["params"]["args"]))
        return found

    def send(self, method: str, params: dict | None = None, session: bool = False, seconds: float = 60):
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._in, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + seconds
        while True:
            found = self._read(deadline)
            if found.get("id") == self._id:
                if "error" in found:
                    raise RuntimeError(f"{method}: {found['error']}")
                return found["result"]
            self.events.append(found)

    def evaluate(self, expression: str):
        found = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                          session=True)
        if "exceptionDetails" in found:
            raise RuntimeError(found["exceptionDetails"])
        return found["result"].get("value")

    def until(self, expression: str, seconds: float = 60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(f"never true: {expression}")

    def open(self, url: str) -> None:
        self.send("Page.navigate", {"url": url}, session=True)
        self.until(f"location.href.startsWith({json.dumps(url.split('#')[0])}) && document.readyState === 'complete'")

    def click(self, selector: str) -> None:
        """A real click: the mouse pressed and released on the element's middle."""
        box = self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView(); "
                            "const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left",
                                                   "clickCount": 1}, session=True)

    def type(self, text: str) -> None:
        self.send("Input.insertText", {"text": text}, session=True)

    def screenshot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        target = SHOTS / name
        data = self.send("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        target.write_bytes(base64.b64decode(data))
        return target

    def close(self) -> None:
        import signal

        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        os.close(self._in)
        os.close(self._out)
        self.profile.cleanup()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium (.ci/run installs it)")
    opened = Browser()
    yield opened
    opened.close()


TABLE = "[...document.querySelectorAll('#results tbody tr')].map(r => [...r.cells].map(c => c.textContent))"
QUERY = ("SELECT ?state ?label (STRLEN(?label) AS ?length) WHERE { ?state a rp:State ; rdfs:label ?label . "
         "FILTER (LANG(?label) IN ('en', '')) }")


def test_the_query_page_runs_a_typed_query_sorts_it_and_links_to_its_iris(server, store, browser):
    from realpolitik.querying import with_prefixes

    browser.open(server.base)
    browser.until("document.querySelectorAll('#examples option').length > 1")
    browser.click(".CodeMirror")
    browser.evaluate("document.querySelector('.CodeMirror').CodeMirror.execCommand('selectAll')")
    browser.type(QUERY)
    assert browser.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()") == QUERY
    browser.click("#run")
    browser.until("document.querySelector('#results table') !== null")
    expected = store.select(with_prefixes(QUERY)).rows
    rows = browser.evaluate(TABLE)
    assert sorted(rows) == sorted([f"rpd:{s.value[len(RPD):]}", label.value, length.value]
                                  for s, label, length in expected)
    assert len(rows) > 1

    browser.click("#results th:nth-child(1)")  # by IRI, ascending, then descending
    iris = [row[0] for row in browser.evaluate(TABLE)]
    assert iris == sorted(iris)
    browser.click("#results th:nth-child(1)")
    assert [row[0] for row in browser.evaluate(TABLE)] == sorted(iris, reverse=True)
    browser.click("#results th:nth-child(3)")  # by a number, as a number
    lengths = [int(row[2]) for row in browser.evaluate(TABLE)]
    assert lengths == sorted(lengths)
    sorted_by = "document.querySelector('#results th:nth-child(3)').getAttribute('aria-sort')"
    assert browser.evaluate(sorted_by) == "ascending"
    shot = browser.screenshot("serve-query.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # Follow the first row's IRI: through its 303 to its page, which names it.
    first_row = browser.evaluate(TABLE)[0]
    href = browser.evaluate("document.querySelector('#results tbody tr a').getAttribute('href')")
    assert href == "/id/" + first_row[0].split(":", 1)[1]
    browser.click("#results tbody tr a")
    browser.until("location.pathname.startsWith('/site/') && document.readyState === 'complete'")
    assert browser.evaluate("document.querySelector('h1').textContent") == first_row[1]
    assert browser.evaluate("document.querySelector('footer code').textContent") == RPD + first_row[0].split(":", 1)[1]
    assert browser.errors == []


def test_a_named_query_fills_the_editor_and_its_quotes_are_shown(server, browser):
    from realpolitik.querying.catalog import named

    claims = named()["claims"]
    browser.open(server.base)
    browser.until("document.querySelectorAll('#examples option').length > 1")
    browser.evaluate("(() => { const s = document.getElementById('examples'); s.value = 'claims'; "
                     "s.dispatchEvent(new Event('change')); })()")
    assert browser.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()") == claims.text
    shown = browser.evaluate("document.getElementById('params').textContent")
    assert all("?" + p.name in shown for p in claims.params)
    browser.click("#run")
    browser.until("document.querySelector('#results table') !== null")
    heads = browser.evaluate("[...document.querySelectorAll('#results th')].map(h => h.textContent)")
    assert "quote" in heads
    column = heads.index("quote") + 1
    quotes = browser.evaluate(f"[...document.querySelectorAll('#results td:nth-child({column}) blockquote mark')]"
                              ".map(m => m.textContent)")
    assert quotes and all(quotes)
    browser.evaluate("document.querySelector('#results blockquote')"
                     ".scrollIntoView({block: 'center', inline: 'center'})")
    browser.screenshot("serve-query-quotes.png")
    assert browser.errors == []


def test_load_and_memory_of_the_iri_pages(server, store, capsys):
    """Requests per second on an IRI's HTML page (the 303 and the page) and its Turtle,
    over loopback, 200 requests from 4 threads, for the record; every answer the same."""
    iri = first(store, RP + "State")
    _, headers, _ = ask(server, path_of(iri), "text/html")
    paths = [path_of(iri), headers["location"], path_of(iri) + ".ttl"]
    expected = [ask(server, p, "text/html") for p in paths]
    answers = []

    def client(number: int):
        for i in range(50):
            path = paths[(number + i) % len(paths)]
            answers.append((path, ask(server, path, "text/html")))

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    by_path = dict(zip(paths, expected))
    assert len(answers) == 200
    assert all((answer[0], answer[2]) == (by_path[path][0], by_path[path][2]) for path, answer in answers)
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    with capsys.disabled():
        print(f"\nserve pages: {200 / elapsed:.0f} requests/s on /id/ (200 requests, 4 threads); "
              f"peak memory {int(peak) // 1024} MiB")


def test_without_graphviz_the_pages_answer_without_their_pictures(server, store, tmp_path):
    """dot not on PATH: an actor's page comes without its ties, the graph is a one-line 503."""
    from realpolitik.pictures import graph
    from realpolitik.site.model import Model

    iri = min(row["a"] for row in graph.ties(store))
    page = "/site/" + Model(store).path[iri] + ".html"
    assert b"<svg" in ask(server, page)[2]
    without = Serve(PATH=str(tmp_path))
    try:
        status, _, body = ask(without, page)
        assert status == 200 and b"<h1>" in body and b"<svg" not in body
        status, _, body = ask(without, "/site/graph.html")
        assert status == 503 and body.count(b"\n") == 1 and b"Graphviz" in body
    finally:
        without.stop()


def test_the_sites_pictures_and_reference_break_no_rule_of_the_policy(server, browser):
    """Under default-src 'self' the inline SVG pictures and the reference render with no
    violation (the browser reports each as an error)."""
    browser.errors.clear()
    for page in ("site/graph.html", "site/timeline.html", "site/ontology/index.html", "site/disputes.html"):
        browser.open(server.base + page)
        assert browser.evaluate("document.querySelector('h1').textContent")
    assert browser.evaluate("document.querySelectorAll('svg').length") == 0  # the disputes: text only
    browser.open(server.base + "site/graph.html")
    assert browser.evaluate("document.querySelectorAll('svg a').length") > 0
    assert browser.errors == []


def test_the_query_page_shows_a_refusal_and_a_graph_as_they_come(server, store, browser):
    """A query that does not parse: the server's one line, marked as an error; a
    DESCRIBE: its Turtle as the endpoint wrote it."""
    browser.open(server.base)
    set_query = "document.querySelector('.CodeMirror').CodeMirror.setValue({})"
    browser.evaluate(set_query.format(json.dumps("SELEC ?x WHERE { ?x ?y ?z }")))
    browser.click("#run")
    status = browser.until("document.querySelector('#status.error') && document.getElementById('status').textContent")
    assert status.startswith("400: the query does not parse")
    assert browser.evaluate("document.querySelector('#results').children.length") == 0

    iri = first(store, RP + "State")
    browser.evaluate(set_query.format(json.dumps(f"DESCRIBE <{iri}>")))
    browser.click("#run")
    turtle = browser.until("document.querySelector('#results pre')?.textContent")
    assert canonical(ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)) == described(store, iri)
    assert browser.evaluate("document.getElementById('status').className") == ""
    browser.errors[:] = [e for e in browser.errors if "status of 400" not in e]  # the refusal, as Chromium logs it
    assert browser.errors == []
