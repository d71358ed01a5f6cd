"""The persisted store: reloads only what changed, rebuilds what it cannot trust, and
never claims a file it could not load."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys

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
    original = cache.update.read_file

    def counting(root, path):
        seen.append(path.name)
        return original(root, path)

    monkeypatch.setattr(cache.update, "read_file", counting)
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


def test_a_store_filled_from_parsed_files_holds_what_the_files_read_into_memory_hold(dataset_copy):
    from conftest import PREFIXES
    from realpolitik.rdf.parse import parse_turtle
    from realpolitik.store.dataset import Dataset, Filling

    (dataset_copy / "data" / "extra.ttl").write_text(
        PREFIXES + 'rpd:x rdfs:label "x" ; rp:quantityOrdered "+07"^^xsd:integer ;\n'
        '    rdfs:seeAlso [ rdfs:label "a" ] , _:b .\n_:b rdfs:label "b" .\n',
        encoding="utf-8",
    )
    root, paths = cache.dataset_paths(dataset_copy)
    read = Dataset.read(root, paths)
    memory = Filling(root)
    for path in paths:
        parse_turtle(path, quads_to=memory.add)
    filled = memory.done()
    quads = set(filled.store.quads_for_pattern(None, None, None))
    assert quads == set(read.store.quads_for_pattern(None, None, None))
    assert len(quads) == len(read.store) > 0
    # "+07" is kept by the store as "7": both count it, so SHACL falls back to pyshacl.
    assert filled.rewritten_literals == read.rewritten_literals == 1


def test_a_dataset_queries_the_union_of_its_graphs_only_where_it_is_read_so():
    from realpolitik.store import engine as ox
    from realpolitik.store.dataset import Dataset

    a, b, label = ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.NamedNode("urn:x:label")
    quads = [ox.Quad(a, label, ox.Literal("in a file"), ox.NamedNode("urn:x:file")),
             ox.Quad(b, label, ox.Literal("in the default graph"), ox.DefaultGraph())]
    query = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    assert [row[0] for row in Dataset.holding(quads).query(query)] == [a, b]
    assert [row[0] for row in Dataset.holding(quads, union=False).query(query)] == [b]
    assert [row[0] for row in Dataset.holding(quads, union=False).query(query, union=True)] == [a, b]
    bound = Dataset.holding(quads).query("SELECT ?s ?o WHERE { ?s ?p ?o }", {"s": a})
    assert [row[1] for row in bound] == [ox.Literal("in a file")]


def test_the_last_store_is_the_cache_as_left_and_none_before_one(dataset_copy, cache_dir):
    assert cache.last_store(dataset_copy) is None
    opened_store = cache.open_store(dataset_copy)
    last = cache.last_store(dataset_copy)
    assert last.folder == cache.folder_for(dataset_copy) and states(last.store) == states(opened_store) > 0


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
    original = cache.products.keep_locked
    monkeypatch.setattr(cache.products, "keep_locked",
                        lambda folder, name, write: written.append(name) or original(folder, name, write))
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
    from realpolitik.settings import SettingError

    monkeypatch.delenv("REALPOLITIK_STORE", raising=False)
    assert cache.memory_wanted() is False
    monkeypatch.setenv("REALPOLITIK_STORE", " Memory ")
    assert cache.memory_wanted() is True
    monkeypatch.setenv("REALPOLITIK_STORE", "disk")
    assert cache.memory_wanted() is False
    monkeypatch.setenv("REALPOLITIK_STORE", "ram")
    with pytest.raises(SettingError, match="^REALPOLITIK_STORE is 'ram': it must be 'disk' or 'memory'$"):
        cache.memory_wanted()


# ---- what broke: a cache that went stale, served damaged products, failed when it
# ---- could not write, and what two processes do at once ---------------------------

STATES = "data/shared/states.ttl"


def label_of_state(store, code: str) -> str:
    query = f'SELECT ?l WHERE {{ ?s <{RP}isoCode> "{code}" ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }}'
    return next(iter(store.query(query, use_default_graph_as_union=True)))[0].value


def edit_keeping_size_and_time(path, old: str, new: str) -> None:
    """What `touch -r` after an edit does: same size, same modification time."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_an_edit_that_keeps_size_and_time_is_seen(dataset_copy, cache_dir):
    assert label_of_state(cache.open_store(dataset_copy), "IRN") == "Iran"
    edit_keeping_size_and_time(dataset_copy / STATES, '"Iran"@en', '"Irna"@en')
    assert label_of_state(cache.open_store(dataset_copy), "IRN") == "Irna"


