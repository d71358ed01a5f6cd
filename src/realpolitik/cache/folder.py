"""Where the store cache lives (one folder per dataset), the lock that lets one process
update it at a time, removing what is in it, and the one-line notes it writes."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sys
from pathlib import Path


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


@contextlib.contextmanager
def locked(folder: Path):
    """One process updates a cache at a time; the others wait for it."""
    import fcntl

    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def clear(path: Path, keep_files: bool = False) -> None:
    """Remove what is at ``path`` (a folder, a file, a link), or with ``keep_files``
    only a folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif not keep_files and (path.is_symlink() or path.exists()):
        path.unlink(missing_ok=True)


def note(message: str) -> None:
    """A line on standard error: what the cache did that the user may want to know."""
    print(f"cache: {message}", file=sys.stderr)


def reason(exc: OSError) -> str:
    """Why a write failed, briefly: RocksDB's messages end with the system's reason."""
    return exc.strerror or (str(exc).splitlines() or [type(exc).__name__])[0].rsplit(": ", 1)[-1]
