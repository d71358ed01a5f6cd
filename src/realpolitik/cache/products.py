"""What is made from a version of the store and kept beside it (exports, snapshots): a
product, its size and SHA-256 in the manifest, checked before it is used; one that does
not match is made again, and said so."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from realpolitik.cache import manifest as manifests
from realpolitik.cache.folder import clear, locked, note


def kept_product(folder: Path, name: str):
    """The product ``name`` (a file under the cache folder, named after the store's
    version) open for reading, once its size and checksum match the manifest's; None
    when there is none or it was damaged (said so: the caller makes it again)."""
    handle = verified(folder, name)
    if handle is False:
        with contextlib.suppress(OSError), locked(folder):
            (folder / name).unlink(missing_ok=True)
        return None
    return handle


def verified(folder: Path, name: str):
    """``name`` open for reading if it matches its record; None if there is none;
    False if it does not match (said on standard error)."""
    from realpolitik.inputs import measure

    path = folder / name
    recorded = ((manifests.read_manifest(folder) or {}).get("products") or {}).get(name)
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
    note(f"{path} was damaged, rebuilt")
    return False


def keep_product(folder: Path, name: str, source: Path) -> None:
    """A copy of ``source`` kept as the product ``name``, with its size and checksum in
    the manifest; it replaces the earlier products of its kind (the name up to the
    version). A cache that cannot be written only costs time."""
    with contextlib.suppress(OSError), locked(folder):
        keep_locked(folder, name, lambda part: shutil.copyfile(source, part))


def keep_locked(folder: Path, name: str, write) -> bool:
    """``write`` the product ``name`` through a rename and record it; the lock is held."""
    path = folder / name
    part = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(part)
        recorded = {"size": part.stat().st_size, "sha256": manifests.sha256(part)}
        manifest = manifests.read_manifest(folder)
        if manifest is None:  # no store to keep it for
            part.unlink()
            return False
        clear(path, keep_files=True)  # a folder in its place, say
        os.replace(part, path)
    except OSError:
        part.unlink(missing_ok=True)
        return False
    kind = path.name.rsplit("-", 1)[0]
    products = {key: entry for key, entry in manifest["products"].items()
                if inside(key) and (folder / key).is_file()}
    for older in path.parent.iterdir():
        # The older products of this kind, and what killed runs left (the lock is held).
        if older != path and (older.name.rsplit("-", 1)[0] == kind or older.name.startswith(f".{kind.split('-')[0]}-")):
            clear(older)
            products.pop(older.relative_to(folder).as_posix(), None)
    products[name] = recorded
    with contextlib.suppress(OSError):
        manifests.write_manifest(folder, {**manifest, "products": products})
    return True


def inside(name: str) -> bool:
    """Whether a product's name in the manifest names a file inside the cache folder."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts
