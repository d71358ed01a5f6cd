"""Text from the data made safe to print for people: control characters shown as
escapes, so no line of output can begin with text the data chose (a forged
``::error`` workflow command after a newline), no terminal escape sequence runs and no
bidirectional override reorders what follows. Machine formats (JSON, CSV, TSV) are
written exact; this is for the text meant to be read."""

from __future__ import annotations

import re

# C0 and DEL, C1, the line and paragraph separators, bidi embeddings, overrides and
# isolates, and lone surrogates (bytes that were not UTF-8).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text, keep_lines: bool = False) -> str:
    """``text`` with every control character escaped (``\\n``, ``\\x1b``, ``\\u202e``);
    with ``keep_lines``, newlines are kept (text that is meant to have lines)."""
    return (_UNSAFE_KEEP_LINES if keep_lines else UNSAFE).sub(_escape, str(text))


def unsafe_character(text: str) -> str | None:
    """The first character ``printable`` would escape, as U+XXXX (or \\xNN for a byte
    that is not UTF-8), or None."""
    found = UNSAFE.search(text)
    if found is None:
        return None
    code = ord(found.group())
    return f"the byte 0x{code - 0xDC00:02x}, which is not UTF-8" if 0xDC80 <= code <= 0xDCFF else f"the control character U+{code:04X}"
