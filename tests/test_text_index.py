"""`search` from the cache's text index gives search.rq's own rows, in its order; the
index follows the store and is left aside wherever it cannot be trusted."""

from __future__ import annotations

import pytest

from realpolitik.querying import bind, get, run_named, substitute, text_index
from realpolitik.querying.backends import Embedded, embedded

WORDS = [
    "Iran", "iran", "IRAN", "missile", "S-400", "the", "de", "to", "Türk", "ü", "said that", '"', "'s",
    "%", "_", "zzzz-nowhere", "Moscow", "\\", "(", "an", "2019",
]


def as_written(on, text: str):
    """search.rq run on the store itself."""
    query = get("search")
    return on.select(substitute(query.text, bind(query, {"text": text}, on)))


@pytest.fixture
def store(dataset_copy):
    return Embedded.cached(dataset_copy)


@pytest.mark.parametrize("text", [w for w in WORDS if len(w) >= 2])
def test_the_rows_are_the_querys_own(text):
    on = embedded()
    assert on.opened is not None and on.opened.folder is not None
    indexed = run_named("search", {"text": text}, on=on)
    written = as_written(on, text)
    assert indexed.variables == written.variables
    assert indexed.rows == written.rows


def test_words_found_in_the_shipped_data_give_rows():
    on = embedded()
    assert len(run_named("search", {"text": "Iran"}, on=on).rows) > 10
    assert run_named("search", {"text": "zzzz-nowhere"}, on=on).rows == []


def test_the_index_is_built_once_then_read(store, monkeypatch):
    calls = []
    build = text_index._build
    monkeypatch.setattr(text_index, "_build", lambda *a: calls.append(1) or build(*a))
    first = run_named("search", {"text": "Iran"}, on=store)
    again = run_named("search", {"text": "Iran"}, on=store)
    assert calls == [1]
    assert first.rows == again.rows
    assert (store.opened.folder / text_index.FILE).is_file()
    assert not list(store.opened.folder.glob("*.part"))


def test_a_changed_file_gets_a_new_index(dataset_copy, store):
    assert run_named("search", {"text": "Quetzalcoatl"}, on=store).rows == []
    extra = dataset_copy / "data" / "shared" / "extra.ttl"
    extra.write_text(
        "@prefix rp: <https://w3id.org/realpolitik/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/realpolitik/id/quetzalcoatl> a rp:State ; rdfs:label \"Quetzalcoatl\"@en .\n",
        encoding="utf-8",
    )
    changed = Embedded.cached(dataset_copy)
    assert changed.opened.version != store.opened.version
    rows = run_named("search", {"text": "quetzal"}, on=changed).rows
    assert [(str(r[0].value), r[1].value, r[2].value, r[3].value) for r in rows] == [
        ("https://w3id.org/realpolitik/id/quetzalcoatl", "state", "label", "Quetzalcoatl")
    ]
    assert rows == as_written(changed, "quetzal").rows


def test_an_index_that_is_not_one_is_built_again(store):
    path = store.opened.folder / text_index.FILE
    path.write_bytes(b"not a database")
    assert run_named("search", {"text": "Iran"}, on=store).rows == as_written(store, "Iran").rows
    assert path.read_bytes()[:15] == b"SQLite format 3"


def test_without_a_cache_the_query_runs_as_written(dataset_copy, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_CACHE", "off")
    on = Embedded.cached(dataset_copy)
    assert on.opened.folder is None
    assert run_named("search", {"text": "Iran"}, on=on).rows == as_written(on, "Iran").rows


def test_a_folder_it_cannot_write_falls_back_to_the_query(store, monkeypatch):
    def refuse(*_):
        raise PermissionError("read-only")

    monkeypatch.setattr(text_index, "_build", refuse)
    assert text_index.search(store.opened, "", "Iran") is None
    assert run_named("search", {"text": "Iran"}, on=store).rows == as_written(store, "Iran").rows
