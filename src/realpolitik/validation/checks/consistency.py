"""The consistency check: OWL inconsistencies found by owlrl (validation.consistency)."""

from __future__ import annotations

from realpolitik.validation.checks.check import Check


def run(context) -> list:
    from realpolitik.validation import consistency

    return consistency.run(None if context.whole else context.data, context.ontology, context.locator, context.statements(),
                           engines=context.engines)


CHECK = Check("consistency", "OWL inconsistencies found by owlrl", run)
