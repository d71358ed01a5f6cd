"""What an ad-hoc query may do, read from its parse, not from its text: no update, and
no SERVICE unless the network is allowed.

The query is parsed by rdflib's SPARQL 1.1 parser (pyoxigraph exposes no algebra). An
update is refused where it parses as one; a SERVICE is refused where the parsed query
holds a service pattern. A text rdflib's parser cannot read (it refuses a few valid
forms, such as the escaped local name ``ex:p\\#``) cannot be inspected, so it is held
to the stricter reading of its raw text: refused if the word SERVICE, or an update
keyword opening a line, occurs anywhere in it, comments and strings included. A few
valid queries are refused that way; none that reaches the network gets through."""

from __future__ import annotations

import re

from realpolitik.querying.backends import QueryError

UPDATE_REFUSED = "updates are refused: realpolitik queries are read-only"
SERVICE_REFUSED = "SERVICE is refused: a query does not reach the network unless you pass --allow-network"

_ANY_SERVICE = re.compile(r"service", re.IGNORECASE)
_ANY_UPDATE = re.compile(
    r"(?:^|[\s;{}>])(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)(?:\s|$|\{|<)", re.IGNORECASE
)


def _pattern_names(node):
    """The names of every parsed part (rdflib's CompValue) under ``node``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, CompValue):
            yield item.name
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)) or hasattr(item, "asList"):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.values())


def check(text: str, allow_network: bool = False) -> None:
    """Raise QueryError if ``text`` (with its prefixes declared) would write, or reach
    the network without ``allow_network``."""
    from rdflib.plugins.sparql import parser

    try:
        parsed = parser.parseQuery(text)
    except Exception:  # pyparsing raises several kinds; each means "not a query it reads"
        parsed = None
    if parsed is None:
        try:
            parser.parseUpdate(text)
        except Exception:
            pass
        else:
            raise QueryError(UPDATE_REFUSED)
        if _ANY_UPDATE.search(text):
            raise QueryError(UPDATE_REFUSED)
        if not allow_network and _ANY_SERVICE.search(text):
            raise QueryError(SERVICE_REFUSED)
        return
    if not allow_network and "ServiceGraphPattern" in set(_pattern_names(parsed)):
        raise QueryError(SERVICE_REFUSED)
