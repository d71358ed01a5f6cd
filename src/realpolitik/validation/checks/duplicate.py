"""The duplicate check: data IRIs described in two files."""

from __future__ import annotations

from realpolitik.validation.checks.check import Check


def run(context) -> list:
    from realpolitik.validation import terms

    return terms.described_twice(context.locator, context.typed())


CHECK = Check("duplicate", "data IRIs described in two files", run)
