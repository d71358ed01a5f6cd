"""Bringing the cached store up to date with the dataset's files: every file hashed, only
those whose content changed reloaded (their graph dropped and read again), and a store
that is missing, of another format, damaged or left half-updated rebuilt from scratch
beside the old one and swapped in."""

from __future__ import annotations

import os
from pathlib import Path

from realpolitik.cache import manifest as manifests
from realpolitik.cache.folder import clear, note
from realpolitik.errors import RealpolitikError
from realpolitik.store import engine as ox
from realpolitik.store.dataset import FILE_GRAPH, Batches, file_key, graph_name, rewritten
from realpolitik.store.terms import in_graph


class CacheError(RealpolitikError):
    """A file of the dataset could not be loaded: says which and where."""


def content_digests(root: Path, paths: list[Path]) -> dict:
    """Each file's key -> the SHA-256 of its content now. A file is trusted only when
    this matches what the store was loaded from: every file is read on every open
    (the shipped dataset: about 2 ms; a 1M register, 779 files: about 60 ms)."""
    digests = {}
    for path in paths:
        try:
            digests[file_key(root, path)] = manifests.sha256(path)
        except OSError as exc:
            raise CacheError(unreadable(root, path, exc)) from None
    return digests


def bring_up_to_date(folder: Path, root: Path, keyed: dict, digests: dict) -> dict:
    """Update the store to hold the files whose content is ``digests``; return the
    manifest's files: for each, the checksum of the bytes that were loaded."""
    # What killed runs left: stores half built, products half written (the lock is held).
    for leftover in [*folder.glob("store.new-*"), *folder.glob(".snapshot-*"), *folder.glob("exports/.*")]:
        clear(leftover)
    manifest = manifests.read_manifest(folder)
    if manifest is None:
        return rebuild(folder, root, keyed)
    if manifests.store_files(folder) != manifest["store"]:
        if (folder / "store").exists():
            note(f"{folder / 'store'} was damaged, rebuilt")
        return rebuild(folder, root, keyed)
    known = manifest["files"]
    changed = [key for key in keyed if key not in known or known[key]["sha256"] != digests.get(key)]
    removed = [key for key in known if key not in keyed]
    if not changed and not removed:
        return known
    # A run killed from here on leaves the manifest "updating": the next one rebuilds.
    manifests.write_manifest(folder, {**manifest, "state": "updating"})
    try:
        store = ox.Store(str(folder / "store"))
    except RuntimeError:  # corrupt; an OSError (the folder cannot be written) is raised
        note(f"{folder / 'store'} was damaged, rebuilt")
        return rebuild(folder, root, keyed)
    for key in removed:
        if store.contains_named_graph(ox.NamedNode(FILE_GRAPH + key)):
            store.remove_graph(ox.NamedNode(FILE_GRAPH + key))
    loaded = {key: entry for key, entry in known.items() if key in keyed and key not in changed}
    for key in changed:
        path, name = keyed[key], ox.NamedNode(FILE_GRAPH + key)
        if store.contains_named_graph(name):
            store.remove_graph(name)
        error = None
        try:
            quads, literals, entry = read_file(root, path)
            # One transaction per file, so that a broken file leaves the store as it was
            # (bulk loading is faster, but a failure can leave a store RocksDB no longer
            # opens: it is only used to build a new store).
            store.extend(quads)
            entry["rewritten"] = literals
        except CacheError as exc:
            error = str(exc)  # raised below, once no frame holds the store open
        if error is not None:
            # The broken file is out of the store and of the manifest; the rest stays.
            if store.contains_named_graph(name):
                store.remove_graph(name)
            store.flush()
            del store
            manifests.write_manifest(folder, {**manifest, "files": loaded, "store": manifests.store_files(folder)})
            raise CacheError(error)
        loaded[key] = entry
    store.flush()
    del store
    manifests.write_manifest(folder, {**manifest, "files": loaded, "store": manifests.store_files(folder)})
    return loaded


def rebuild(folder: Path, root: Path, keyed: dict) -> dict:
    """A new store built beside the old one and swapped in; the products of the old
    one removed. Nothing is left behind if it fails."""
    staging = folder / f"store.new-{os.getpid()}"
    clear(staging)
    files, store, batches, error = {}, None, None, None
    try:
        store = ox.Store(str(staging))
        batches = Batches(store)  # where a test stops a build (Batches.flush)
        for key, path in keyed.items():
            quads, literals, entry = read_file(root, path)
            batches.add(quads)
            files[key] = {**entry, "rewritten": literals}
        batches.flush()
        # Compacted once built: reads from a store left as loaded are up to twice as slow
        # (1M register: 0.8 s here; N-Triples export 7.3 s to 5.1 s, `ties` 5.8 s to 3.1 s).
        store.optimize()
        store.flush()
    except CacheError as exc:
        error = str(exc)  # raised below, once no frame holds the store open
    except BaseException:  # a full disk, say: the store closed, then removed
        store = batches = None
        clear(staging)
        raise
    store = batches = None
    if error is not None:
        clear(staging)
        raise CacheError(error)
    try:
        clear(folder / "manifest.json")  # a run killed from here on rebuilds
        clear(folder / "store")
        os.replace(staging, folder / "store")
        for product in [*folder.glob("snapshot-*.trig"), *folder.glob(".snapshot-*"), *folder.glob("exports/*")]:
            clear(product)
        manifests.write_manifest(folder, {"files": files, "store": manifests.store_files(folder), "products": {}})
    finally:
        clear(staging)
    return files


def read_file(root: Path, path: Path) -> tuple[list, int, dict]:
    """One file's quads, in its graph, read by the one reader (realpolitik.rdf.reader) and
    as strictly; how many of its literals the store rewrites (see ``rewritten``); and its
    entry in the manifest: the size and checksum of the bytes that were parsed (not of
    the file read again later, which may have changed)."""
    from realpolitik.rdf.reader import InputError, Reader

    try:
        parsed = Reader(root).read(path)
    except InputError as exc:
        raise CacheError(str(exc)) from None
    quads, typed = in_graph(parsed.quads, graph_name(root, path), path)
    return quads, rewritten(typed), parsed.manifest_entry()


def unreadable(root: Path, path: Path, exc: OSError) -> str:
    from realpolitik.dataset import display_path

    return f"{display_path(path, root)}: {exc.strerror or exc}"
