"""The undescribed check: data IRIs used but never described."""

from __future__ import annotations

from realpolitik.validation.checks.check import Check


def run(context) -> list:
    from realpolitik.validation import terms

    return terms.undescribed_iris(context.data_files, context.typed(), context.locator)


CHECK = Check("undescribed", "data IRIs used but never described", run)
