"""The dataset in an Oxigraph store on disk, kept between runs.

Parsing a million triples takes seconds; opening a store that already holds them takes
milliseconds. The store keeps one named graph per file (ontology and data), and a
manifest of each file's size, modification time and SHA-256. On open, files whose size
and time are unchanged are trusted; any other file is hashed, and only files whose
content changed are reloaded (their graph dropped and read again). A store that is
missing, unreadable, of another format or left half-updated by a killed run is rebuilt
from scratch, beside the old one, and swapped in: the cache is never trusted blindly.

Where: ``$REALPOLITIK_CACHE`` (``off`` to keep the store in memory), else
``$XDG_CACHE_HOME/realpolitik``, else ``~/.cache/realpolitik``; one folder per dataset.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox

ENV_VAR = "REALPOLITIK_CACHE"
FORMAT = 1
FILE_GRAPH = "urn:x-realpolitik:file:"  # + the file's path relative to the dataset root


class CacheError(Exception):
    """A file of the dataset could not be loaded: says which and where."""


def base_dir() -> Path | None:
    chosen = os.environ.get(ENV_VAR)
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "realpolitik"


def folder_for(root: Path) -> Path | None:
    base = base_dir()
    if base is None:
        return None
    return base / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def dataset_paths(root) -> tuple[Path, list[Path]]:
    from realpolitik.dataset import files

    dataset = files(root)
    return dataset.root, dataset.ontology_files() + dataset.data_files()


def file_key(root: Path, path: Path) -> str:
    """A file's name in the manifest and in its graph's IRI: its path under the root."""
    return path.resolve().relative_to(root.resolve()).as_posix()


def graph_name(root: Path, path: Path) -> ox.NamedNode:
    return ox.NamedNode(FILE_GRAPH + file_key(root, path))


def open_store(root=None, paths: list[Path] | None = None) -> ox.Store:
    """The dataset at ``root`` (the shipped one by default) in a store, up to date with
    its files (``paths``, when the caller has already listed them): read-only from the
    cache, or in memory if the cache is off or cannot be written."""
    if paths is None:
        root, paths = dataset_paths(root)
    else:
        root = Path(root)
    folder = folder_for(root)
    if folder is None:
        return _in_memory(root, paths)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            _bring_up_to_date(folder, root, paths)
        return ox.Store.read_only(str(folder / "store"))
    except PermissionError:
        return _in_memory(root, paths)


def _in_memory(root: Path, paths: list[Path]) -> ox.Store:
    store = ox.Store()
    for path in paths:
        _load(store, root, path)
    return store


@contextlib.contextmanager
def _locked(folder: Path):
    """One process updates a cache at a time; the others wait for it."""
    import fcntl

    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("pyoxigraph") != ox.__version__:
        return None
    if manifest.get("state") != "ready" or not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def _write_manifest(folder: Path, files: dict, state: str) -> None:
    text = json.dumps({"format": FORMAT, "pyoxigraph": ox.__version__, "state": state, "files": files}, indent=1)
    staging = folder / f"manifest.json.{os.getpid()}"
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, folder / "manifest.json")


def _bring_up_to_date(folder: Path, root: Path, paths: list[Path]) -> None:
    manifest = _read_manifest(folder)
    if manifest is None or not _opens(folder / "store"):
        _rebuild(folder, root, paths)
        return
    known = manifest["files"]
    current, changed = {}, []
    for path in paths:
        key = file_key(root, path)
        stat = path.stat()
        entry = known.get(key)
        if entry and entry["size"] == stat.st_size and entry["mtime_ns"] == stat.st_mtime_ns:
            current[key] = entry
            continue
        digest = _sha256(path)
        current[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}
        if not entry or entry["sha256"] != digest:
            changed.append(path)
    removed = [key for key in known if key not in current]
    if not changed and not removed:
        if current != known:  # only times moved: remember them, to skip hashing next time
            _write_manifest(folder, current, "ready")
        return
    # A run killed from here on leaves the manifest "updating": the next one rebuilds.
    _write_manifest(folder, known, "updating")
    store = ox.Store(str(folder / "store"))
    for key in removed:
        if store.contains_named_graph(ox.NamedNode(FILE_GRAPH + key)):
            store.remove_graph(ox.NamedNode(FILE_GRAPH + key))
    changed_keys = {file_key(root, path) for path in changed}
    loaded = {key: entry for key, entry in current.items() if key not in changed_keys}
    for path in changed:
        key = file_key(root, path)
        name = graph_name(root, path)
        if store.contains_named_graph(name):
            store.remove_graph(name)
        error = None
        try:
            _load(store, root, path, atomic=True)
        except CacheError as exc:
            error = str(exc)  # raised below, once no frame holds the store open
        if error is not None:
            # The broken file is out of the store and of the manifest; the rest stays.
            if store.contains_named_graph(name):
                store.remove_graph(name)
            store.flush()
            del store
            _write_manifest(folder, loaded, "ready")
            raise CacheError(error)
        loaded[key] = current[key]
    store.flush()
    del store
    _write_manifest(folder, loaded, "ready")


def _opens(store_dir: Path) -> bool:
    if not store_dir.is_dir():
        return False
    try:
        ox.Store.read_only(str(store_dir))
    except (OSError, RuntimeError):  # RocksDB reports corruption as RuntimeError
        return False
    return True


def _rebuild(folder: Path, root: Path, paths: list[Path]) -> None:
    staging = folder / f"store.new-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    files = {}
    store = ox.Store(str(staging))
    error = None
    try:
        for path in paths:
            _load(store, root, path)
            stat = path.stat()
            key = file_key(root, path)
            files[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": _sha256(path)}
        store.flush()
    except CacheError as exc:
        error = str(exc)  # raised below, once no frame holds the store open
    del store
    if error is not None:
        shutil.rmtree(staging, ignore_errors=True)
        raise CacheError(error)
    shutil.rmtree(folder / "store", ignore_errors=True)
    os.replace(staging, folder / "store")
    for leftover in folder.glob("store.new-*"):  # what killed rebuilds left
        shutil.rmtree(leftover, ignore_errors=True)
    _write_manifest(folder, files, "ready")


def _load(store: ox.Store, root: Path, path: Path, atomic: bool = False) -> None:
    """Read one file into its graph. ``atomic``: in a transaction, so that a broken
    file leaves the store as it was (bulk loading is faster, but a failure can leave a
    store RocksDB no longer opens; it is only used to build a new store)."""
    from realpolitik.dataset import display_path

    load = store.load if atomic else store.bulk_load
    try:
        load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph_name(root, path))
    except SyntaxError as exc:
        raise CacheError(f"{display_path(path, root)}:{exc.lineno}:{exc.offset}: {exc.msg}") from None
    except OSError as exc:
        raise CacheError(f"{display_path(path, root)}: {exc.strerror or exc}") from None
