"""Where the dataset lives.

A dataset root holds ``ontology/``, ``shapes/`` and ``data/``. In a wheel they ship
inside the package as ``realpolitik/_dataset``; in a source checkout they sit at the
top of the repository. ``REALPOLITIK_ROOT`` or ``--root`` points elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from realpolitik.errors import RealpolitikError


class DatasetNotFound(RealpolitikError):
    pass


def is_dataset_root(path: Path) -> bool:
    return (path / "ontology" / "realpolitik.ttl").is_file() and (path / "shapes").is_dir() and (
        path / "data"
    ).is_dir()


def dataset_root(override: str | os.PathLike | None = None) -> Path:
    """The dataset root: the override, else $REALPOLITIK_ROOT, else the shipped one."""
    from realpolitik.settings import current

    chosen = override or current().root
    if chosen:
        root = Path(chosen).expanduser().resolve()
        if not is_dataset_root(root):
            raise DatasetNotFound(
                f"{root}: not a realpolitik dataset (it needs ontology/realpolitik.ttl, shapes/ and data/)"
            )
        return root
    here = Path(__file__).resolve().parent
    for candidate in (here / "_dataset", here.parent.parent):
        if is_dataset_root(candidate):
            return candidate
    raise DatasetNotFound("the shipped dataset is missing from this installation of realpolitik")
