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
several times faster (see ``snapshot.memory_copy``).

The jobs are modules of their own: ``folder`` (where the cache lives, its lock),
``manifest``, ``products``, ``update`` (bringing the store up to date, rebuilding it)
and ``snapshot`` (the copy in memory); this module opens the dataset through them.
"""

from __future__ import annotations

from pathlib import Path

from realpolitik.cache.folder import base_dir, folder_for, locked, memory_wanted, note, reason
from realpolitik.cache.manifest import FORMAT, version
from realpolitik.cache.products import keep_product, kept_product
from realpolitik.cache.snapshot import memory_copy
from realpolitik.cache.update import CacheError, bring_up_to_date, content_digests, rebuild
from realpolitik.store import engine as ox
from realpolitik.store.dataset import FILE_GRAPH, Dataset, file_key, graph_name, rewritten

__all__ = ["FILE_GRAPH", "FORMAT", "CacheError", "Dataset", "base_dir", "content_digests", "dataset_paths",
           "file_key", "folder_for", "graph_name", "in_memory", "keep_product", "kept_product", "last_store",
           "memory_wanted", "open_dataset", "open_store", "rewritten", "version"]


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
    ``memory``, the cached store copied into memory (see ``snapshot.memory_copy``).
    ``digests``: the files' ``content_digests``, when the caller has just read them."""
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
        with locked(folder):
            files = bring_up_to_date(folder, root, keyed, digests)
            held = version(files)
            # Under the lock: as `files` say.
            if memory:
                store = memory_copy(folder, held)
            else:
                try:
                    store = ox.Store.read_only(str(folder / "store"))
                except (OSError, RuntimeError):  # RocksDB reports corruption as RuntimeError
                    note(f"{folder / 'store'} was damaged, rebuilt")
                    files = rebuild(folder, root, keyed)
                    held = version(files)
                    store = ox.Store.read_only(str(folder / "store"))
    except OSError as exc:
        note(f"{folder} cannot be written ({reason(exc)}): the dataset is read into memory")
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


def in_memory(root: Path, paths: list[Path]) -> Dataset:
    """The files in a store in memory, as open_dataset would hold them."""
    from realpolitik.rdf.reader import InputError

    try:
        return Dataset.read(root, paths)
    except InputError as exc:
        raise CacheError(str(exc)) from None
