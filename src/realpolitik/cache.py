"""The dataset in an Oxigraph store on disk, kept between runs.

Parsing a million triples takes seconds; opening a store that already holds them takes
milliseconds. The store keeps one named graph per file (ontology and data), and a
manifest of the SHA-256 of the bytes each file's graph was loaded from. On open, every
file is read and hashed (sizes and times are not trusted: an edit can keep both), and
only files whose content changed are reloaded (their graph dropped and read again). A
file edited while it is loaded is therefore reloaded by the next open. A store that is
missing, of another format, damaged (its files are recorded with their sizes) or left
half-updated by a killed run is rebuilt from scratch, beside the old one, and swapped
in: the cache is never trusted blindly.

What is made from a version of the store and kept beside it (exports, the snapshot
below) is a product: its size and SHA-256 are in the manifest and checked before it is
used; one that does not match is made again, and said so on standard error. Where the
cache folder cannot be written (read-only, full, not a folder), the dataset is read into
memory, said so in one line, and nothing half-written is left behind.

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
import sys
from pathlib import Path

from realpolitik.store import engine as ox
from realpolitik.errors import RealpolitikError
from realpolitik.store.dataset import FILE_GRAPH, Batches, Dataset, file_key, graph_name, rewritten, snapshot_store
from realpolitik.store.terms import in_graph

FORMAT = 5  # 2: blank nodes labelled as the parser labels them; 3: built in batches and compacted;
# 4: files trusted by their content alone; the store's files and the products recorded;
# 5: files read by the one reader, as strictly as validation reads them
# The build loads through _Batches (where a test stops a build), from realpolitik.store.
_Batches = Batches
__all__ = ["FILE_GRAPH", "CacheError", "Dataset", "content_digests", "file_key", "folder_for",
           "graph_name", "in_memory", "keep_product", "kept_product", "open_dataset", "open_store", "rewritten",
           "version"]


class CacheError(RealpolitikError):
    """A file of the dataset could not be loaded: says which and where."""


def base_dir() -> Path | None:
    from realpolitik.settings import current

    chosen, xdg = current().cache, current().xdg_cache_home
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen).expanduser()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "realpolitik"


def memory_wanted() -> bool:
    """Whether ``$REALPOLITIK_STORE`` asks for the store in memory."""
    from realpolitik.settings import current

    return current().store == "memory"


def folder_for(root: Path) -> Path | None:
    base = base_dir()
    if base is None:
        return None
    return base / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def dataset_paths(root) -> tuple[Path, list[Path]]:
    from realpolitik.dataset import files

    dataset = files(root)
    return dataset.root, dataset.ontology_files() + dataset.data_files()


def open_store(root=None, paths: list[Path] | None = None) -> ox.Store:
    """The dataset at ``root`` (the shipped one by default) in a store, up to date with
    its files (``paths``, when the caller has already listed them): read-only from the
    cache, or in memory if the cache is off or cannot be written."""
    return open_dataset(root, paths).store


def open_dataset(root=None, paths: list[Path] | None = None, memory: bool = False,
                 digests: dict | None = None) -> Dataset:
    """open_store, and how many literals the store rewrote (see ``rewritten``). With
    ``memory``, the cached store copied into memory (see ``_memory_copy``). ``digests``:
    the files' ``content_digests``, when the caller has just read them."""
    if paths is None:
        root, paths = dataset_paths(root)
    else:
        root = Path(root)
    folder = folder_for(root)
    if folder is None:
        return in_memory(root, paths)
    keyed = {file_key(root, path): path for path in paths}
    if digests is None:
        digests = content_digests(root, paths)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            files = _bring_up_to_date(folder, root, keyed, digests)
            held = version(files)
            # Under the lock: as `files` say.
            if memory:
                store = _memory_copy(folder, held)
            else:
                try:
                    store = ox.Store.read_only(str(folder / "store"))
                except (OSError, RuntimeError):  # RocksDB reports corruption as RuntimeError
                    _note(f"{folder / 'store'} was damaged, rebuilt")
                    files = _rebuild(folder, root, keyed)
                    held = version(files)
                    store = ox.Store.read_only(str(folder / "store"))
    except OSError as exc:
        _note(f"{folder} cannot be written ({_reason(exc)}): the dataset is read into memory")
        return in_memory(root, paths)
    changed = sum(entry["rewritten"] for entry in files.values())
    return Dataset(store, True, changed, folder, held, {key: entry["sha256"] for key, entry in files.items()})


