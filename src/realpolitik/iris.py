"""Minting IRIs by the written rule (docs/iris.md), so two contributors who describe the
same thing mint the same IRI."""

from __future__ import annotations

import re
import unicodedata

from realpolitik.namespaces import RPD

CLAIM_WORDS = 6


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Shahid Nojeh Air Base" -> "shahid-nojeh-air-base"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def source_key(title: str, words: int = 5) -> str:
    """A source's key: the first five words of its title."""
    return "-".join(slug(title).split("-")[:words])


def claim_iri(source: str, exact: str) -> str:
    """rpd:claim-<source key>-<first six words of the quote>."""
    return f"{RPD}claim-{source}-{'-'.join(slug(exact).split('-')[:CLAIM_WORDS])}"
