"""What the store engine reports, and what it refuses."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef


class Unsupported(Exception):
    """The shapes use a constraint this engine does not implement; the message names it
    (``construct``: "sh:maxLength", say) and the shape that uses it."""

    def __init__(self, construct: str, shape=None):
        from realpolitik.namespaces import curie

        where = ""
        if shape is not None:
            where = f" (in {curie(str(shape))})" if isinstance(shape, URIRef) else " (in a blank shape)"
        super().__init__(f"the shapes use {construct}{where}, which the store engine does not implement")


@dataclass(frozen=True)
class Result:
    """One validation result, as pyshacl reports it (sh:ValidationResult)."""

    focus: object
    path: object  # in the shapes graph, or a predicate from the data
    value: object
    component: URIRef
    shape: object  # sh:sourceShape
    severity: URIRef
    messages: tuple[str, ...]
    # The focus node of the shape being checked that the result comes from, where it is
    # about a node further down (through sh:property); not part of the result itself.
    origin: object = field(default=None, compare=False)

    def of(self):
        """The focus node, of the shape being checked, that this result is about."""
        return self.focus if self.origin is None else self.origin


def each(engine, component, value_nodes, ok):
    """A result for each value node that is not ``ok``."""
    return [engine.result(component, f, value=v) for f, vs in value_nodes.items() for v in vs if not ok(v)]
