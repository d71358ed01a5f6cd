"""A request the server answers with an error status: raised where the request is read
or answered, and turned into a one-line plain-text (or JSON) answer by the route."""

from __future__ import annotations


class Refused(Exception):
    """A request answered with ``status`` and a one-line message (and ``headers``, such
    as Retry-After)."""

    def __init__(self, status: int, text: str, headers: dict | None = None):
        super().__init__(text)
        self.status, self.headers = status, headers or {}
