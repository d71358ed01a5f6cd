"""Reading an input file safely: only a regular file is read, never through a link, and
never more than the size limit. A link may point at a secret, a device never ends and a
FIFO never answers, so each is refused before a byte is read; the file is opened with
O_NOFOLLOW and O_NONBLOCK, so one swapped in between the check and the open fails at
once instead of being followed or hanging."""

from __future__ import annotations

import os
import stat

from realpolitik.errors import RealpolitikError


class Refused(RealpolitikError):
    """Why a file is not read, said in a few words (the caller says which file)."""


def check_regular(path) -> os.stat_result:
    """The file's status, if it is a regular file; Refused otherwise."""
    if isinstance(path, (str, os.PathLike)) and not _utf8_name(os.fspath(path)):
        raise Refused("its name is not UTF-8")
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        raise Refused("no such file") from None
    except OSError as exc:
        raise Refused(f"cannot read: {exc.strerror or exc}") from None
    _require_regular(status.st_mode)
    return status


def _require_regular(mode: int) -> None:
    if stat.S_ISLNK(mode):
        raise Refused("is a symbolic link; give the file it points to")
    if stat.S_ISDIR(mode):
        raise Refused("is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise Refused("is not a regular file (a device, a FIFO or a socket)")


def _utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as lone surrogates
        return False
    return True


def read_regular(path, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them (default
    REALPOLITIK_MAX_FILE_BYTES); Refused says why not."""
    from realpolitik import limits

    limit = limits.max_file_bytes() if limit is None else limit
    status = check_regular(path)
    if status.st_size > limit:
        raise Refused(too_large(status.st_size, limit))
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew since the check
        raise Refused(too_large(len(data), limit))
    return data


def open_regular(path):
    """The regular file ``path`` opened for reading in binary; Refused says why not.
    FileNotFoundError when there is no such file."""
    if not os.path.lexists(path):
        raise FileNotFoundError(path)
    check_regular(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:  # ELOOP: it became a link since the check
        raise Refused(f"cannot read: {exc.strerror or exc}") from None
    handle = os.fdopen(descriptor, "rb")
    try:
        _require_regular(os.fstat(handle.fileno()).st_mode)
    except Refused:
        handle.close()
        raise
    return handle


def read_text(path, limit: int | None = None) -> str:
    """``read_regular`` decoded as UTF-8 (a byte-order mark dropped)."""
    data = read_regular(path, limit)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    return text[1:] if text.startswith("\ufeff") else text


def measure(handle) -> tuple[int, str]:
    """The size and SHA-256 of what ``handle`` has left to read, read in blocks."""
    import hashlib

    digest, size = hashlib.sha256(), 0
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
        size += len(block)
    return size, digest.hexdigest()


def too_large(size: int, limit: int) -> str:
    return f"{size:,} bytes, more than the limit of {limit:,} (REALPOLITIK_MAX_FILE_BYTES)"
