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

A long-running process can ask for the cached store copied into memory
(``REALPOLITIK_STORE=memory``, or ``memory=True``): it takes seconds to open at a
million statements where the store on disk takes a tenth of one, and its queries run
several times faster (see ``_memory_copy``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

ENV_VAR = "REALPOLITIK_CACHE"
STORE_VAR = "REALPOLITIK_STORE"  # "disk" (the default) or "memory"
FORMAT = 3  # 2: blank nodes labelled as the parser labels them; 3: built in batches and compacted
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


def memory_wanted() -> bool:
    """Whether ``$REALPOLITIK_STORE`` asks for the store in memory."""
    chosen = os.environ.get(STORE_VAR, "").strip().lower() or "disk"
    if chosen not in ("disk", "memory"):
        raise CacheError(f"{STORE_VAR} is {chosen!r}: it must be 'disk' or 'memory'")
    return chosen == "memory"


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
    """A file's name in the manifest and in its graph's IRI: its path under the root
    (or its absolute path, for a contribution from elsewhere)."""
    path = path.resolve()
    if path.is_relative_to(root.resolve()):
        return path.relative_to(root.resolve()).as_posix()
    return path.as_posix()


def graph_name(root: Path, path: Path) -> ox.NamedNode:
    return ox.NamedNode(FILE_GRAPH + file_key(root, path))


@dataclass
class Opened:
    store: ox.Store
    rewritten_literals: int  # literals the store holds in another form than written
    folder: Path | None = None  # the cache folder the store was opened from, if any
    version: str | None = None  # what that store holds (see ``version``)


def open_store(root=None, paths: list[Path] | None = None) -> ox.Store:
    """The dataset at ``root`` (the shipped one by default) in a store, up to date with
    its files (``paths``, when the caller has already listed them): read-only from the
    cache, or in memory if the cache is off or cannot be written."""
    return open_dataset(root, paths).store


def open_dataset(root=None, paths: list[Path] | None = None, memory: bool = False) -> Opened:
    """open_store, and how many literals the store rewrote (see ``rewritten``). With
    ``memory``, the cached store copied into memory (see ``_memory_copy``)."""
    if paths is None:
        root, paths = dataset_paths(root)
    else:
        root = Path(root)
    folder = folder_for(root)
    if folder is None:
        return in_memory(root, paths)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            files = _bring_up_to_date(folder, root, paths)
            held = version(files)
            # Under the lock: as `files` say.
            store = _memory_copy(folder, held) if memory else ox.Store.read_only(str(folder / "store"))
        keys = {file_key(root, path) for path in paths}
        changed = sum(entry.get("rewritten", 0) for key, entry in files.items() if key in keys)
        return Opened(store, changed, folder, held)
    except PermissionError:
        return in_memory(root, paths)


def version(files: dict) -> str:
    """A name for what a store built from the manifest's ``files`` holds: what is
    derived from the store (a text index, say) is kept under it."""
    checksums = sorted((key, entry["sha256"]) for key, entry in files.items())
    return hashlib.sha256(json.dumps([FORMAT, ox.__version__, checksums]).encode()).hexdigest()


def in_memory(root: Path, paths: list[Path]) -> Opened:
    """The files in a store in memory, as open_dataset would hold them."""
    memory = MemoryStore(root)
    for path in paths:
        memory.add(path, _parse(root, path))
    return memory.opened()


class MemoryStore:
    """A store in memory filled file by file with quads parsed already (``add`` is what
    rdf.parse.parse_turtle hands them to), so that a caller who parses the files anyway
    does not read them twice; ``opened()`` holds them as in_memory would."""

    def __init__(self, root: Path):
        self.root, self.store, self.typed = Path(root), ox.Store(), set()
        self.batches = _Batches(self.store)

    def add(self, path: Path, parsed: list) -> None:
        quads, typed = _in_graph(parsed, graph_name(self.root, path), path)
        self.batches.add(quads)
        self.typed |= typed

    def opened(self) -> Opened:
        self.batches.flush()
        return Opened(self.store, rewritten(self.typed))


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


def _bring_up_to_date(folder: Path, root: Path, paths: list[Path]) -> dict:
    """Update the store; return the manifest's files."""
    manifest = _read_manifest(folder)
    if manifest is None or not _opens(folder / "store"):
        return _rebuild(folder, root, paths)
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
        else:
            current[key]["rewritten"] = entry.get("rewritten", 0)
    removed = [key for key in known if key not in current]
    if not changed and not removed:
        if current != known:  # only times moved: remember them, to skip hashing next time
            _write_manifest(folder, current, "ready")
        return current
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
            current[key]["rewritten"] = _load(store, root, path)
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
    return loaded


def _memory_copy(folder: Path, held: str) -> ox.Store:
    """The cached store in a store in memory. Queries that read hundreds of rows run
    two to four times faster there (on disk each lookup is a RocksDB seek). It is read
    from a TriG snapshot of the store kept beside it for its version: writing the
    snapshot out of RocksDB takes seconds (a 1M register: 4.4 s, once), reading it
    back about 2 s. Parsed without renaming blank nodes, so they keep the store's labels."""
    snapshot = folder / f"snapshot-{held[:32]}.trig"
    if snapshot.is_file():
        try:
            return _read_snapshot(snapshot)
        except (SyntaxError, OSError):  # damaged: written again
            snapshot.unlink(missing_ok=True)
    return _read_snapshot(_write_snapshot(folder, snapshot))


def _write_snapshot(folder: Path, snapshot: Path) -> Path | bytes:
    """Write the snapshot through a rename and remove the older ones; where the folder
    cannot be written, the snapshot as bytes."""
    store = ox.Store.read_only(str(folder / "store"))
    part = folder / f".{snapshot.name}.{os.getpid()}"
    try:
        store.dump(str(part), format=ox.RdfFormat.TRIG)
        os.replace(part, snapshot)
    except OSError:
        part.unlink(missing_ok=True)
        return store.dump(format=ox.RdfFormat.TRIG)
    # The older versions' snapshots, and what killed runs left (the lock is held).
    for older in [*folder.glob("snapshot-*.trig"), *folder.glob(".snapshot-*.trig.*")]:
        if older != snapshot:
            older.unlink(missing_ok=True)
    return snapshot


def _read_snapshot(source: Path | bytes) -> ox.Store:
    memory = ox.Store()
    given = {"input": source} if isinstance(source, bytes) else {"path": str(source)}
    memory.bulk_extend(ox.parse(**given, format=ox.RdfFormat.TRIG, rename_blank_nodes=False))
    return memory


def _opens(store_dir: Path) -> bool:
    if not store_dir.is_dir():
        return False
    try:
        ox.Store.read_only(str(store_dir))
    except (OSError, RuntimeError):  # RocksDB reports corruption as RuntimeError
        return False
    return True


def _rebuild(folder: Path, root: Path, paths: list[Path]) -> dict:
    staging = folder / f"store.new-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    files = {}
    store = ox.Store(str(staging))
    error = None
    try:
        with _Batches(store) as batches:
            for path in paths:
                quads, changed = _read(root, path)
                batches.add(quads)
                stat = path.stat()
                key = file_key(root, path)
                files[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": _sha256(path), "rewritten": changed}
        # Compacted once built: reads from a store left as loaded are up to twice as slow
        # (1M register: 0.8 s here; N-Triples export 7.3 s to 5.1 s, `ties` 5.8 s to 3.1 s).
        store.optimize()
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
    return files


def _load(store: ox.Store, root: Path, path: Path) -> int:
    """Read one file into its graph in one transaction, so that a broken file leaves the
    store as it was (bulk loading is faster, but a failure can leave a store RocksDB no
    longer opens: it is only used to build a new store). Returns how many literals the
    store rewrites."""
    quads, changed = _read(root, path)
    store.extend(quads)
    return changed


class _Batches:
    """Quads bulk-loaded many files at a time: each bulk load into a store on disk writes
    and ingests files of its own, and a register has hundreds of small files (a 1M
    register: 33 s file by file)."""

    SIZE = 400_000  # quads held in memory before they are loaded

    def __init__(self, store: ox.Store):
        self.store, self.quads = store, []

    def add(self, quads: list) -> None:
        self.quads += quads
        if len(self.quads) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        if self.quads:
            self.store.bulk_extend(self.quads)
            self.quads = []

    def __enter__(self):
        return self

    def __exit__(self, kind, *_):
        if kind is None:
            self.flush()


def _read(root: Path, path: Path) -> tuple[list, int]:
    """One file's quads, in its graph (see ``_in_graph``), and how many of its literals
    the store rewrites."""
    quads, typed = _in_graph(_parse(root, path), graph_name(root, path), path)
    return quads, rewritten(typed)


def _parse(root: Path, path: Path) -> list:
    from realpolitik.dataset import display_path

    try:
        data = path.read_bytes()
        data = data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # as rdf.parse reads it
        return list(ox.parse(data, format=ox.RdfFormat.TURTLE, rename_blank_nodes=False))
    except SyntaxError as exc:
        raise CacheError(f"{display_path(path, root)}:{exc.lineno}:{exc.offset}: {exc.msg}") from None
    except OSError as exc:
        raise CacheError(f"{display_path(path, root)}: {exc.strerror or exc}") from None


def _in_graph(parsed: list, graph: ox.NamedNode, path: Path) -> tuple[list, set]:
    """A file's parsed quads in ``graph``, its blank nodes labelled as the parser labels
    them (rdf.parse.BlankLabels), so findings on the store and on parsed files name the
    same nodes; and its literals that a store may keep in another form (see ``rewritten``)."""
    from realpolitik.rdf.parse import BlankLabels, file_scope

    labels = BlankLabels(file_scope(path))
    blank, literal, quad_of = ox.BlankNode, ox.Literal, ox.Quad
    quads, typed = [], set()
    for quad in parsed:
        subject, obj = quad.subject, quad.object
        if type(subject) is blank:
            subject = blank(labels(subject.value))
        if type(obj) is blank:
            obj = blank(labels(obj.value))
        elif type(obj) is literal and obj.datatype.value not in _KEPT_AS_WRITTEN:
            typed.add(obj)
        quads.append(quad_of(subject, quad.predicate, obj, graph))
    return quads, typed


_XSD = "http://www.w3.org/2001/XMLSchema#"
_KEPT_AS_WRITTEN = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def rewritten(literals: set) -> int:
    """How many of ``literals`` a store keeps in another form than written: Oxigraph
    stores "+07"^^xsd:integer as "7", and xsd:nonNegativeInteger as xsd:integer."""
    if not literals:
        return 0
    scratch, predicate = ox.Store(), ox.NamedNode("urn:x-realpolitik:literal")
    written = list(literals)
    scratch.extend(ox.Quad(ox.NamedNode(f"urn:x-realpolitik:{i}"), predicate, lit) for i, lit in enumerate(written))
    stored = {q.subject.value: q.object for q in scratch.quads_for_pattern(None, predicate, None)}
    return sum(1 for i, lit in enumerate(written) if stored[f"urn:x-realpolitik:{i}"] != lit)