def last_store(root: Path) -> Dataset | None:
    """The store as the cache last left it for the dataset at ``root``, read-only and
    not brought up to date, as a Dataset; None if there is none that opens."""
    folder = folder_for(Path(root))
    if folder is None or not (folder / "store").is_dir():
        return None
    try:
        return Dataset(ox.Store.read_only(str(folder / "store")), folder=folder)
    except (OSError, RuntimeError):  # RocksDB reports corruption as RuntimeError
        return None


def content_digests(root: Path, paths: list[Path]) -> dict:
    """Each file's key -> the SHA-256 of its content now. A file is trusted only when
    this matches what the store was loaded from: every file is read on every open
    (the shipped dataset: about 2 ms; a 1M register, 779 files: about 60 ms)."""
    digests = {}
    for path in paths:
        try:
            digests[file_key(root, path)] = _sha256(path)
        except OSError as exc:
            raise CacheError(_unreadable(root, path, exc)) from None
    return digests


def version(files: dict) -> str:
    """A name for what a store built from the manifest's ``files`` holds: what is
    derived from the store (a text index, say) is kept under it."""
    checksums = sorted((key, entry["sha256"]) for key, entry in files.items())
    return hashlib.sha256(json.dumps([*_made_by(), checksums]).encode()).hexdigest()


def in_memory(root: Path, paths: list[Path]) -> Dataset:
    """The files in a store in memory, as open_dataset would hold them."""
    from realpolitik.rdf.reader import InputError

    try:
        return Dataset.read(root, paths)
    except InputError as exc:
        raise CacheError(str(exc)) from None


def kept_product(folder: Path, name: str):
    """The product ``name`` (a file under the cache folder, named after the store's
    version) open for reading, once its size and checksum match the manifest's; None
    when there is none or it was damaged (said so: the caller makes it again)."""
    handle = _verified(folder, name)
    if handle is False:
        with contextlib.suppress(OSError), _locked(folder):
            (folder / name).unlink(missing_ok=True)
        return None
    return handle


def _verified(folder: Path, name: str):
    """``name`` open for reading if it matches its record; None if there is none;
    False if it does not match (said on standard error)."""
    from realpolitik.inputs import measure

    path = folder / name
    recorded = ((_read_manifest(folder) or {}).get("products") or {}).get(name)
    if recorded is None:  # none, or kept by a run that could not record it: made again
        return None
    try:
        handle = open(path, "rb")
    except OSError:
        return None
    if measure(handle) == (recorded["size"], recorded["sha256"]):
        handle.seek(0)
        return handle
    handle.close()
    _note(f"{path} was damaged, rebuilt")
    return False


def keep_product(folder: Path, name: str, source: Path) -> None:
    """A copy of ``source`` kept as the product ``name``, with its size and checksum in
    the manifest; it replaces the earlier products of its kind (the name up to the
    version). A cache that cannot be written only costs time."""
    with contextlib.suppress(OSError), _locked(folder):
        _keep_locked(folder, name, lambda part: shutil.copyfile(source, part))


def _keep_locked(folder: Path, name: str, write) -> bool:
    """``write`` the product ``name`` through a rename and record it; the lock is held."""
    path = folder / name
    part = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(part)
        recorded = {"size": part.stat().st_size, "sha256": _sha256(part)}
        manifest = _read_manifest(folder)
        if manifest is None:  # no store to keep it for
            part.unlink()
            return False
        _clear(path, keep_files=True)  # a folder in its place, say
        os.replace(part, path)
    except OSError:
        part.unlink(missing_ok=True)
        return False
    kind = path.name.rsplit("-", 1)[0]
    products = {key: entry for key, entry in manifest["products"].items()
                if _inside(key) and (folder / key).is_file()}
    for older in path.parent.iterdir():
        # The older products of this kind, and what killed runs left (the lock is held).
        if older != path and (older.name.rsplit("-", 1)[0] == kind or older.name.startswith(f".{kind.split('-')[0]}-")):
            _clear(older)
            products.pop(older.relative_to(folder).as_posix(), None)
    products[name] = recorded
    with contextlib.suppress(OSError):
        _write_manifest(folder, {**manifest, "products": products})
    return True


