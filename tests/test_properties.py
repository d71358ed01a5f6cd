"""Properties that hold for any input, not just for the examples (hypothesis):

- every release format reads back as the graph that was written;
- validation finds the same problems whatever the order of files and triples;
- a name resolves to the same IRI however it is spelled among its aliases.
"""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE_EXAMPLE, SHAPE_EXAMPLES
from realpolitik.namespaces import PREFIXES
from realpolitik.release import formats

XSD = "http://www.w3.org/2001/XMLSchema#"
RPD = PREFIXES["rpd"]

# -- every export format round-trips -----------------------------------------------

# What an IRI may hold (RFC 3987 and the Turtle grammar), with the characters that need
# care in a prefixed name or in JSON: parentheses, commas, apostrophes, %-escapes, dots.
_IRI_CHARS = st.sampled_from(list("abcxyzABC0189-_.~()',;=!$&*+@:/%") + ["é", "Ж", "中", "%20"])


def _valid_iri(text: str) -> bool:
    try:  # as strictly as the dataset's own files are read
        ox.NamedNode(text)
        list(ox.parse(f"<{text}> <{text}> <{text}> .", format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError):
        return False
    return True


iris = st.builds(
    lambda ns, local: ns + local,
    st.sampled_from([RPD, PREFIXES["rp"], PREFIXES["rpv"], "http://example.org/", "urn:x:"]),
    st.lists(_IRI_CHARS, min_size=1, max_size=10).map("".join),
).filter(_valid_iri).map(ox.NamedNode)

blank_nodes = st.sampled_from(["b1", "b2", "b3"]).map(ox.BlankNode)

# Any text the dataset accepts in a literal: quotes, backslashes, newlines, tabs, every
# plane of Unicode; not the control characters that no release format may carry.
_TEXT = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)]))
                  + "\ufffe\uffff"),
    max_size=30,
)
literals = st.one_of(
    _TEXT.map(ox.Literal),
    st.builds(lambda t, lang: ox.Literal(t, language=lang), _TEXT, st.sampled_from(["en", "en-GB", "ru", "zh-Hant-TW", "fa"])),
    # Lexical forms as written, canonical or not: a release keeps "+07", it does not make it "7".
    st.from_regex(r"\A[+-]?[0-9]{1,6}\Z").map(lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + "integer"))),
    st.from_regex(r"\A[0-9]{1,3}\.[0-9]{1,3}\Z").map(lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + "decimal"))),
    st.sampled_from(["true", "false", "1", "0"]).map(lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + "boolean"))),
    st.dates().map(lambda d: ox.Literal(d.isoformat(), datatype=ox.NamedNode(XSD + "date"))),
    st.sampled_from(["2024", "2024-03", "--03-01"]).map(
        lambda v: ox.Literal(v, datatype=ox.NamedNode(XSD + {4: "gYear", 7: "gYearMonth"}.get(len(v), "gMonthDay")))
    ),
)
graphs = st.sampled_from(["https://w3id.org/realpolitik/graph/a", "https://w3id.org/realpolitik/graph/b"]).map(ox.NamedNode)
quads = st.lists(
    st.builds(ox.Quad, st.one_of(iris, blank_nodes), iris, st.one_of(iris, blank_nodes, literals), graphs),
    min_size=1,
    max_size=25,
)

READ_AS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
           "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}


def _canonical(items) -> set:
    return set(formats.canonical(items))


@pytest.mark.parametrize("ext, with_graphs", [("ttl", False), ("nt", False), ("nq", True), ("trig", True),
                                               ("jsonld", True), ("jsonld", False)])
@settings(max_examples=150, deadline=None)
@given(written=quads)
def test_every_format_reads_back_as_the_graph_written(ext, with_graphs, written):
    if not with_graphs:  # the triple formats hold the default graph
        written = [ox.Quad(q.subject, q.predicate, q.object) for q in written]
    data = formats.write(written, ext, with_graphs)
    read = list(ox.parse(data, format=READ_AS[ext]))
    assert _canonical(read) == _canonical(written)


