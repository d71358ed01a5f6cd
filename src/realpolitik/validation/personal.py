"""No personal data in the dataset: e-mail addresses, phone numbers and social-media
handles are refused wherever they appear in a literal or an IRI. Page templates carry
such things (an author box, a fake profile); a source's own quote should not need them."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef

from realpolitik.rdf.parse import ParsedFile
from realpolitik.validation.findings import Finding, at

PATTERNS = {
    "an e-mail address": re.compile(r"(?:mailto:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "a phone number": re.compile(r"(?:tel:|\+\d{1,3}[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"),
    "a social-media account": re.compile(
        r"(?:https?://)?(?:www\.)?(?:instagram|twitter|x|facebook|linkedin|tiktok|t)\.(?:com|me)/[A-Za-z0-9_.-]+"
        r"|(?<![\w@.])@[A-Za-z0-9_]{3,30}\b"
    ),
}


# What each kind cannot be written without: most texts lack it, and testing for it is
# far cheaper than the pattern's search (a 1M register's 163,000 texts: 0.4 s, not 1.2).
_NEEDS = {
    "an e-mail address": lambda text: "@" in text,
    "a phone number": re.compile(r"\d{4}").search,
    "a social-media account": lambda text: "@" in text or ".com/" in text or ".me/" in text,
}


def find(text: str) -> str | None:
    """What kinds of personal data ``text`` holds, in words, if any."""
    kinds = [kind for kind, pattern in PATTERNS.items() if _NEEDS[kind](text) and pattern.search(text)]
    if not kinds:
        return None
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]


def run(files: list[ParsedFile]) -> list[Finding]:
    findings = []
    kinds: dict = {}  # each distinct term's verdict, searched once: IRIs recur in every file
    for parsed in files:
        for term in {term for triple in parsed.triples for term in triple}:
            kind_of_term = type(term)
            if kind_of_term is not Literal and kind_of_term is not URIRef:  # blank nodes have no text
                continue
            kind = kinds[term] if term in kinds else kinds.setdefault(term, find(str(term)))
            if kind is None:
                continue
            if kind_of_term is Literal:
                position = next((lit.position for lit in parsed.positions.literals if lit.lexical == str(term)), None)
            else:
                position = parsed.positions.first_use(str(term))
            shown = str(term) if len(str(term)) <= 60 else str(term)[:57] + "..."
            findings.append(
                Finding(
                    check="personal",
                    severity="violation",
                    message=f'"{shown}" holds {kind}: personal data does not belong in the dataset',
                    **at(parsed, position),
                )
            )
    return findings