def _inside(name: str) -> bool:
    """Whether a product's name in the manifest names a file inside the cache folder."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _note(message: str) -> None:
    """A line on standard error: what the cache did that the user may want to know."""
    print(f"cache: {message}", file=sys.stderr)


def _reason(exc: OSError) -> str:
    """Why a write failed, briefly: RocksDB's messages end with the system's reason."""
    return exc.strerror or (str(exc).splitlines() or [type(exc).__name__])[0].rsplit(": ", 1)[-1]


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
    from realpolitik.inputs import measure

    with open(path, "rb") as handle:
        return measure(handle)[1]


def _read_manifest(folder: Path) -> dict | None:
    """The manifest, if it describes a store of this format that was left ready; a
    manifest that cannot be read as one is said to be damaged."""
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):
        _note(f"{path} was damaged, rebuilt")
        return None
    if not isinstance(manifest, dict) or [manifest.get(k) for k in _MADE_BY] != _made_by():
        return None  # another version's cache: rebuilt
    if manifest.get("state") != "ready":
        return None  # left by a run killed while it updated the store
    if not _well_formed(manifest):
        _note(f"{path} was damaged, rebuilt")
        return None
    return manifest


def _well_formed(manifest: dict) -> bool:
    def count(value) -> bool:
        return type(value) is int and 0 <= value < 1 << 63

    def checksum(value) -> bool:
        return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)

    files, store, products = manifest.get("files"), manifest.get("store"), manifest.get("products")
    if not (isinstance(files, dict) and isinstance(store, dict) and isinstance(products, dict)):
        return False
    return (
        all(isinstance(e, dict) and count(e.get("size")) and checksum(e.get("sha256")) and count(e.get("rewritten"))
            for e in files.values())
        and all(count(size) for size in store.values())
        and all(isinstance(e, dict) and count(e.get("size")) and checksum(e.get("sha256")) for e in products.values())
    )


_MADE_BY = ("format", "package", "pyoxigraph")


def _made_by() -> list:
    """What made a cache: its format, this package's version and pyoxigraph's."""
    from realpolitik import __version__

    return [FORMAT, __version__, ox.VERSION]


def _write_manifest(folder: Path, manifest: dict) -> None:
    manifest = {**dict(zip(_MADE_BY, _made_by())), "state": "ready", **manifest}
    staging = folder / f"manifest.json.{os.getpid()}"
    try:
        staging.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        _clear(folder / "manifest.json", keep_files=True)  # a folder in its place, say
        os.replace(staging, folder / "manifest.json")
    finally:
        staging.unlink(missing_ok=True)


def _store_files(folder: Path) -> dict:
    """The store's files and their sizes. RocksDB never changes a file once written, so
    a size other than recorded is damage; it checks each block's checksum as it reads."""
    try:
        entries = list(os.scandir(folder / "store"))
    except OSError:
        return {}
    return {entry.name: entry.stat(follow_symlinks=False).st_size for entry in entries
            if entry.is_file(follow_symlinks=False) and entry.name != "LOCK" and not entry.name.startswith("LOG")}


