"""The site as a reader sees it, in a real headless Chromium: what the browser renders
(--dump-dom) and screenshots of the pages that matter, kept in tests/output/screenshots/."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None or shutil.which("dot") is None,
                                reason="needs Debian's chromium and graphviz (.ci/run installs them)")
SHOTS = REPO / "tests" / "output" / "screenshots"
CLAIM = "claims/claim-russia-quiet-on-saving-iran-russia-is-one-of-irans-closest.html"
QUOTE = ("Russia is one of Iran’s closest partners, a rarity for the Middle Eastern nation, which has been made an "
         "international pariah through decades of sanctions.")


def chromium(*args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium once, in a profile of its own, stopped after 90 s."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={profile}", *args]
        # A process group of its own, so that its helpers are stopped with it.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = process.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            import os
            import signal

            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
        return subprocess.CompletedProcess(command, process.returncode, out, err)


def dom(path: Path) -> str:
    done = chromium("--dump-dom", path.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode("utf-8")


def screenshot(path: Path, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / name
    target.unlink(missing_ok=True)
    done = chromium(f"--screenshot={target}", "--window-size=1280,2000", "--hide-scrollbars", path.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return target


class Reader(HTMLParser):
    """What a reader sees: marked text, links with their text, sections by heading."""

    def __init__(self):
        super().__init__()
        self.marks, self.links, self.headings, self.texts = [], [], [], []
        self._mark = self._link = self._heading = None
        self.ids = set()
        self.svg_text = []
        self._in_svg = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "mark":
            self._mark = []
        elif tag == "a" and attrs.get("href"):
            self._link = (attrs["href"], [])
        elif tag in ("h1", "h2", "h3"):
            self._heading = []
        elif tag == "svg":
            self._in_svg += 1

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self.marks.append("".join(self._mark))
            self._mark = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join("".join(self._link[1]).split())))
            self._link = None
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        elif tag == "svg":
            self._in_svg -= 1

    def handle_data(self, data):
        for part in (self._mark, self._heading):
            if part is not None:
                part.append(data)
        if self._link is not None:
            self._link[1].append(data)
        if self._in_svg:
            self.svg_text.append(data)
        self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.texts).split())


def read(html: str) -> Reader:
    reader = Reader()
    reader.feed(html)
    return reader


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from realpolitik.site import build

    out = tmp_path_factory.mktemp("browser") / "site"
    build(out)
    return out


def test_a_claim_shows_its_quote_marked_in_context(site):
    page = read(dom(site / CLAIM))
    assert QUOTE in page.marks
    # In context: the text around the quote is on the page too, unmarked.
    assert "Iran came to Russia’s aid in its war with Ukraine" in page.text


def test_the_claim_links_to_its_source_where_the_quote_is(site):
    page = read(dom(site / CLAIM))
    href = next(h for h, text in page.links if text == "Russia quiet on saving Iran as Trump weighs attacking Tehran"
                and "#c-" in h)
    target, _, anchor = href.partition("#")
    source_path = (site / CLAIM).parent / target
    source = read(dom(source_path.resolve()))
    assert anchor in source.ids
    assert any(QUOTE.startswith(mark) or mark.startswith(QUOTE[:60]) for mark in source.marks)
    assert QUOTE in source.text
    # And back: the source links to the claim.
    assert any(h.endswith(Path(CLAIM).name) for h, _ in source.links)


def test_a_dispute_shows_both_sides(site):
    from realpolitik.disputes import disputes

    first = disputes()[0]
    page = read(dom(site / "disputes.html"))
    assert "Dispute 1: " + first.basis in " ".join(page.headings)
    assert first.a.quote in page.marks and first.b.quote in page.marks
    html = dom(site / "disputes.html")
    block = html[html.index('id="d-1"'):html.index('id="d-2"')]
    assert block.count('class="side"') == 2


def test_the_iran_page_shows_its_agreements_and_transfers(site):
    page = read(dom(site / "actors" / "state-irn.html"))
    assert page.headings[0] == "Iran"
    assert "Agreements and legal instruments" in page.headings and "Weapons transfers" in page.headings
    names = {text for _, text in page.links}
    assert {"Russia–Iran cooperation treaty (2001)", "Iran nuclear deal", "training aircraft",
            "advanced fighter aircraft"} <= names
    # Its ties, drawn: an SVG in the page that names Iran and Russia.
    assert "Iran" in page.svg_text and "Russia" in page.svg_text


def test_the_graph_is_embedded_and_names_iran(site):
    html = dom(site / "graph.html")
    page = read(html)
    assert "<svg" in html and "Iran" in page.svg_text and "training aircraft (delivered)" in page.svg_text


def test_screenshots_of_what_matters(site):
    from realpolitik.disputes import disputes

    assert disputes()
    shots = [screenshot(site / "actors" / "state-irn.html", "actor-iran.png"),
             screenshot(site / "disputes.html", "dispute.png"),
             screenshot(site / "graph.html", "graph.png"),
             screenshot(site / "timeline.html", "timeline.png")]
    for shot in shots:
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", shot
        assert len(data) > 30_000, f"{shot}: {len(data)} bytes, a blank page?"
