"""Cardinality constraint components (SHACL 4.2): sh:minCount, sh:maxCount."""

from __future__ import annotations



def _min_count(engine, c, value_nodes):
    n = int(c.min_count.value)
    return [engine.result(c, f) for f, vs in value_nodes.items() if len(vs) < n]


def _max_count(engine, c, value_nodes):
    n = int(c.max_count.value)
    return [engine.result(c, f) for f, vs in value_nodes.items() if len(vs) > n]


CHECKS = {
    "MinCountConstraintComponent": _min_count,
    "MaxCountConstraintComponent": _max_count,
}
