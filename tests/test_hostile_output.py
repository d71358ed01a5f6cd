"""Hostile data meets the output: links in the site and the pictures go only to http(s)
or relative addresses, text for people cannot forge a line or run a terminal escape,
CSV cells cannot run as formulas, and commands read only regular files and write only
where their purpose allows. Each case gets its exit code and message, and none prints a
traceback or changes the dataset or the package's code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import PREFIXES, REPO, digest, protected_digest

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
FORGED = "\n::error file=README.md,line=1::forged"
# What a data file may hold (the parser refuses C0 controls other than tab, LF and CR).
HOSTILE_TEXT = "x" + FORGED + "\r::warning::carriage\u202eevil\u2066\x9b31m\x85"
LINK_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "{http://www.w3.org/1999/xlink}href", "poster", "data"}


def turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


HOSTILE_DATA = PREFIXES + f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
rpd:state-irn rdfs:seeAlso <javascript:alert(1)> , <JaVaScRiPt:alert(2)> , <data:text/html;base64,PHNjcmlwdD4=> ,
    <vbscript:msgbox(1)> , <file:///etc/passwd> , <https://example.org/fine> .
<javascript:alert(3)> a rp:State ; rdfs:label "Evil state"@en ; rp:isoCode "EVL" .
rpd:state-hostile a rp:State ; rdfs:label "</script><script>alert(1)</script> \\" onmouseover=\\"alert(2) {{{{7*7}}}} -->]]>"@en ;
    rp:isoCode "HST" ; rdfs:comment "[click](javascript:alert(1)) <svg onload=alert(1)>"@en .
rpd:state-long a rp:State ; rdfs:label "{'L' * 10_000}"@en ; rp:isoCode "LNG" .
rpd:state-rtl a rp:State ; rdfs:label "abc\u202edcba\u2066"@en ; rp:isoCode "RTL" .
rpd:transfer-hostile a rp:WeaponsTransfer ; rp:supplier <javascript:alert(3)> ; rp:recipient rpd:state-hostile ;
    rp:itemDescription {turtle_string(HOSTILE_TEXT)}@en ; rp:orderDate "2019"^^xsd:gYear .
<javascript:alert(4)> a rp:Meeting ; rdfs:label "A meeting at javascript:"@en ; rp:date "2020-01-02"^^xsd:date ;
    rp:participant rpd:state-irn .
rpd:claim-hostile-a a rp:Claim ; rp:claimant rpd:state-irn ; rp:stance rpv:affirms ; rp:modality rpv:certain ;
    rp:claimKind rpv:report ; rp:statement {turtle_string("Claim a" + FORGED)}@en ; rp:supports rpd:transfer-hostile ;
    rp:claimedStatus rpv:delivered ; rp:about rpd:state-irn ;
    rp:evidence [ a oa:SpecificResource ; oa:hasSource rpd:source-russia-quiet-on-saving-iran ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {turtle_string("quote a" + HOSTILE_TEXT)} ] ] .
rpd:claim-hostile-b a rp:Claim ; rp:claimant rpd:state-rus ; rp:stance rpv:denies ; rp:modality rpv:certain ;
    rp:claimKind rpv:denial ; rp:statement "Claim b"@en ; rp:supports rpd:transfer-hostile ; rp:about rpd:state-irn ;
    rp:evidence [ a oa:SpecificResource ; oa:hasSource rpd:source-russia-quiet-on-saving-iran ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {turtle_string("quote b" + FORGED)} ] ] .
"""


def assert_safe_text(output: str) -> None:
    """No line of text output begins with a workflow command, and no raw control
    character or bidi override is in it."""
    lines = output.split("\n")
    assert not [line for line in lines if line.lstrip().startswith("::")], output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", output), repr(output)


def link_scheme_ok(url: str) -> bool:
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return (scheme is None and ":" not in re.split(r"[/?#]", url)[0]) or scheme.group(1) in ("http", "https")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in LINK_ATTRIBUTES and value is not None]


