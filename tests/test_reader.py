"""One reader for every path that reads a Turtle file: the cache, the store in memory,
the site's shapes and a release are as strict as validation, and say where alike."""

from __future__ import annotations

import pytest

from conftest import PREFIXES

STATES = "data/shared/states.ttl"


def ill_typed(root) -> None:
    with open(root / STATES, "a", encoding="utf-8") as handle:
        handle.write(PREFIXES + 'rpd:x rp:quantityOrdered "many"^^xsd:integer .\n')


def expected_error(root) -> str:
    from realpolitik.dataset import display_path
    from realpolitik.rdf.parse import InputError, parse_turtle

    with pytest.raises(InputError) as caught:
        parse_turtle(root / STATES, display_path(root / STATES, root))
    assert caught.value.line is not None and caught.value.column is not None
    return str(caught.value)


def test_the_cache_refuses_an_ill_typed_literal_as_validation_does(dataset_copy, tmp_path, monkeypatch):
    from realpolitik import cache

    monkeypatch.setenv("REALPOLITIK_CACHE", str(tmp_path / "cache"))
    ill_typed(dataset_copy)
    with pytest.raises(cache.CacheError) as caught:
        cache.open_store(dataset_copy)
    assert str(caught.value) == expected_error(dataset_copy)


def test_the_store_in_memory_refuses_it_alike(dataset_copy, monkeypatch):
    from realpolitik import cache

    monkeypatch.setenv("REALPOLITIK_CACHE", "off")
    ill_typed(dataset_copy)
    with pytest.raises(cache.CacheError) as caught:
        cache.open_store(dataset_copy)
    assert str(caught.value) == expected_error(dataset_copy)


def test_the_release_refuses_it_alike(dataset_copy):
    from realpolitik.rdf.reader import InputError
    from realpolitik.release.graphs import assemble

    ill_typed(dataset_copy)
    with pytest.raises(InputError) as caught:
        assemble(dataset_copy, reason=False)
    assert str(caught.value) == expected_error(dataset_copy)


def test_a_shape_file_that_does_not_parse_is_named_with_its_line_and_column(dataset_copy):
    from realpolitik.querying.backends import Embedded, QueryError

    shapes = sorted((dataset_copy / "shapes").glob("*.ttl"))
    shapes[0].write_text(PREFIXES + "rpd:x rdfs:label <not an iri> .\n", encoding="utf-8")
    with pytest.raises(QueryError, match=rf"^shapes/{shapes[0].name}:\d+:\d+: "):
        Embedded.read(shapes, dataset_copy)


def test_a_file_over_the_size_limit_is_refused_by_every_reader(dataset_copy, tmp_path, monkeypatch):
    from realpolitik import cache
    from realpolitik.rdf.reader import InputError, Limits, Reader

    with open(dataset_copy / STATES, "a", encoding="utf-8") as handle:
        handle.write("# " + "x" * 200_000 + "\n")  # the largest file of the dataset
    size = (dataset_copy / STATES).stat().st_size
    with pytest.raises(InputError, match="states.ttl: "):
        Reader(dataset_copy, Limits(file_bytes=size - 1, literal_chars=100_000)).read(dataset_copy / STATES)
    monkeypatch.setenv("REALPOLITIK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("REALPOLITIK_MAX_FILE_BYTES", str(size - 1))
    with pytest.raises(cache.CacheError, match="states.ttl: "):
        cache.open_store(dataset_copy)


def test_the_shapes_in_memory_hold_what_the_reader_reads(dataset_copy):
    from realpolitik.querying.backends import Embedded
    from realpolitik.rdf.reader import Reader

    shapes = sorted((dataset_copy / "shapes").glob("*.ttl"))
    on = Embedded.read(shapes, dataset_copy)
    read = sum(len(Reader(dataset_copy).read(p).quads) for p in shapes)
    assert len(on.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows) == read > 0
    assert not on.union


def test_the_triples_of_a_file_are_made_when_asked_for_and_scoped_to_it(tmp_path):
    from rdflib import BNode

    from realpolitik.rdf.reader import Reader

    (tmp_path / "a.ttl").write_text(PREFIXES + "_:b rdfs:label \"a\" .\n", encoding="utf-8")
    (tmp_path / "b.ttl").write_text(PREFIXES + "_:b rdfs:label \"b\" .\n", encoding="utf-8")
    reader = Reader(tmp_path)
    a, b = reader.read(tmp_path / "a.ttl"), reader.read(tmp_path / "b.ttl")
    assert "triples" not in vars(a)
    (subject_a, _, _), = a.triples
    (subject_b, _, _), = b.triples
    assert isinstance(subject_a, BNode) and subject_a != subject_b


def test_a_file_read_keeps_the_bytes_it_was_read_from(tmp_path):
    import hashlib

    from realpolitik.rdf.reader import Reader

    path = tmp_path / "a.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + PREFIXES.encode() + 'rpd:x rdfs:label "\u00e9" .\n'.encode())
    parsed = Reader(tmp_path).read(path)
    assert parsed.content == path.read_bytes()
    assert parsed.manifest_entry() == {"size": path.stat().st_size, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def test_the_ontology_files_follow_an_edit_of_its_imports(dataset_copy):
    from realpolitik.dataset import files

    index = dataset_copy / "ontology" / "realpolitik.ttl"
    before = files(dataset_copy).ontology_files()
    assert dataset_copy / "ontology" / "events.ttl" in before
    index.write_text(index.read_text(encoding="utf-8").replace(
        "        <https://w3id.org/realpolitik/ontology/events> ,\n", ""), encoding="utf-8")
    after = files(dataset_copy).ontology_files()
    assert after == [p for p in before if p.name != "events.ttl"]


def test_an_ontology_module_that_does_not_parse_is_located(dataset_copy):
    from realpolitik.dataset import files
    from realpolitik.rdf.reader import InputError

    (dataset_copy / "ontology" / "events.ttl").write_text(PREFIXES + "rp:x rdfs:label <not an iri> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^ontology/events\.ttl:\d+:\d+: "):
        files(dataset_copy).ontology_files()
