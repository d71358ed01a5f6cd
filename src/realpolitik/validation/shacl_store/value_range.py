"""Value range constraint components (SHACL 4.3): sh:minInclusive."""

from __future__ import annotations

from rdflib import Literal

from realpolitik import _compat as compat
from realpolitik.validation.shacl_store.results import each


def _min_inclusive(engine, c, value_nodes):
    compare_literal = compat.compare_literal
    out = []
    for m in c.min_vals:
        def ok(v, m=m):
            if not isinstance(v, Literal) or isinstance(m.value, str) != isinstance(v.value, str):
                return False
            try:
                return compare_literal(v, m) >= 0
            except (TypeError, NotImplementedError):
                return False
        out += each(engine, c, value_nodes, ok)
    return out


CHECKS = {
    "MinInclusiveConstraintComponent": _min_inclusive,
}
