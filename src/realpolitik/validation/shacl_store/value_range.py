"""Value range constraint components (SHACL 4.3): sh:minExclusive, sh:minInclusive,
sh:maxExclusive, sh:maxInclusive."""

from __future__ import annotations

from rdflib import Literal

from realpolitik import _compat as compat
from realpolitik.validation.shacl_store.results import each


def _in_range(engine, c, value_nodes, limits, holds):
    """A result for each value that is not a literal comparable with a limit, or for
    which ``holds(comparison)`` is false (pyshacl's compare_literal: value against limit)."""
    out = []
    for limit in limits:
        def ok(v, limit=limit):
            if not isinstance(v, Literal) or isinstance(limit.value, str) != isinstance(v.value, str):
                return False
            try:
                return holds(compat.compare_literal(v, limit))
            except (TypeError, NotImplementedError):
                return False
        out += each(engine, c, value_nodes, ok)
    return out


def _min_exclusive(engine, c, value_nodes):
    return _in_range(engine, c, value_nodes, compat.rules(c), lambda cmp: cmp > 0)


def _min_inclusive(engine, c, value_nodes):
    return _in_range(engine, c, value_nodes, compat.rules(c), lambda cmp: cmp >= 0)


def _max_exclusive(engine, c, value_nodes):
    return _in_range(engine, c, value_nodes, compat.rules(c), lambda cmp: cmp < 0)


def _max_inclusive(engine, c, value_nodes):
    return _in_range(engine, c, value_nodes, compat.rules(c), lambda cmp: cmp <= 0)


CHECKS = {
    "MinExclusiveConstraintComponent": _min_exclusive,
    "MinInclusiveConstraintComponent": _min_inclusive,
    "MaxExclusiveConstraintComponent": _max_exclusive,
    "MaxInclusiveConstraintComponent": _max_inclusive,
}