def test_a_process_that_keeps_its_store_sees_an_edit_that_keeps_size_and_time(dataset_copy, cache_dir, monkeypatch):
    from realpolitik.querying import backends

    monkeypatch.setattr(backends, "_STORES", {})
    first = backends.embedded(dataset_copy)
    assert backends.embedded(dataset_copy) is first  # unchanged: reused
    edit_keeping_size_and_time(dataset_copy / STATES, '"Iran"@en', '"Irna"@en')
    assert label_of_state(backends.embedded(dataset_copy).store, "IRN") == "Irna"


@pytest.mark.parametrize("warm", [False, True], ids=["while-it-builds", "while-it-updates"])
def test_an_edit_landing_between_the_read_and_the_manifest_is_seen_by_the_next_open(dataset_copy, cache_dir, monkeypatch,
                                                                                    warm):
    states_file = dataset_copy / STATES
    if warm:  # the store exists: the file is reloaded alone
        cache.open_store(dataset_copy)
        with open(states_file, "a", encoding="utf-8") as handle:
            handle.write("\n")
    original = cache.update.read_file

    def read_then_edit(root, path):
        read = original(root, path)
        if path.name == "states.ttl":  # the edit lands after the bytes were read
            edit_keeping_size_and_time(path, '"Iran"@en', '"Irna"@en')
        return read

    monkeypatch.setattr(cache.update, "read_file", read_then_edit)
    assert label_of_state(cache.open_store(dataset_copy), "IRN") == "Iran"  # what was read
    monkeypatch.setattr(cache.update, "read_file", original)
    assert label_of_state(cache.open_store(dataset_copy), "IRN") == "Irna"


def run(args, env: dict, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    """The real command in a process of its own; ``limit_bytes`` makes a write past that
    size fail as on a full disk (RLIMIT_FSIZE, its signal ignored), for root too."""

    def limits():
        if limit_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run([sys.executable, "-m", "realpolitik", *map(str, args)], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300, preexec_fn=limits)


@pytest.fixture
def fresh(dataset_copy, tmp_path):
    """The answers the command gives from a fresh cache of its own."""

    def answers(*args, **env):
        done = run(["--root", dataset_copy, *args], {"REALPOLITIK_CACHE": str(tmp_path / "fresh-cache"), **env})
        assert done.returncode == 0, done.stderr
        return done.stdout

    return answers


TRANSFERS = ("query", "transfers", "--format", "tsv")


def cache_folder(cache_dir):
    return next(p for p in cache_dir.iterdir() if p.is_dir())


def truncate(path) -> None:
    """Cut a file to its first tenth, at a line's end where it has lines."""
    content = path.read_bytes()
    cut = content[: len(content) // 10]
    path.write_bytes(cut[: cut.rfind(b"\n") + 1] if b"\n" in cut else cut)


@pytest.mark.parametrize("fmt,data_only", [("nt", False), ("nq", False), ("ttl", False), ("trig", False), ("nt", True)])
def test_a_truncated_export_is_made_again(cli, dataset_copy, cache_dir, tmp_path, fmt, data_only):
    flags = ["--data-only"] if data_only else []
    first = cli("--root", dataset_copy, "export", "--format", fmt, *flags, "--out", tmp_path / "first")
    assert first.exit_code == 0, first.output
    kept = next(cache_dir.glob(f"*/exports/{fmt}{'-data' if data_only else ''}-*.{fmt}"))
    truncate(kept)
    again = cli("--root", dataset_copy, "export", "--format", fmt, *flags, "--out", tmp_path / "again")
    assert again.exit_code == 0
    assert (tmp_path / "again").read_bytes() == (tmp_path / "first").read_bytes()
    assert again.stderr == f"cache: {kept} was damaged, rebuilt\n"
    assert kept.read_bytes() == (tmp_path / "first").read_bytes()  # kept whole again
    streamed = cli("--root", dataset_copy, "export", "--format", fmt, *flags)
    assert streamed.result.stdout_bytes == (tmp_path / "first").read_bytes() and streamed.stderr == ""


def test_an_export_streamed_from_a_truncated_copy_is_made_again(cli, dataset_copy, cache_dir, tmp_path):
    assert cli("--root", dataset_copy, "export", "--out", tmp_path / "first").exit_code == 0
    kept = next(cache_dir.glob("*/exports/nt-*.nt"))
    truncate(kept)
    streamed = cli("--root", dataset_copy, "export")
    assert streamed.exit_code == 0 and streamed.result.stdout_bytes == (tmp_path / "first").read_bytes()
    assert streamed.stderr == f"cache: {kept} was damaged, rebuilt\n"


def test_a_truncated_snapshot_is_made_again(dataset_copy, cache_dir, fresh):
    memory = {"REALPOLITIK_STORE": "memory", "REALPOLITIK_CACHE": str(cache_dir)}
    expected = fresh(*TRANSFERS)
    assert run(["--root", dataset_copy, *TRANSFERS], memory).stdout == expected
    snapshot = next(cache_dir.glob("*/snapshot-*.trig"))
    lines = snapshot.read_bytes().splitlines(keepends=True)
    snapshot.write_bytes(b"".join(lines[: lines.index(b"}\n") + 1]))  # one whole graph: it still parses
    again = run(["--root", dataset_copy, *TRANSFERS], memory)
    assert (again.returncode, again.stdout) == (0, expected)
    assert again.stderr == f"cache: {snapshot} was damaged, rebuilt\n"


def test_a_truncated_store_is_rebuilt(dataset_copy, cache_dir, fresh):
    env = {"REALPOLITIK_CACHE": str(cache_dir)}
    expected = fresh(*TRANSFERS)
    assert run(["--root", dataset_copy, *TRANSFERS], env).stdout == expected
    store = cache_folder(cache_dir) / "store"
    truncate(max(store.glob("*.sst"), key=lambda p: p.stat().st_size))
    again = run(["--root", dataset_copy, *TRANSFERS], env)
    assert (again.returncode, again.stdout) == (0, expected)
    assert again.stderr == f"cache: {store} was damaged, rebuilt\n"


def assert_nothing_left(cache_dir) -> None:
    left = [p for p in cache_dir.rglob("*") if p.name.startswith(("store.new-", ".", "manifest.json."))]
    assert left == []


@pytest.mark.parametrize("command", [TRANSFERS, ("export", "--format", "nq")], ids=["query", "export"])
def test_a_full_cache_folder_falls_back_to_memory(dataset_copy, cache_dir, fresh, command):
    """A write past 200 kB fails with EFBIG: the store cannot be built (a full disk)."""
    expected = fresh(*command)
    done = run(["--root", dataset_copy, *command], {"REALPOLITIK_CACHE": str(cache_dir)}, limit_bytes=200_000)
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.splitlines()) == sorted(expected.splitlines())
    folder = cache_folder(cache_dir)
    assert done.stderr == f"cache: {folder} cannot be written (File too large): the dataset is read into memory\n"
    assert_nothing_left(cache_dir)
    assert not (folder / "store").exists()


@pytest.mark.parametrize("command", [TRANSFERS, ("export", "--format", "nq")], ids=["query", "export"])
def test_a_cache_path_where_no_folder_can_be_made_falls_back_to_memory(dataset_copy, tmp_path, fresh, command):
    """A file where the cache folder should be: no folder can be made in it, even by root."""
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    done = run(["--root", dataset_copy, *command], {"REALPOLITIK_CACHE": str(blocked)})
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.splitlines()) == sorted(fresh(*command).splitlines())
    folder = blocked / cache.folder_for(dataset_copy).name
    assert done.stderr == f"cache: {folder} cannot be written (Not a directory): the dataset is read into memory\n"
    assert blocked.read_text() == "not a folder"


