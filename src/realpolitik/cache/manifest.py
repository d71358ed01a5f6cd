"""The cache's manifest: what made the store (format, package, pyoxigraph), each file's
size, SHA-256 and rewritten literals as loaded, the store's own files and sizes, and the
products kept beside it; written through a rename, read only when whole and of this
format. ``version`` names what a store built from it holds."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from realpolitik.cache.folder import clear, note
from realpolitik.store import engine as ox

FORMAT = 5  # 2: blank nodes labelled as the parser labels them; 3: built in batches and compacted;
# 4: files trusted by their content alone; the store's files and the products recorded;
# 5: files read by the one reader, as strictly as validation reads them

MADE_BY = ("format", "package", "pyoxigraph")


def made_by() -> list:
    """What made a cache: its format, this package's version and pyoxigraph's."""
    from realpolitik import __version__

    return [FORMAT, __version__, ox.VERSION]


def version(files: dict) -> str:
    """A name for what a store built from the manifest's ``files`` holds: what is
    derived from the store (a text index, say) is kept under it."""
    checksums = sorted((key, entry["sha256"]) for key, entry in files.items())
    return hashlib.sha256(json.dumps([*made_by(), checksums]).encode()).hexdigest()


def read_manifest(folder: Path) -> dict | None:
    """The manifest, if it describes a store of this format that was left ready; a
    manifest that cannot be read as one is said to be damaged."""
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):
        note(f"{path} was damaged, rebuilt")
        return None
    if not isinstance(manifest, dict) or [manifest.get(k) for k in MADE_BY] != made_by():
        return None  # another version's cache: rebuilt
    if manifest.get("state") != "ready":
        return None  # left by a run killed while it updated the store
    if not well_formed(manifest):
        note(f"{path} was damaged, rebuilt")
        return None
    return manifest


def well_formed(manifest: dict) -> bool:
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


def write_manifest(folder: Path, manifest: dict) -> None:
    manifest = {**dict(zip(MADE_BY, made_by())), "state": "ready", **manifest}
    staging = folder / f"manifest.json.{os.getpid()}"
    try:
        staging.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        clear(folder / "manifest.json", keep_files=True)  # a folder in its place, say
        os.replace(staging, folder / "manifest.json")
    finally:
        staging.unlink(missing_ok=True)


def store_files(folder: Path) -> dict:
    """The store's files and their sizes. RocksDB never changes a file once written, so
    a size other than recorded is damage; it checks each block's checksum as it reads."""
    try:
        entries = list(os.scandir(folder / "store"))
    except OSError:
        return {}
    return {entry.name: entry.stat(follow_symlinks=False).st_size for entry in entries
            if entry.is_file(follow_symlinks=False) and entry.name != "LOCK" and not entry.name.startswith("LOG")}


def sha256(path: Path) -> str:
    from realpolitik.inputs import measure

    with open(path, "rb") as handle:
        return measure(handle)[1]
