"""Which links may be followed from the site and the pictures: http, https and relative
ones. An IRI is data, and ``javascript:``, ``data:`` or ``vbscript:`` in an ``href``
runs on a click; such an IRI is shown as text instead."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
ALLOWED_SCHEMES = ("http", "https")


def safe_href(url: str | None) -> str | None:
    """``url`` if a browser would follow it to an http or https address or a relative
    one, else None. Browsers drop spaces and control characters before they read a
    scheme (" java\\tscript:"), so a URL holding any is refused; and a colon before the
    first slash reads as a scheme whatever precedes it (an entity such as &#58; too)."""
    if not url or any(c <= " " or "\x7f" <= c <= "\x9f" for c in url):
        return None
    scheme = _SCHEME.match(url)
    if scheme:
        return url if scheme.group(1).lower() in ALLOWED_SCHEMES else None
    if ":" in re.split(r"[/?]", url, maxsplit=1)[0]:  # "#" too: "java&#115;cript:" in a picture
        return None
    return url