def test_a_read_only_cache_folder_falls_back_to_memory(dataset_copy, cache_dir, fresh):
    """chmod 0555. Root writes there anyway, so as root the command runs without the
    capabilities that override permissions (setpriv drops them from its bounding set)."""
    from conftest import permissions_holding

    wrapper = permissions_holding()
    cache_dir.mkdir()
    os.chmod(cache_dir, 0o555)
    try:
        done = subprocess.run([*wrapper, sys.executable, "-m", "realpolitik", "--root", str(dataset_copy), *TRANSFERS],
                              env={**os.environ, "REALPOLITIK_CACHE": str(cache_dir)}, capture_output=True, text=True,
                              timeout=300)
    finally:
        os.chmod(cache_dir, 0o755)
    assert done.returncode == 0, done.stderr
    assert done.stdout == fresh(*TRANSFERS)
    folder = cache_dir / cache.folder_for(dataset_copy).name
    assert done.stderr == f"cache: {folder} cannot be written (Permission denied): the dataset is read into memory\n"
    assert list(cache_dir.iterdir()) == []


def test_two_processes_opening_an_empty_cache_at_once_end_with_one_cache(dataset_copy, cache_dir, fresh):
    expected = fresh(*TRANSFERS)
    for attempt in range(3):
        shared = cache_dir / str(attempt)
        env = {**os.environ, "REALPOLITIK_CACHE": str(shared)}
        command = [sys.executable, "-m", "realpolitik", "--root", str(dataset_copy), *TRANSFERS]
        both = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        outputs = [process.communicate(timeout=300) for process in both]
        assert [process.returncode for process in both] == [0, 0], outputs
        assert [out for out, _ in outputs] == [expected, expected]
        assert [err for _, err in outputs] == ["", ""]
        folder = cache_folder(shared)
        assert sorted(p.name for p in folder.iterdir()) == ["lock", "manifest.json", "store"]
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["state"] == "ready" and manifest["store"] == cache.manifest.store_files(folder)
