"""String-based constraint components (SHACL 4.4): sh:minLength, sh:pattern."""

from __future__ import annotations

from rdflib import BNode

from realpolitik import _compat as compat
from realpolitik.validation.shacl_store.results import each


def _pattern(engine, c, value_nodes):
    out = []
    for rule in c.string_rules:
        matcher = compat.compiled_pattern(c, rule)
        out += each(engine, c, value_nodes,
                     lambda v: not isinstance(v, BNode) and matcher.match(c.value_node_to_string(v)))
    return out


def _min_length(engine, c, value_nodes):
    least = int(c.string_rules[0].value)
    return each(engine, c, value_nodes,
                 lambda v: not isinstance(v, BNode) and len(c.value_node_to_string(v)) >= least)


CHECKS = {
    "PatternConstraintComponent": _pattern,
    "MinLengthConstraintComponent": _min_length,
}
