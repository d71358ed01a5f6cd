"""Limits on untrusted input, each settable from the environment (realpolitik.settings).

    REALPOLITIK_MAX_FILE_BYTES     largest input file read          (64 MiB)
    REALPOLITIK_MAX_LITERAL_CHARS  longest literal accepted         (100,000 characters)
    REALPOLITIK_QUERY_SECONDS      longest an ad-hoc query may run  (30 s)
    REALPOLITIK_QUERY_MEMORY_MB    memory an ad-hoc query may use   (2,048 MiB)
    REALPOLITIK_MAX_RESPONSE_BYTES largest answer read from an endpoint (256 MiB)
    REALPOLITIK_INFERRED_PER_STATEMENT
                                   statements reasoning may infer per statement given
                                   (10, and never fewer than 100,000 in all)
    REALPOLITIK_SERVE_MAX_RESULTS  rows or triples in one answer of serve (100,000)
    REALPOLITIK_SERVE_QUERIES_AT_ONCE
                                   queries serve runs at the same time (4)
"""

from __future__ import annotations

from realpolitik.settings import current

INFERRED_PER_STATEMENT = "REALPOLITIK_INFERRED_PER_STATEMENT"


def max_file_bytes() -> int:
    return current().max_file_bytes


def max_literal_chars() -> int:
    return current().max_literal_chars


def query_seconds() -> int:
    return current().query_seconds


def query_memory_mb() -> int:
    return current().query_memory_mb


def max_response_bytes() -> int:
    return current().max_response_bytes


def serve_max_results() -> int:
    return current().serve_max_results


def serve_queries_at_once() -> int:
    return current().serve_queries_at_once


def max_inferred(statements: int) -> int:
    """What reasoning over ``statements`` may infer: proportional to the input."""
    return max(100_000, current().inferred_per_statement * statements)
