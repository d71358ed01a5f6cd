"""The quote check: evidence quotes against their sources' texts (validation.quotes)."""

from __future__ import annotations

from realpolitik.validation.checks.check import Check


def run(context) -> list:
    from realpolitik.validation import quotes

    return quotes.run(context.data_of(quotes.PREDICATES), context.dataset, context.locator)


CHECK = Check("quote", "evidence quotes missing from their source text", run)