def html_links(text: str) -> list[str]:
    parser = Links()
    parser.feed(text)
    return parser.links


def svg_links(text: str) -> list[str]:
    return [value for element in ET.fromstring(text).iter() for name, value in element.attrib.items()
            if name in LINK_ATTRIBUTES]


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory):
    """A copy of the dataset with HOSTILE_DATA in it."""
    from realpolitik.paths import dataset_root

    root = tmp_path_factory.mktemp("hostile") / "dataset"
    for part in ("ontology", "shapes", "data"):
        shutil.copytree(dataset_root() / part, root / part)
    (root / "data" / "shared" / "hostile.ttl").write_text(HOSTILE_DATA, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_site(hostile_root, tmp_path_factory):
    from realpolitik.site import build

    out = tmp_path_factory.mktemp("hostile-site") / "site"
    build(out, hostile_root)
    return out


# --- 1. links: only http, https and relative ---------------------------------------------


@needs_dot
def test_javascript_and_data_iris_are_never_an_href_in_the_site(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    bad = [(p.name, link) for p in pages for link in html_links(p.read_text(encoding="utf-8")) if not link_scheme_ok(link)]
    assert bad == []
    page = (hostile_site / "actors" / "state-irn.html").read_text(encoding="utf-8")
    assert "<code>&lt;javascript:alert(1)&gt;</code>" in page and "<code>&lt;JaVaScRiPt:alert(2)&gt;</code>" in page
    assert '<a href="https://example.org/fine">' in page  # http(s) stays a link


@needs_dot
def test_a_javascript_actor_iri_is_no_link_in_the_graph_or_timeline_svg(hostile_root, cli, tmp_path):
    for command, extra in (("graph", []), ("timeline", [])):
        out = tmp_path / f"{command}.svg"
        run = cli("--root", hostile_root, command, "--format", "svg", "--out", out, *extra)
        assert run.exit_code == 0, run.output
        svg = out.read_text(encoding="utf-8")
        links = svg_links(svg)
        assert links and all(link_scheme_ok(link) for link in links), [link for link in links if not link_scheme_ok(link)]
        assert "Evil state" in svg or "A meeting at javascript:" in svg  # drawn, not linked
    html = tmp_path / "timeline.html"
    assert cli("--root", hostile_root, "timeline", "--format", "html", "--out", html).exit_code == 0
    assert all(link_scheme_ok(link) for link in html_links(html.read_text(encoding="utf-8")))


@needs_dot
def test_the_site_inline_svg_links_only_to_http_or_relative(hostile_site):
    for page in ("graph.html", "timeline.html", "actors/state-hostile.html"):
        text = (hostile_site / page).read_text(encoding="utf-8")
        svg = text[text.index("<svg"): text.index("</svg>") + 6]
        links = svg_links(svg)
        assert links and all(link_scheme_ok(link) for link in links), page


@pytest.mark.parametrize("url, allowed", [
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), (" javascript:alert(1)", False),
    ("\tjavascript:alert(1)", False), ("java\nscript:alert(1)", False), ("\x01javascript:x", False),
    ("data:text/html,x", False), ("vbscript:x", False), ("file:///etc/passwd", False), ("java&#115;cript:x", False),
    ("javascript&colon;alert(1)", True),  # no scheme: a relative name, escaped into the attribute as it is
    ("http://example.org/a?b=c&d", True), ("https://example.org/", True), ("../actors/state-irn.html#x", True),
    ("#anchor", True), ("state-irn.ttl", True), ("\x85javascript:x", False), ("", False),
])
def test_safe_href_lets_through_only_http_https_and_relative(url, allowed):
    from realpolitik.links import safe_href

    assert (safe_href(url) is not None) == allowed


# --- 2. text for people: no forged line, no terminal escape --------------------------------


def test_validate_text_output_cannot_forge_an_annotation_line(cli, hostile_root):
    run = cli("--root", hostile_root, "validate", "--skip", "consistency", "--skip", "shacl", "--skip", "qc")
    assert run.exit_code == 1, run.output
    assert "does not occur" in run.output and "\\n::error file=README.md" in run.output
    assert_safe_text(run.output)
    github = cli("--root", hostile_root, "validate", "--format", "github", "--skip", "consistency", "--skip", "shacl", "--skip", "qc")
    lines = github.stdout.splitlines()
    assert "forged" in github.stdout and not [line for line in lines if line.startswith("::error file=README.md")]
    assert all(re.match(r"::(error|warning|notice) file=", line) for line in lines[:-1])
    assert "\x9b" not in github.stdout and "\u202e" not in github.stdout


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_query_and_sparql_tables_cannot_forge_a_line(cli, hostile_root, fmt):
    run = cli("--root", hostile_root, "sparql", "--format", fmt,
              'SELECT ?quote WHERE { ?selector oa:exact ?quote FILTER(STRSTARTS(?quote, "quote a")) }')
    assert run.exit_code == 0, run.output
    assert "\\u202e" in run.output  # shown, escaped
    assert_safe_text(run.output)
    run = cli("sparql", "--format", fmt, 'SELECT ?x WHERE { BIND("a\\n::error file=README.md,line=1::forged\\u001b[2J\\u202e" AS ?x) }')
    assert run.exit_code == 0 and "\\x1b[2J" in run.output
    assert_safe_text(run.output)


def test_json_and_tsv_stay_exact(cli):
    query = 'SELECT ?x WHERE { BIND("a\\n::b\\u001b" AS ?x) }'
    assert cli("sparql", "--format", "json", query).json()["results"]["bindings"][0]["x"]["value"] == "a\n::b\x1b"
    assert cli("sparql", "--format", "tsv", query).stdout.splitlines()[0] == "?x"


def test_disputes_text_cannot_forge_a_line(cli, hostile_root):
    run = cli("--root", hostile_root, "disputes", "--about", "rpd:state-irn")
    assert run.exit_code == 0, run.output
    assert "quote b\\n::error file=README.md" in run.output
    assert_safe_text(run.output)
    exact = cli("--root", hostile_root, "disputes", "--about", "rpd:state-irn", "--format", "json")
    assert any(d["b"]["quote"] == "quote b" + FORGED or d["a"]["quote"] == "quote b" + FORGED for d in exact.json())


def test_text_commands_cannot_forge_a_line(cli, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Body with \x1b[31mred\x1b[0m and \u202eevil. Again evil.\n::error file=README.md,line=1::forged\n", encoding="utf-8")
    run = cli("text", "quote", page, "evil.")
    assert run.exit_code == 0, run.output
    assert "\\u202E" in run.stdout and "\\u001B" in run.stdout  # the prefix, in Turtle escapes
    assert_safe_text(run.stdout)
    cleaned = cli("text", "clean", page)
    assert cleaned.exit_code == 0 and "\\x1b[31mred" in cleaned.stdout
    assert "\x1b" not in cleaned.stdout and "\u202e" not in cleaned.stdout


def test_one_line_errors_escape_what_they_quote(cli):
    run = cli("query", "transfers", "--status", "x\u202ey")
    assert run.exit_code == 2
    assert_safe_text(run.stderr)
    assert len(run.stderr.strip().splitlines()) == 1


# --- 3. CSV cells that a spreadsheet would run -----------------------------------------------

CSV_QUERY = ('SELECT ?a ?b ?c ?d ?e ?f ?n ?y ?bad WHERE { BIND("=1+1" AS ?a) BIND("+cmd"@en AS ?b) BIND("-2+3" AS ?c) '
             'BIND("@SUM(A1)" AS ?d) BIND("\\tx" AS ?e) BIND("\\rx" AS ?f)  BIND(-5 AS ?n) '
             'BIND(STRDT("-0044", xsd:gYear) AS ?y) BIND(STRDT("=1+1", xsd:integer) AS ?bad) }')


def test_csv_cells_that_start_a_formula_get_a_quote_and_numbers_stay_numbers(cli):
    import csv
    import io

    run = cli("sparql", "--format", "csv", CSV_QUERY)
    assert run.exit_code == 0, run.output
    row = list(csv.reader(io.StringIO(run.stdout)))[1]
    assert row == ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-5", "-0044", "'=1+1"]
    raw = list(csv.reader(io.StringIO(cli("sparql", "--format", "csv", "--raw-csv", CSV_QUERY).stdout)))[1]
    assert raw == ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-5", "-0044", "=1+1"]


def test_csv_neutralising_in_the_python_api_and_off_with_a_keyword():
    from realpolitik.querying import run_sparql
    from realpolitik.querying.results import as_csv, render

    result = run_sparql('SELECT ?a WHERE { BIND("=HYPERLINK(\\"http://x\\")" AS ?a) }')
    assert as_csv(result).splitlines()[1] == '"\'=HYPERLINK(""http://x"")"'
    assert as_csv(result, raw=True).splitlines()[1] == '"=HYPERLINK(""http://x"")"'
    assert render(result, "csv", raw_csv=True) == as_csv(result, raw=True)


# --- 4. build --out replaces only a release, and keeps a site inside it ---------------------


def _build(cli, out, root=None):
    return cli(*(["--root", root] if root else []), "build", "--no-reasoning", "--out", out)


def test_build_over_a_void_ttl_and_other_files_refuses_and_touches_nothing(cli, tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "void.ttl").write_text(PREFIXES, encoding="utf-8")
    (out / "thesis.docx").write_text("years of work")
    before = digest(out)
    run = _build(cli, out)
    assert run.exit_code == 2
    assert run.stderr.strip() == f"Error: {out}: holds thesis.docx, which is not part of the release; build will not replace it"
    assert digest(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


@needs_dot
def test_site_then_build_then_build_again_keeps_the_site(cli, tmp_path):
    dist = tmp_path / "dist"
    assert cli("site", "--out", dist / "site").exit_code == 0  # the README's order: site, then build
    pages = digest(dist / "site")
    first = _build(cli, dist)
    assert first.exit_code == 0, first.output
    assert digest(dist / "site") == pages
    assert cli("build", "--check", dist).exit_code == 0  # the site is not part of the release
    (dist / "realpolitik-data.nt").write_text("stale")
    again = _build(cli, dist)
    assert again.exit_code == 0, again.output
    assert digest(dist / "site") == pages and (dist / "realpolitik-data.nt").read_text() != "stale"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_a_site_carried_over_by_a_killed_build_is_put_back(tmp_path):
    from realpolitik import folders

    dead = 2**22 + 12345
    old = tmp_path / f".dist.old-{dead}"
    (old / "site").mkdir(parents=True)
    (old / "site" / folders.SITE_MARKER).write_text("")
    (old / "site" / "index.html").write_text("the site")
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "void.ttl").write_text("new release")
    folders.recover(tmp_path / "dist")
    assert (tmp_path / "dist" / "site" / "index.html").read_text() == "the site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


# --- 5. writing only where a command's purpose allows -----------------------------------------


def test_export_never_overwrites_a_dataset_file(cli, dataset_copy):
    target = dataset_copy / "data" / "shared" / "states.ttl"
    before = target.read_bytes()
    run = cli("--root", dataset_copy, "export", "--out", target)
    assert run.exit_code == 2
    assert run.stderr.strip() == f"Error: {target}: is part of the dataset, or holds it; export writes its file elsewhere"
    assert target.read_bytes() == before


def test_an_out_through_a_link_into_the_dataset_is_refused(cli, dataset_copy, tmp_path):
    link = tmp_path / "innocent"
    link.symlink_to(dataset_copy / "data" / "shared")
    before = digest(dataset_copy)
    for args in (["export", "--out", link / "states.ttl"], ["site", "--out", link / "site"],
                 ["build", "--out", link / "dist"], ["text", "clean", "--out-dir", link]):
        run = cli("--root", dataset_copy, *args)
        assert run.exit_code == 2 and "is part of the dataset, or holds it" in run.stderr, (args, run.output)
    assert digest(dataset_copy) == before


# --- 6. data files that are links, devices or FIFOs ---------------------------------------------


@pytest.mark.parametrize("command", [["validate"], ["query", "transfers"], ["export"]])
def test_a_data_file_linked_to_a_secret_is_refused_and_the_secret_never_echoed(cli, dataset_copy, tmp_path, command):
    secret = tmp_path / "token"
    secret.write_text("ghp_0123456789abcdefSECRET\n")
    (dataset_copy / "data" / "shared" / "token.ttl").symlink_to(secret)
    run = cli("--root", dataset_copy, *command)
    assert run.exit_code == 2, run.output
    assert "ghp_" not in run.output and "Traceback" not in run.output
    assert "token.ttl: is a symbolic link; give the file it points to" in run.output


def _subprocess(args, timeout=60, **kwargs):
    """The real console script, so a hang is a failed test, not a stuck run."""
    return subprocess.run([sys.executable, "-m", "realpolitik", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, errors="replace", **kwargs)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_fifo_or_a_device_among_data_files_is_refused_without_hanging(dataset_copy, kind):
    target = dataset_copy / "data" / "shared" / "odd.ttl"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    done = _subprocess(["--root", dataset_copy, "validate"], timeout=120)
    assert done.returncode == 2, done.stderr
    assert "odd.ttl: is " in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_sparql_file_from_dev_zero_or_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "q.rq"
    os.mkfifo(fifo)
    for path, message in (("/dev/zero", "is not a regular file"), (fifo, "is not a regular file")):
        done = _subprocess(["sparql", "--file", path], timeout=30)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


# --- 7. parameters and release descriptions ------------------------------------------------------


def test_a_parameter_that_is_not_utf8_is_a_one_line_error(cli):
    run = cli("query", "transfers", "--recipient", "\udcff")  # what click gives for the byte 0xff
    assert run.exit_code == 2
    assert run.stderr.strip() == "Error: --recipient: holds the byte 0xff, which is not UTF-8; give plain text"


def test_a_parameter_with_bytes_from_the_shell_is_a_one_line_error():
    done = subprocess.run([sys.executable, "-m", "realpolitik", "query", "transfers", "--recipient", b"\xff"],
                          capture_output=True, timeout=60)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert done.stderr.strip() == b"Error: --recipient: holds the byte 0xff, which is not UTF-8; give plain text"


def test_build_check_of_a_description_without_byte_sizes_is_a_one_line_error(cli, tmp_path):
    (tmp_path / "void.ttl").write_text(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<http://e/r> dcat:distribution [ dcterms:title \"realpolitik-data.nt\" ] .\n", encoding="utf-8")
    (tmp_path / "realpolitik-data.nt").write_text("")
    run = cli("build", "--check", tmp_path)
    assert run.exit_code == 2
    assert run.stderr.strip() == f"Error: {tmp_path / 'void.ttl'}: realpolitik-data.nt: no dcat:byteSize given"


def test_writing_past_the_file_size_limit_leaves_nothing_half_written(tmp_path):
    import resource

    out = tmp_path / "all.nt"

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = _subprocess(["export", "--out", out], preexec_fn=small_files, env={**os.environ, "REALPOLITIK_CACHE": "off"})
    assert done.returncode == 2, done.stderr
    assert "File too large" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


# --- the battery ---------------------------------------------------------------------------------

SECRET = "ghp_0123456789abcdefSECRET"
Q_FORGE = 'SELECT ?x WHERE { BIND("a\\n::error file=README.md,line=1::forged\\u001b[2J\\u202e\\u0085" AS ?x) }'


def _setup(tmp: Path) -> None:
    """What the cases below refer to, under ``tmp``."""
    (tmp / "secret").write_text(SECRET + "\n")
    (tmp / "secret-link.ttl").symlink_to(tmp / "secret")
    (tmp / "loop.ttl").symlink_to(tmp / "loop.ttl")
    os.mkfifo(tmp / "fifo.ttl")
    (tmp / "folder").mkdir()
    (tmp / "folder" / "a.ttl").write_text(PREFIXES)
    (tmp / "notes").mkdir()
    (tmp / "notes" / "mine.txt").write_text("keep me")
    (tmp / "file.txt").write_text("a file")
    (tmp / "file-link").symlink_to(tmp / "file.txt")
    (tmp / "latin1.rq").write_bytes(b"SELECT * WHERE { ?s ?p \"\xe9\" }")
    (tmp / "big.rq").write_text("SELECT * WHERE { ?s ?p ?o }" + " " * 500)
    named = tmp / "badname"
    named.mkdir()
    (Path(os.fsdecode(bytes(named) + b"/\xff.ttl"))).write_text(PREFIXES)
    release = tmp / "release"
    release.mkdir()
    (release / "void.ttl").write_text("this is not turtle {")
    with_stray = tmp / "with-stray"
    with_stray.mkdir()
    (with_stray / "void.ttl").write_text(PREFIXES)
    (with_stray / "notes.txt").write_text("mine")
    linked_void = tmp / "linked-void"
    linked_void.mkdir()
    (linked_void / "void.ttl").symlink_to(tmp / "secret")
    (linked_void / "x").write_text("x")
    (tmp / "release-link").symlink_to(with_stray)
    zero_release = tmp / "zero-release"
    zero_release.mkdir()
    (zero_release / "void.ttl").write_text(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix spdx: <http://spdx.org/rdf/terms#> .\n"
        '<http://e/r> dcat:distribution [ dcterms:title "realpolitik-data.nt" ; dcat:byteSize 1 ;'
        ' spdx:checksum [ spdx:checksumValue "00" ] ] .\n')
    (zero_release / "realpolitik-data.nt").symlink_to("/dev/zero")


R = str(REPO)
# id, arguments ({tmp} is the case's folder, {repo} the checkout), environment, exit code, in the output, not in it
BATTERY = [
    ("export into data/", ["export", "--out", "{repo}/data/shared/states.ttl"], {}, 2, "is part of the dataset, or holds it", None),
    ("export into ontology/", ["export", "--out", "{repo}/ontology/new.ttl"], {}, 2, "is part of the dataset, or holds it", None),
    ("export into shapes/", ["export", "--out", "{repo}/shapes/new.ttl"], {}, 2, "is part of the dataset, or holds it", None),
    ("export over the package's code", ["export", "--out", "{repo}/src/realpolitik/__init__.py"], {}, 2, "is the package's code (src/)", None),
    ("export with .. back into data/", ["export", "--out", "{tmp}/../../../../../../../../{repo}/data/x.nt"], {}, 2, "is part of the dataset", None),
    ("export onto a device", ["export", "--out", "/dev/null"], {}, 2, "is not a regular file (a device, a FIFO or a socket)", None),
    ("export onto a FIFO", ["export", "--out", "{tmp}/fifo.ttl"], {}, 2, "is not a regular file", None),
    ("export onto a link", ["export", "--out", "{tmp}/file-link"], {}, 2, "is a symbolic link; give the file itself", None),
    ("export onto a folder", ["export", "--out", "{tmp}/notes"], {}, 2, "is a folder; give a file name", None),
    ("export into a missing folder", ["export", "--out", "{tmp}/none/x.nt"], {}, 2, "does not exist", None),
    ("build into /", ["build", "--out", "/"], {}, 2, "is part of the dataset, or holds it", None),
    ("build into the repository root", ["build", "--out", "{repo}"], {}, 2, "is part of the dataset, or holds it", None),
    ("build into src/", ["build", "--out", "{repo}/src"], {}, 2, "is the package's code (src/), or holds it", None),
    ("build into a folder of notes", ["build", "--out", "{tmp}/notes"], {}, 2, "not empty and not a release (no void.ttl)", None),
    ("build over a file", ["build", "--out", "{tmp}/file.txt"], {}, 2, "is a file, not a folder", None),
    ("build over a void.ttl that does not parse", ["build", "--out", "{tmp}/release"], {}, 2, "void.ttl: cannot read it", None),
    ("build over a release with a stray file", ["build", "--out", "{tmp}/with-stray"], {}, 2, "holds notes.txt, which is not part of the release", None),
    ("build over a linked void.ttl", ["build", "--out", "{tmp}/linked-void"], {}, 2, "not empty and not a release", SECRET),
    ("build into a link to a release", ["build", "--out", "{tmp}/release-link"], {}, 2, "is a link, not a folder", None),
    ("build --check of a file that is /dev/zero", ["build", "--check", "{tmp}/zero-release"], {}, 1, "realpolitik-data.nt: is a symbolic link", None),
    ("site into data/texts", ["site", "--out", "{repo}/data/texts"], {}, 2, "is part of the dataset, or holds it", None),
    ("site into src/", ["site", "--out", "{repo}/src/realpolitik/site"], {}, 2, "is the package's code (src/)", None),
    ("site over a folder of notes", ["site", "--out", "{tmp}/notes"], {}, 2, "not empty and not a site", None),
    ("site over a file", ["site", "--out", "{tmp}/file.txt"], {}, 2, "is a file, not a folder", None),
    ("text clean into data/shared", ["text", "clean", "--out-dir", "{repo}/data/shared"], {}, 2, "text clean writes cleaned texts elsewhere (or into data/texts/)", None),
    ("text clean into ontology/", ["text", "clean", "--out-dir", "{repo}/ontology"], {}, 2, "is part of the dataset", None),
    ("text clean into src/", ["text", "clean", "--out-dir", "{repo}/src"], {}, 2, "is the package's code", None),
    ("text clean recipes from /dev/zero", ["text", "clean", "--recipes", "/dev/zero", "--out-dir", "{tmp}/notes"], {}, 2, "/dev/zero: is not a regular file", None),
    ("text clean of a linked secret", ["text", "clean", "{tmp}/secret-link.ttl"], {}, 2, "is a symbolic link", SECRET),
    ("text quote in /dev/zero", ["text", "quote", "/dev/zero", "x"], {}, 2, "/dev/zero: is not a regular file", None),
    ("text quote in a linked secret", ["text", "quote", "{tmp}/secret-link.ttl", "ghp"], {}, 2, "is a symbolic link", SECRET),
    ("text quote with an escape in EXACT", ["text", "quote", "{tmp}/file.txt", "\x1b[2J"], {}, 2, "holds the control character U+001B", None),
    ("sparql --file /dev/zero", ["sparql", "--file", "/dev/zero"], {}, 2, "/dev/zero: is not a regular file", None),
    ("sparql --file a linked secret", ["sparql", "--file", "{tmp}/secret-link.ttl"], {}, 2, "is a symbolic link", SECRET),
    ("sparql --file a FIFO", ["sparql", "--file", "{tmp}/fifo.ttl"], {}, 2, "is not a regular file", None),
    ("sparql --file a symlink loop", ["sparql", "--file", "{tmp}/loop.ttl"], {}, 2, "is a symbolic link", None),
    ("sparql --file a folder", ["sparql", "--file", "{tmp}/notes"], {}, 2, "is a directory", None),
    ("sparql --file Latin-1", ["sparql", "--file", "{tmp}/latin1.rq"], {}, 2, "not UTF-8 (byte 0xe9", None),
    ("sparql --file over the size limit", ["sparql", "--file", "{tmp}/big.rq"], {"REALPOLITIK_MAX_FILE_BYTES": "100"}, 2, "more than the limit of 100", None),
    ("sparql text with a byte that is not UTF-8", ["sparql", "SELECT * WHERE { ?s ?p \"\udce9\" }"], {}, 2, "the byte 0xe9, which is not UTF-8", None),
    ("validate a linked secret", ["validate", "--standalone", "{tmp}/secret-link.ttl"], {}, 2, "is a symbolic link; give the file it points to", SECRET),
    ("validate a FIFO", ["validate", "--standalone", "{tmp}/fifo.ttl"], {}, 2, "is not a regular file", None),
    ("validate a symlink loop", ["validate", "--standalone", "{tmp}/loop.ttl"], {}, 2, "loop.ttl: error: [syntax] is a symbolic link", None),
    ("validate /dev/zero", ["validate", "--standalone", "/dev/zero"], {}, 2, "is not a regular file", None),
    ("validate a file name that is not UTF-8", ["validate", "--standalone", "{tmp}/badname"], {}, 2, "\\xff.ttl: error: [syntax] its name is not UTF-8", None),
    ("a recipient with an escape sequence", ["query", "transfers", "--recipient", "\x1b[31mIran"], {}, 2, "--recipient: holds the control character U+001B", None),
    ("a search with a bidi override", ["query", "search", "--text", "\u202efighter"], {}, 2, "holds the control character U+202E", None),
    ("a search with a NUL", ["query", "search", "--text", "a\x00b"], {}, 2, "holds the control character U+0000", None),
    ("graph around a byte that is not UTF-8", ["graph", "--format", "dot", "--around", "\udcff"], {}, 2, "--around: holds the byte 0xff", None),
    ("disputes about a line break", ["disputes", "--about", "Iran\n::error::x"], {}, 2, "holds the control character U+000A", None),
    ("graph into data/", ["graph", "--format", "dot", "--out", "{repo}/data/graph.dot"], {}, 2, "is part of the dataset", None),
    ("timeline onto a device", ["timeline", "--format", "html", "--out", "/dev/null"], {}, 2, "is not a regular file", None),
    ("a forged line in a sparql table", ["sparql", Q_FORGE], {}, 0, "a ::error file=README.md,line=1::forged\\x1b[2J\\u202e", None),
    ("a forged line in sparql Markdown", ["sparql", "--format", "md", Q_FORGE], {}, 0, "\\u202e", None),
    ("a formula in sparql CSV", ["sparql", "--format", "csv", 'SELECT ?x WHERE { BIND("=cmd|\' /C calc\'!A0" AS ?x) }'], {}, 0, "'=cmd|", None),
    ("a formula in raw CSV", ["sparql", "--format", "csv", "--raw-csv", 'SELECT ?x WHERE { BIND("@x" AS ?x) }'], {}, 0, "\n@x\n", "'@x"),
    ("a negative number in CSV", ["sparql", "--format", "csv", "SELECT ?x WHERE { BIND(-5 AS ?x) }"], {}, 0, "\n-5\n", "'-5"),
    ("template-like text in a table", ["sparql", 'SELECT ?x WHERE { BIND("{{7*7}} ${7*7}" AS ?x) }'], {}, 0, "{{7*7}} ${7*7}", "49"),
]


@pytest.mark.parametrize("name, args, env, code, present, absent", BATTERY, ids=[c[0] for c in BATTERY])
def test_hostile_output(cli, tmp_path, dataset_before, name, args, env, code, present, absent):
    _setup(tmp_path)
    before = {p: d for p, d in digest(tmp_path).items() if "fifo" not in p.name}
    resolved = [a.replace("{tmp}", str(tmp_path)).replace("{repo}", R) for a in args]
    run = cli(*resolved, env=env)
    assert run.exit_code == code, run.output
    assert present in run.output, run.output
    assert absent is None or absent not in run.output, run.output
    assert "Traceback" not in run.output
    if code == 2:
        assert len(run.stderr.strip().splitlines()) <= 2, run.stderr  # one line (validate adds its count)
    if "csv" not in args and "--raw-csv" not in args:
        assert_safe_text(run.output)
    assert {p: d for p, d in digest(tmp_path).items() if "fifo" not in p.name} == before
    assert protected_digest() == dataset_before


def test_the_battery_has_at_least_35_cases():
    assert len(BATTERY) >= 35
