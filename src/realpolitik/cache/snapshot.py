"""The cached store copied into memory, through a TriG snapshot kept as a product."""

from __future__ import annotations

from pathlib import Path

from realpolitik.cache import products
from realpolitik.store import engine as ox
from realpolitik.store.dataset import snapshot_store


def memory_copy(folder: Path, held: str) -> ox.Store:
    """The cached store in a store in memory. Queries that read hundreds of rows run
    two to four times faster there (on disk each lookup is a RocksDB seek). It is read
    from a TriG snapshot of the store kept beside it for its version: writing the
    snapshot out of RocksDB takes seconds (a 1M register: 4.4 s, once), reading it
    back about 2 s. The snapshot is a product (see ``kept_product``): its size and
    checksum are checked before it is read. Parsed without renaming blank nodes, so
    they keep the store's labels."""
    name = f"snapshot-{held[:32]}.trig"
    handle = products.verified(folder, name)  # a damaged one is replaced below
    if handle:
        with handle:
            content = handle.read()
        try:
            return snapshot_store(content)
        except SyntaxError:  # checked, so written by another version of the parser: written again
            pass
    store = ox.Store.read_only(str(folder / "store"))
    if products.keep_locked(folder, name, lambda part: store.dump(str(part), format=ox.RdfFormat.TRIG)):
        return snapshot_store((folder / name).read_bytes())
    return snapshot_store(store.dump(format=ox.RdfFormat.TRIG))  # where the folder cannot be written
