"""The qc check: the quality checks written as SPARQL (validation.qc), on the store."""

from __future__ import annotations

from realpolitik.validation.checks.check import Check


def run(context) -> list:
    from realpolitik.validation import qc

    return qc.run(context.opened.store, context.locator)


CHECK = Check("qc", "quality checks written as SPARQL (orphans, duplicate names, ...)", run, reads_store=True)