def test_the_strategy_reaches_the_awkward_cases():
    # The property above is only worth as much as what it is tried on.
    awkward = [
        ox.Quad(ox.NamedNode(RPD + "a(1),b'c"), ox.NamedNode(RPD + "p.q"), ox.Literal("+07", datatype=ox.NamedNode(XSD + "integer")),
                ox.NamedNode("https://w3id.org/realpolitik/graph/a")),
        ox.Quad(ox.BlankNode("b1"), ox.NamedNode("urn:x:p"), ox.Literal('say "no"\\\n\t', language="en-GB"),
                ox.NamedNode("https://w3id.org/realpolitik/graph/b")),
    ]
    for ext, with_graphs in (("ttl", False), ("nq", True), ("trig", True), ("jsonld", True)):
        written = awkward if with_graphs else [ox.Quad(q.subject, q.predicate, q.object) for q in awkward]
        read = list(ox.parse(formats.write(written, ext, with_graphs), format=READ_AS[ext]))
        assert _canonical(read) == _canonical(written), ext


# -- validation does not depend on order ------------------------------------------

INVALID_EXAMPLES = sorted(p.parent.name for p in SHAPE_EXAMPLES.glob("*/invalid.ttl"))


def _as_n_triples(path: Path) -> list[str]:
    triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    return formats.n_triples([ox.Quad(t.subject, t.predicate, t.object) for t in triples]).decode().splitlines()


def _what_was_found(report) -> list[tuple]:
    # Everything but where: lines and columns follow the order by construction.
    return sorted((f.check, f.severity, f.message, f.focus, f.path, f.value, f.component, f.shape) for f in report.findings)


@cache
def _found_in_order(example: str) -> list[tuple]:
    from realpolitik.validation import validate

    return _what_was_found(validate([BASE_EXAMPLE, SHAPE_EXAMPLES / example / "invalid.ttl"], standalone=True))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(example=st.sampled_from(INVALID_EXAMPLES), seed=st.randoms(use_true_random=False), files_reversed=st.booleans())
def test_findings_do_not_depend_on_the_order_of_files_or_triples(tmp_path, example, seed, files_reversed):
    from realpolitik.validation import validate

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    paths = []
    for i, source in enumerate([BASE_EXAMPLE, SHAPE_EXAMPLES / example / "invalid.ttl"]):
        lines = _as_n_triples(source)
        seed.shuffle(lines)
        path = folder / f"{i}.nt.ttl"  # N-Triples is Turtle
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    if files_reversed:
        paths.reverse()
    found = _what_was_found(validate(paths, standalone=True))
    assert found == _found_in_order(example)
    assert found, "every invalid example has findings"
    shutil.rmtree(folder)


# -- a name is the same IRI however it is spelled ---------------------------------

NAMES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rp: <https://w3id.org/realpolitik/ontology#>
SELECT ?node ?name WHERE {
  ?node a/rdfs:subClassOf* rp:Actor .
  { ?node rdfs:label ?name } UNION { ?node skos:altLabel ?name }
}
"""


@cache
def _store():
    from realpolitik.querying import backend

    return backend()


@cache
def _unambiguous_names() -> list[tuple[str, str]]:
    """(name, IRI) for every label and alias of an actor that names one actor only."""
    owners: dict[str, set] = {}
    for node, name in _store().select(NAMES).rows:
        owners.setdefault(name.value.casefold(), set()).add((name.value, node.value))
    return sorted((name, iri) for spellings in owners.values() if len({i for _, i in spellings}) == 1
                  for name, iri in spellings)


def _respell(name: str, upper: list[bool], before: str, after: str) -> str:
    flipped = "".join(c.upper() if up else c.lower() for c, up in zip(name, upper + [False] * len(name)))
    return before + flipped + after


def test_the_dataset_has_aliases_to_try():
    names = _unambiguous_names()
    iris = {iri for _, iri in names}
    assert len(names) > len(iris) > 50  # many actors, several names for some


@settings(max_examples=200, deadline=None)
@given(
    pick=st.integers(min_value=0),
    upper=st.lists(st.booleans(), max_size=40),
    before=st.sampled_from(["", " ", "  ", "\t"]),
    after=st.sampled_from(["", " ", "\n"]),
)
def test_every_spelling_of_a_name_resolves_to_one_iri(pick, upper, before, after):
    from realpolitik.namespaces import curie
    from realpolitik.querying.catalog import Param
    from realpolitik.querying.params import resolve

    name, iri = _unambiguous_names()[pick % len(_unambiguous_names())]
    param = Param("actor", "actor", "")
    spellings = [name, _respell(name, upper, before, after), iri, f"<{iri}>", curie(iri)]
    assert {resolve(param, spelling, _store()).value for spelling in spellings} == {iri}
