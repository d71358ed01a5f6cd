"""Finding a quote in a source text, whitespace-insensitively.

A quote is verbatim: the same characters in the same order. Only whitespace may differ
(a line break in the source, a no-break space, two spaces for one), because Turtle
strings and text files disagree about it all the time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

# Characters that render as nothing or as a space and that Python's str.isspace()
# does not all cover.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def normalize(text: str) -> str:
    """Collapse every run of whitespace (no-break spaces included) to one space."""
    return " ".join(text.translate(_INVISIBLE).split())


@lru_cache(maxsize=32)
def _normalized(text: str) -> str:
    # A source text is searched once per quote taken from it.
    return normalize(text)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Match:
    start: int  # offsets in the normalized text
    end: int


def _pattern(part: str) -> str:
    return re.escape(normalize(part))


def find(text: str, exact: str, prefix: str | None = None, suffix: str | None = None) -> list[Match]:
    """Where ``exact`` occurs in ``text`` (and, when given, right after ``prefix`` and
    right before ``suffix``), as offsets in ``normalize(text)``."""
    haystack = _normalized(text)
    needle = normalize(exact)
    if not needle:
        return []
    if not prefix and not suffix:  # overlapping occurrences, without a regular expression
        found, at = [], haystack.find(needle)
        while at != -1:
            found.append(Match(at, at + len(needle)))
            at = haystack.find(needle, at + 1)
        return found
    # A lookahead finds overlapping occurrences too.
    pattern = "(?=" + (_pattern(prefix) + " ?" if prefix else "") + "(" + _pattern(exact) + ")"
    pattern += (" ?" + _pattern(suffix) if suffix else "") + ")"
    return [Match(m.start(1), m.end(1)) for m in re.finditer(pattern, haystack)]


def context(text: str, match: Match, width: int = 24) -> tuple[str, str]:
    """A prefix and suffix of whole words (about ``width`` characters each) around a
    match, to pin it down where its quote occurs more than once."""
    haystack = _normalized(text)
    begin, end = max(0, match.start - width), min(len(haystack), match.end + width)
    prefix = haystack[begin : match.start]
    if begin > 0 and haystack[begin - 1] != " " and " " in prefix:
        prefix = prefix[prefix.index(" ") + 1 :]
    suffix = haystack[match.end : end]
    if end < len(haystack) and haystack[end] != " " and " " in suffix.strip():
        suffix = suffix[: suffix.rstrip().rindex(" ")]
    return prefix, suffix
