"""Limits on untrusted input, each settable from the environment.

    REALPOLITIK_MAX_FILE_BYTES     largest input file read          (64 MiB)
    REALPOLITIK_MAX_LITERAL_CHARS  longest literal accepted         (100,000 characters)
    REALPOLITIK_QUERY_SECONDS      longest an ad-hoc query may run  (30 s)
    REALPOLITIK_QUERY_MEMORY_MB    memory an ad-hoc query may use   (2,048 MiB)
    REALPOLITIK_MAX_RESPONSE_BYTES largest answer read from an endpoint (256 MiB)
    REALPOLITIK_INFERRED_PER_STATEMENT
                                   statements reasoning may infer per statement given
                                   (10, and never fewer than 100,000 in all)
"""

from __future__ import annotations

import os


def _setting(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def max_file_bytes() -> int:
    return _setting("REALPOLITIK_MAX_FILE_BYTES", 64 * 1024 * 1024)


def max_literal_chars() -> int:
    return _setting("REALPOLITIK_MAX_LITERAL_CHARS", 100_000)


def query_seconds() -> int:
    return _setting("REALPOLITIK_QUERY_SECONDS", 30)


def query_memory_mb() -> int:
    return _setting("REALPOLITIK_QUERY_MEMORY_MB", 2048)


def max_response_bytes() -> int:
    return _setting("REALPOLITIK_MAX_RESPONSE_BYTES", 256 * 1024 * 1024)


INFERRED_PER_STATEMENT = "REALPOLITIK_INFERRED_PER_STATEMENT"


def max_inferred(statements: int) -> int:
    """What reasoning over ``statements`` may infer: proportional to the input."""
    return max(100_000, _setting(INFERRED_PER_STATEMENT, 10) * statements)
