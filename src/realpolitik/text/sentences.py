"""Splitting a cleaned text into sentences, with offsets in its normalized form (the
same coordinates as quote matches, see realpolitik.text.quotes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from realpolitik.text.quotes import normalize

# Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof rep sen gen brig lt col maj capt sgt st jr sr vs etc
    jan feb mar apr jun jul aug sep sept oct nov dec no vol fig inc ltd co corp
    e.g i.e u.s u.k u.n d.c dr.sc ph.d""".split()
)

# A sentence ends at . ! ? (and any closing quotes or brackets) before a space and a
# capital, a digit or an opening quote.
_END = re.compile(r"[.!?][\"'”’)\]]*(?= [\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets in normalize(text)
    end: int
    text: str


def _ends_abbreviation(chunk: str) -> bool:
    word = chunk.rsplit(" ", 1)[-1].rstrip(".").lower()
    word = word.lstrip("(\"'“‘")
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split(text: str) -> list[Sentence]:
    """The sentences of ``text``: paragraphs (blank-line separated) are never joined,
    and within a paragraph a sentence ends as _END says, unless after an abbreviation
    or an initial."""
    sentences: list[Sentence] = []
    for paragraph in paragraphs(text):
        offset, flat = paragraph.start, paragraph.text
        start = 0
        for match in _END.finditer(flat):
            end = match.end()
            if _ends_abbreviation(flat[start : match.start() + 1]):
                continue
            sentences.append(Sentence(offset + start, offset + end, flat[start:end]))
            start = end + 1
        if start < len(flat):
            sentences.append(Sentence(offset + start, offset + len(flat), flat[start:]))
    return sentences


def paragraphs(text: str) -> list[Sentence]:
    """The paragraphs of ``text`` (blank-line separated), with offsets in its
    normalized form."""
    found: list[Sentence] = []
    offset = 0
    for paragraph in re.split(r"\n\s*\n", text):
        flat = normalize(paragraph)
        if not flat:
            continue
        found.append(Sentence(offset, offset + len(flat), flat))
        offset += len(flat) + 1
    return found
