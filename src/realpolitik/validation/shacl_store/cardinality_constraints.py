"""Cardinality constraint components (SHACL 4.2): sh:minCount, sh:maxCount."""

from __future__ import annotations

from realpolitik import _compat as compat


def _min_count(engine, c, value_nodes):
    n = int(compat.rules(c).value)
    return [engine.result(c, f) for f, vs in value_nodes.items() if len(vs) < n]


def _max_count(engine, c, value_nodes):
    n = int(compat.rules(c).value)
    return [engine.result(c, f) for f, vs in value_nodes.items() if len(vs) > n]


CHECKS = {
    "MinCountConstraintComponent": _min_count,
    "MaxCountConstraintComponent": _max_count,
}
