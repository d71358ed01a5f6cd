"""The ownership check: statements a data file may not make (validation.ownership)."""

from __future__ import annotations

from realpolitik.validation.checks.check import Check


def run(context) -> list:
    from realpolitik.validation import ownership

    return ownership.run(context.data_files, context.ontology, context.shapes, context.locator, report_in=context.answered)


CHECK = Check("ownership", "statements about the schema, on another file's node, or repeated", run)
