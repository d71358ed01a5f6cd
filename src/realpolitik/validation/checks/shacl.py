"""The shacl check: the shapes, with the ontology, on the store or by pyshacl; which
engine ran, and why when it was pyshacl, is recorded (validation.shacl.evaluate)."""

from __future__ import annotations

from realpolitik.validation.checks.check import Check


def run(context) -> list:
    from realpolitik.validation.shacl import evaluate

    found, context.engines["shacl"] = evaluate(context.opened, context.graph, context.shapes, context.ontology,
                                               context.locator, context.within)
    return found


CHECK = Check("shacl", "SHACL shapes (the ontology passed so subclasses are caught)", run, reads_store=True)
