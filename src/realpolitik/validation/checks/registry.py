"""The registered checks, in the order validation runs them and the README lists them.

A new check is a module of validation.checks defining ``CHECK``, and one entry in
``CHECKS`` below; ``extra`` runs one more for a while without either (tests).
"""

from __future__ import annotations

from contextlib import contextmanager

from realpolitik.validation.checks import (
    consistency,
    duplicate,
    ownership,
    personal,
    qc,
    quote,
    shacl,
    term,
    undescribed,
)
from realpolitik.validation.checks.check import Check

CHECKS: tuple[Check, ...] = (
    term.CHECK,
    undescribed.CHECK,
    duplicate.CHECK,
    ownership.CHECK,
    personal.CHECK,
    shacl.CHECK,
    quote.CHECK,
    qc.CHECK,
    consistency.CHECK,
)

_extra: list[Check] = []


def registered() -> tuple[Check, ...]:
    """Every check to run, in order: the registered ones, then any ``extra``."""
    return CHECKS + tuple(_extra)


def names() -> tuple[str, ...]:
    return tuple(check.name for check in registered())


@contextmanager
def extra(check: Check):
    """Run ``check`` after the registered ones while the block lasts.

    >>> from realpolitik.validation.checks.check import Check
    >>> with extra(Check("nothing", "finds nothing", lambda context: [])):
    ...     names()[-1]
    'nothing'
    """
    if check.name in names():
        raise ValueError(f"a check named {check.name!r} is registered already")
    _extra.append(check)
    try:
        yield check
    finally:
        _extra.remove(check)
