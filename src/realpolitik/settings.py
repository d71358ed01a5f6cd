"""Every setting the environment can give, read in one place.

``current()`` is a frozen ``Settings``, read from the environment once and again only
when one of its variables changed (a test or a notebook may set one), so that no module
reads ``os.environ`` itself and no default is written twice. A value that cannot be used
(``REALPOLITIK_MAX_FILE_BYTES=lots``) is a one-line error naming the variable, not a
silent default. Command-line options default to "unset" and fall back to these.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from realpolitik.errors import RealpolitikError


class SettingError(RealpolitikError):
    """An environment variable whose value cannot be used."""


def _count(name: str, value: str) -> int:
    if not value.strip().isdigit() or int(value) <= 0:
        raise SettingError(f"{name} is {value!r}: give a whole number above 0")
    return int(value)


def _choice(*allowed: str):
    def parse(name: str, value: str) -> str:
        chosen = value.strip().lower()
        if chosen not in allowed:
            raise SettingError(f"{name} is {value!r}: it must be {' or '.join(repr(a) for a in allowed)}")
        return chosen

    return parse


def _epoch(name: str, value: str) -> int:
    if not value.strip().isdigit():
        raise SettingError(f"{name} is {value!r}: give the seconds since 1970 as a whole number")
    return int(value)


def _text(_name: str, value: str) -> str:
    return value


@dataclass(frozen=True)
class Settings:
    root: str | None = None  # REALPOLITIK_ROOT: a dataset folder instead of the shipped one
    cache: str | None = None  # REALPOLITIK_CACHE: the cache's folder, or "off"
    xdg_cache_home: str | None = None  # XDG_CACHE_HOME: where caches go when REALPOLITIK_CACHE is unset
    store: str = "disk"  # REALPOLITIK_STORE: the store cache on "disk" or copied into "memory"
    shacl: str = "store"  # REALPOLITIK_SHACL: "pyshacl" to run pyshacl itself
    reasoner: str = "fast"  # REALPOLITIK_REASONER: "owlrl" to run the reference reasoner
    max_file_bytes: int = 64 * 1024 * 1024  # REALPOLITIK_MAX_FILE_BYTES
    max_literal_chars: int = 100_000  # REALPOLITIK_MAX_LITERAL_CHARS
    query_seconds: int = 30  # REALPOLITIK_QUERY_SECONDS
    query_memory_mb: int = 2048  # REALPOLITIK_QUERY_MEMORY_MB
    max_response_bytes: int = 256 * 1024 * 1024  # REALPOLITIK_MAX_RESPONSE_BYTES
    inferred_per_statement: int = 10  # REALPOLITIK_INFERRED_PER_STATEMENT
    serve_max_results: int = 100_000  # REALPOLITIK_SERVE_MAX_RESULTS: rows or triples one answer of serve may hold
    serve_queries_at_once: int = 4  # REALPOLITIK_SERVE_QUERIES_AT_ONCE: queries serve runs at the same time
    endpoint_user: str | None = None  # REALPOLITIK_ENDPOINT_USER
    endpoint_password: str | None = None  # REALPOLITIK_ENDPOINT_PASSWORD
    source_date_epoch: int | None = None  # SOURCE_DATE_EPOCH: the release date, for reproducible builds


# field -> (environment variable, how its text is read)
VARIABLES = {
    "root": ("REALPOLITIK_ROOT", _text),
    "cache": ("REALPOLITIK_CACHE", _text),
    "xdg_cache_home": ("XDG_CACHE_HOME", _text),
    "store": ("REALPOLITIK_STORE", _choice("disk", "memory")),
    "shacl": ("REALPOLITIK_SHACL", _choice("store", "pyshacl")),
    "reasoner": ("REALPOLITIK_REASONER", _choice("fast", "owlrl")),
    "max_file_bytes": ("REALPOLITIK_MAX_FILE_BYTES", _count),
    "max_literal_chars": ("REALPOLITIK_MAX_LITERAL_CHARS", _count),
    "query_seconds": ("REALPOLITIK_QUERY_SECONDS", _count),
    "query_memory_mb": ("REALPOLITIK_QUERY_MEMORY_MB", _count),
    "max_response_bytes": ("REALPOLITIK_MAX_RESPONSE_BYTES", _count),
    "inferred_per_statement": ("REALPOLITIK_INFERRED_PER_STATEMENT", _count),
    "serve_max_results": ("REALPOLITIK_SERVE_MAX_RESULTS", _count),
    "serve_queries_at_once": ("REALPOLITIK_SERVE_QUERIES_AT_ONCE", _count),
    "endpoint_user": ("REALPOLITIK_ENDPOINT_USER", _text),
    "endpoint_password": ("REALPOLITIK_ENDPOINT_PASSWORD", _text),
    "source_date_epoch": ("SOURCE_DATE_EPOCH", _epoch),
}
assert set(VARIABLES) == {f.name for f in fields(Settings)}

_read: tuple[tuple, Settings] | None = None


def current() -> Settings:
    """The settings the environment gives now (read again only when it changed)."""
    global _read
    given = tuple(os.environ.get(name) for name, _ in VARIABLES.values())
    if _read is None or _read[0] != given:
        values = {}
        for (field_name, (name, parse)), value in zip(VARIABLES.items(), given):
            # An empty value is unset, as for most tools (VAR= command).
            if value is not None and (value.strip() or parse is _text and field_name.startswith("endpoint_")):
                values[field_name] = parse(name, value)
        _read = (given, Settings(**values))
    return _read[1]