def _bring_up_to_date(folder: Path, root: Path, keyed: dict, digests: dict) -> dict:
    """Update the store to hold the files whose content is ``digests``; return the
    manifest's files: for each, the checksum of the bytes that were loaded."""
    # What killed runs left: stores half built, products half written (the lock is held).
    for leftover in [*folder.glob("store.new-*"), *folder.glob(".snapshot-*"), *folder.glob("exports/.*")]:
        _clear(leftover)
    manifest = _read_manifest(folder)
    if manifest is None:
        return _rebuild(folder, root, keyed)
    if _store_files(folder) != manifest["store"]:
        if (folder / "store").exists():
            _note(f"{folder / 'store'} was damaged, rebuilt")
        return _rebuild(folder, root, keyed)
    known = manifest["files"]
    changed = [key for key in keyed if key not in known or known[key]["sha256"] != digests.get(key)]
    removed = [key for key in known if key not in keyed]
    if not changed and not removed:
        return known
    # A run killed from here on leaves the manifest "updating": the next one rebuilds.
    _write_manifest(folder, {**manifest, "state": "updating"})
    try:
        store = ox.Store(str(folder / "store"))
    except RuntimeError:  # corrupt; an OSError (the folder cannot be written) is raised
        _note(f"{folder / 'store'} was damaged, rebuilt")
        return _rebuild(folder, root, keyed)
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
            quads, literals, entry = _read(root, path)
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
            _write_manifest(folder, {**manifest, "files": loaded, "store": _store_files(folder)})
            raise CacheError(error)
        loaded[key] = entry
    store.flush()
    del store
    _write_manifest(folder, {**manifest, "files": loaded, "store": _store_files(folder)})
    return loaded


def _memory_copy(folder: Path, held: str) -> ox.Store:
    """The cached store in a store in memory. Queries that read hundreds of rows run
    two to four times faster there (on disk each lookup is a RocksDB seek). It is read
    from a TriG snapshot of the store kept beside it for its version: writing the
    snapshot out of RocksDB takes seconds (a 1M register: 4.4 s, once), reading it
    back about 2 s. The snapshot is a product (see ``kept_product``): its size and
    checksum are checked before it is read. Parsed without renaming blank nodes, so
    they keep the store's labels."""
    name = f"snapshot-{held[:32]}.trig"
    handle = _verified(folder, name)  # a damaged one is replaced below
    if handle:
        with handle:
            content = handle.read()
        try:
            return snapshot_store(content)
        except SyntaxError:  # checked, so written by another version of the parser: written again
            pass
    store = ox.Store.read_only(str(folder / "store"))
    if _keep_locked(folder, name, lambda part: store.dump(str(part), format=ox.RdfFormat.TRIG)):
        return snapshot_store((folder / name).read_bytes())
    return snapshot_store(store.dump(format=ox.RdfFormat.TRIG))  # where the folder cannot be written


def _clear(path: Path, keep_files: bool = False) -> None:
    """Remove what is at ``path`` (a folder, a file, a link), or with ``keep_files``
    only a folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif not keep_files and (path.is_symlink() or path.exists()):
        path.unlink(missing_ok=True)


def _rebuild(folder: Path, root: Path, keyed: dict) -> dict:
    """A new store built beside the old one and swapped in; the products of the old
    one removed. Nothing is left behind if it fails."""
    staging = folder / f"store.new-{os.getpid()}"
    _clear(staging)
    files, store, batches, error = {}, None, None, None
    try:
        store = ox.Store(str(staging))
        batches = _Batches(store)
        for key, path in keyed.items():
            quads, literals, entry = _read(root, path)
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
        _clear(staging)
        raise
    store = batches = None
    if error is not None:
        _clear(staging)
        raise CacheError(error)
    try:
        _clear(folder / "manifest.json")  # a run killed from here on rebuilds
        _clear(folder / "store")
        os.replace(staging, folder / "store")
        for product in [*folder.glob("snapshot-*.trig"), *folder.glob(".snapshot-*"), *folder.glob("exports/*")]:
            _clear(product)
        _write_manifest(folder, {"files": files, "store": _store_files(folder), "products": {}})
    finally:
        _clear(staging)
    return files


def _read(root: Path, path: Path) -> tuple[list, int, dict]:
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


def _unreadable(root: Path, path: Path, exc: OSError) -> str:
    from realpolitik.dataset import display_path

    return f"{display_path(path, root)}: {exc.strerror or exc}"
