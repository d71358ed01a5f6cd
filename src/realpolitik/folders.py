"""Output folders that are replaced whole: written beside the old one and swapped in, so
an interrupted run leaves the previous output as it was. Used by ``build`` (a release)
and ``site`` (a static site); each marks its folder with a file of its own, and neither
replaces a folder of the dataset or one that does not carry its mark. No command writes
into the dataset (``data/``, ``ontology/``, ``shapes/``) or the package's code
(``src/``), wherever a link points."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

from realpolitik.errors import RealpolitikError


class FolderError(RealpolitikError):
    pass


def refuse_dataset(out: Path, root, what: str, command: str) -> None:
    """Refuse an ``out`` that is, holds or lies in a part of the dataset or the package's
    code (links resolved first): no command writes there."""
    from realpolitik.dataset import files

    dataset = files(root)
    target = Path(out).resolve()
    for part in (dataset.data_dir, dataset.ontology_dir, dataset.shapes_dir):
        if _overlaps(target, part.resolve()):
            raise FolderError(f"{out}: is part of the dataset, or holds it; {command} writes {what} elsewhere")
    for part in code_folders(dataset.root):
        if _overlaps(target, part):
            raise FolderError(f"{out}: is the package's code (src/), or holds it; {command} writes {what} elsewhere")


def _overlaps(target: Path, part: Path) -> bool:
    return target == part or part in target.parents or target in part.parents


def code_folders(root: Path) -> list[Path]:
    """The package's own code, and the dataset root's ``src/`` (a checkout's)."""
    package = Path(__file__).resolve().parent
    found = [package] + ([package.parent] if package.parent.name == "src" else [])
    return found + [(Path(root) / "src").resolve()]


def refuse_output_file(out: Path) -> None:
    """Refuse a file to write that is a folder, a link, a device or a FIFO, or whose
    folder does not exist: what is written replaces ``out`` by a rename, and must not
    replace any of those."""
    import stat

    out = Path(out)
    try:
        mode = out.lstat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise FolderError(f"{out}: is a folder; give a file name")
    if mode is not None and stat.S_ISLNK(mode):
        raise FolderError(f"{out}: is a symbolic link; give the file itself")
    if mode is not None and not stat.S_ISREG(mode):
        raise FolderError(f"{out}: is not a regular file (a device, a FIFO or a socket); give a file name")
    if not out.parent.is_dir():
        raise FolderError(f"{out}: its folder {out.parent} does not exist")


def write_file(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: a reader never sees it half-written."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def refuse_to_replace(out: Path, root, marker: str, what: str, command: str) -> None:
    """Refuse an ``out`` that is, holds or lies in a part of the dataset, a file, or a
    non-empty folder without ``marker`` (so not a previous output of ``command``)."""
    refuse_dataset(out, root, what, command)
    if out.exists() and not out.is_dir():
        raise FolderError(f"{out}: is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / marker).is_file():
        raise FolderError(f"{out}: not empty and not {what} (no {marker}); {command} will not replace it")


def replace(out: Path, write: Callable[[Path], object]):
    """Call ``write`` on a fresh folder beside ``out``, then swap it in for ``out``;
    returns what ``write`` returned. If ``write`` fails, ``out`` is untouched. A site
    inside ``out`` (see ``nested_outputs``) is carried over into the new folder."""
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    staging.mkdir()
    try:
        result = write(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    staging.rename(out)
    _carry_over(old, out)
    shutil.rmtree(old, ignore_errors=True)
    return result


SITE_MARKER = ".realpolitik-site"


def nested_outputs(folder: Path) -> list[Path]:
    """The folders inside ``folder`` that are a site (they carry its mark): another
    command's output, which replacing ``folder`` keeps."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink() and (p / SITE_MARKER).is_file())


def _carry_over(old: Path, out: Path) -> None:
    for nested in nested_outputs(old):
        if not (out / nested.name).exists():
            nested.rename(out / nested.name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out: Path) -> None:
    """Tidy what interrupted runs left beside ``out``; a run of another process still
    going is left alone."""
    for left in sorted(out.parent.glob(f".{out.name}.*-*")):
        kind, _, pid = left.name[len(out.name) + 2 :].rpartition("-")
        if kind not in ("building", "old") or not pid.isdigit() or (int(pid) != os.getpid() and _alive(int(pid))):
            continue
        if kind == "old" and not out.exists():  # stopped between the two renames
            left.rename(out)
            continue
        if kind == "old":  # stopped before what it carried over was moved
            _carry_over(left, out)
        shutil.rmtree(left, ignore_errors=True)
