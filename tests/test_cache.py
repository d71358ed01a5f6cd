"""The persisted store: reloads only what changed, rebuilds what it cannot trust, and
never claims a file it could not load."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import NamedNode

from realpolitik import cache

RP = "https://w3id.org/realpolitik/ontology#"
COUNT_STATES = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{RP}State> }}"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def loads(monkeypatch):
    """The files the cache (re)reads."""
    seen = []
    original = cache._read

    def counting(root, path):
        seen.append(path.name)
        return original(root, path)

    monkeypatch.setattr(cache, "_read", counting)
    return seen


def states(store) -> int:
    return int(next(iter(store.query(COUNT_STATES, use_default_graph_as_union=True)))[0].value)


def total(store) -> int:
    return len(store)


def test_cold_then_warm(dataset_copy, cache_dir, loads):
    import realpolitik

    store = cache.open_store(dataset_copy)
    expected = len(realpolitik.load(dataset_copy))
    assert total(store) == expected
    files = len(loads)
    assert files == len(list((dataset_copy / "data").rglob("*.ttl"))) + len(list((dataset_copy / "ontology").glob("*.ttl")))
    del store
    loads.clear()
    store = cache.open_store(dataset_copy)
    assert loads == []
    assert total(store) == expected
    manifest = json.loads(next(cache_dir.glob("*/manifest.json")).read_text())
    assert manifest["state"] == "ready" and len(manifest["files"]) == files


def test_only_changed_files_are_reloaded(dataset_copy, cache_dir, loads):
    states_file = dataset_copy / "data" / "shared" / "states.ttl"
    before = states(cache.open_store(dataset_copy))
    loads.clear()
    states_file.touch()  # time changed, content not: hashed, not reloaded
    assert states(cache.open_store(dataset_copy)) == before
    assert loads == []
    with open(states_file, "a", encoding="utf-8") as handle:
        handle.write('\nrpd:state-zzz a rp:State ; rdfs:label "Zedland"@en ; rp:isoCode "ZZZ" .\n')
    assert states(cache.open_store(dataset_copy)) == before + 1
    assert loads == ["states.ttl"]
    loads.clear()
    states_file.unlink()
    assert states(cache.open_store(dataset_copy)) == 0
    assert loads == []


def test_a_corrupt_store_is_rebuilt(dataset_copy, cache_dir, loads):
    expected = total(cache.open_store(dataset_copy))
    store_dir = next(cache_dir.glob("*/store"))
    for path in store_dir.iterdir():
        if path.is_file():
            path.write_bytes(b"\0garbage")
    loads.clear()
    assert total(cache.open_store(dataset_copy)) == expected
    assert len(loads) > 10


def test_a_half_updated_store_is_rebuilt(dataset_copy, cache_dir, loads):
    expected = total(cache.open_store(dataset_copy))
    manifest_path = next(cache_dir.glob("*/manifest.json"))
    manifest = json.loads(manifest_path.read_text())
    manifest["state"] = "updating"  # what a run killed mid-update leaves
    manifest_path.write_text(json.dumps(manifest))
    loads.clear()
    assert total(cache.open_store(dataset_copy)) == expected
    assert len(loads) > 10
    assert json.loads(manifest_path.read_text())["state"] == "ready"


def test_a_broken_file_is_named_and_kept_out(dataset_copy, cache_dir, loads):
    cache.open_store(dataset_copy)
    broken = dataset_copy / "data" / "shared" / "states.ttl"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good + "\nrpd:x rp:isoCode \"unterminated .\n", encoding="utf-8")
    with pytest.raises(cache.CacheError) as caught:
        cache.open_store(dataset_copy)
    assert str(caught.value).startswith(f"{broken}:") or str(caught.value).startswith("data/shared/states.ttl:")
    manifest = json.loads(next(cache_dir.glob("*/manifest.json")).read_text())
    assert "data/shared/states.ttl" not in manifest["files"]
    assert manifest["state"] == "ready"
    broken.write_text(good, encoding="utf-8")
    loads.clear()
    store = cache.open_store(dataset_copy)
    assert loads == ["states.ttl"]
    assert states(store) > 0


def test_the_cache_can_be_turned_off(dataset_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    store = cache.open_store(dataset_copy)
    assert states(store) > 0
    assert not (tmp_path / "xdg").exists()


def test_each_file_has_its_graph(dataset_copy, cache_dir):
    store = cache.open_store(dataset_copy)
    graphs = {g.value for g in store.named_graphs()}
    assert cache.FILE_GRAPH + "data/shared/states.ttl" in graphs
    assert cache.FILE_GRAPH + "ontology/realpolitik.ttl" in graphs
    assert NamedNode(cache.FILE_GRAPH + "data/shared/states.ttl") in set(store.named_graphs())


def test_a_broken_file_on_a_cold_cache_leaves_nothing_half_built(dataset_copy, cache_dir):
    broken = dataset_copy / "data" / "shared" / "states.ttl"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good + "\nrpd:x rp:isoCode <bad iri> .\n", encoding="utf-8")
    for _ in range(2):  # and again: nothing left locked
        with pytest.raises(cache.CacheError, match="states.ttl:"):
            cache.open_store(dataset_copy)
    assert not list(cache_dir.glob("*/store.new-*"))
    broken.write_text(good, encoding="utf-8")
    assert states(cache.open_store(dataset_copy)) > 0


def test_a_store_filled_from_parsed_files_holds_what_in_memory_reads(dataset_copy):
    from conftest import PREFIXES
    from realpolitik.rdf.parse import parse_turtle

    (dataset_copy / "data" / "extra.ttl").write_text(
        PREFIXES + 'rpd:x rdfs:label "x" ; rp:quantityOrdered "+07"^^xsd:integer ;\n'
        '    rdfs:seeAlso [ rdfs:label "a" ] , _:b .\n_:b rdfs:label "b" .\n',
        encoding="utf-8",
    )
    root, paths = cache.dataset_paths(dataset_copy)
    read = cache.in_memory(root, paths)
    memory = cache.MemoryStore(root)
    for path in paths:
        parse_turtle(path, quads_to=memory.add)
    filled = memory.opened()
    quads = set(filled.store.quads_for_pattern(None, None, None))
    assert quads == set(read.store.quads_for_pattern(None, None, None))
    assert len(quads) == len(read.store) > 0
    # "+07" is kept by the store as "7": both count it, so SHACL falls back to pyshacl.
    assert filled.rewritten_literals == read.rewritten_literals == 1


def quads_of(store) -> set:
    return set(store.quads_for_pattern(None, None, None))


def test_a_copy_in_memory_holds_the_store_with_its_blank_node_labels(dataset_copy, cache_dir):
    from conftest import PREFIXES

    (dataset_copy / "data" / "extra.ttl").write_text(
        PREFIXES + 'rpd:x rdfs:label "x" ; rp:quantityOrdered "+07"^^xsd:integer ;\n'
        '    rdfs:seeAlso [ rdfs:label "a" ] , _:b .\n_:b rdfs:label "b" .\n',
        encoding="utf-8",
    )
    on_disk = cache.open_dataset(dataset_copy)
    copied = cache.open_dataset(dataset_copy, memory=True)
    assert quads_of(copied.store) == quads_of(on_disk.store)
    labels = {q.subject.value for q in copied.store.quads_for_pattern(None, None, None) if q.subject.value.startswith("b_")}
    assert len(labels) == 1  # _:b as the file scope labels it, not renamed on the way
    assert (copied.version, copied.rewritten_literals, copied.folder) == (on_disk.version, 1, on_disk.folder)
    assert [p.name for p in cache_dir.glob("*/snapshot-*.trig")] == [f"snapshot-{copied.version[:32]}.trig"]


def test_the_snapshot_is_written_once_per_version_and_the_old_one_removed(dataset_copy, cache_dir, monkeypatch):
    written = []
    original = cache._write_snapshot
    monkeypatch.setattr(cache, "_write_snapshot", lambda *a: written.append(a[1].name) or original(*a))
    first = cache.open_dataset(dataset_copy, memory=True)
    assert states(cache.open_dataset(dataset_copy, memory=True).store) == states(first.store) > 0
    assert len(written) == 1
    with open(dataset_copy / "data" / "shared" / "states.ttl", "a", encoding="utf-8") as handle:
        handle.write('\nrpd:state-zzz a rp:State ; rdfs:label "Zedland"@en ; rp:isoCode "ZZZ" .\n')
    second = cache.open_dataset(dataset_copy, memory=True)
    assert states(second.store) == states(first.store) + 1
    assert written == [f"snapshot-{first.version[:32]}.trig", f"snapshot-{second.version[:32]}.trig"]
    assert [p.name for p in cache_dir.glob("*/*snapshot-*")] == [written[1]]


def test_a_damaged_snapshot_is_written_again(dataset_copy, cache_dir):
    expected = quads_of(cache.open_dataset(dataset_copy).store)
    cache.open_dataset(dataset_copy, memory=True)
    snapshot = next(cache_dir.glob("*/snapshot-*.trig"))
    snapshot.write_bytes(snapshot.read_bytes()[:5000] + b" <unterminated")
    assert quads_of(cache.open_dataset(dataset_copy, memory=True).store) == expected
    assert b"<unterminated" not in snapshot.read_bytes()


def test_a_snapshot_that_cannot_be_kept_is_read_from_memory(dataset_copy, cache_dir, monkeypatch):
    import os

    expected = quads_of(cache.open_dataset(dataset_copy).store)

    def refused(*_):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(os, "replace", refused)
    assert quads_of(cache.open_dataset(dataset_copy, memory=True).store) == expected
    assert not list(cache_dir.glob("*/*snapshot-*"))


def test_the_store_wanted_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("REALPOLITIK_STORE", raising=False)
    assert cache.memory_wanted() is False
    monkeypatch.setenv("REALPOLITIK_STORE", " Memory ")
    assert cache.memory_wanted() is True
    monkeypatch.setenv("REALPOLITIK_STORE", "disk")
    assert cache.memory_wanted() is False
    monkeypatch.setenv("REALPOLITIK_STORE", "ram")
    with pytest.raises(cache.CacheError, match="^REALPOLITIK_STORE is 'ram': it must be 'disk' or 'memory'$"):
        cache.memory_wanted()
