"""What happened, in date order: the rows of the named query ``timeline`` (events,
agreements, transfers, offices and dated claims), with their partial dates read as a
reader says them and sorted by the earliest day they can mean. Drawn as SVG, or listed
as HTML; every entry links to its node."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Callable

from realpolitik.dates import Moment, parse
from realpolitik.links import safe_href

FORMATS = ("svg", "html")
# The query's step names a window's bound in words; the picture says it with the date.
_BOUNDS = ((", not before", "after"), (", not after", "before"))
# Colours by what the entry is (the class label the query gives).
_COLOURS = {"agreement": "#2166ac", "law": "#2166ac", "programme": "#2166ac", "weapons transfer": "#e08214",
            "claim": "#762a83", "office holding": "#7f7f7f", "membership": "#7f7f7f"}
EVENT_COLOUR = "#1b7837"


@dataclass(frozen=True)
class Entry:
    when: Moment | None  # None: no date, or one that is not a date
    raw: str | None  # the date as the data writes it
    step: str  # "signed", "took place", "claimed", ...
    kind: str  # the class's label: "meeting", "weapons transfer", ...
    node: str  # its IRI
    label: str

    @property
    def date_text(self) -> str:
        if self.when is not None:
            return str(self.when)
        return self.raw or "date unknown"

    def sort_key(self) -> tuple:
        return (self.when is None, self.when.sort_key() if self.when else (), self.raw or "", self.label,
                self.step, self.node)


def entry(row: dict) -> Entry:
    step, bound = row["what"], None
    for suffix, name in _BOUNDS:
        if step.endswith(suffix):
            step, bound = step[: -len(suffix)], name
    raw = row["when"]
    if raw is None:
        step = ""  # the query's "date unknown": the date column says it
    date = parse(raw) if raw else None
    return Entry(Moment(date, bound) if date else None, raw, step, row["kindName"] or "",
                 row["node"], row["nodeName"] or row["node"])


def entries(on, actor: str | None = None) -> list[Entry]:
    """The timeline of ``actor`` (or of the whole corpus), earliest first, undated last."""
    from realpolitik.querying import run_named
    from realpolitik.querying.results import rows_as_dicts

    rows = rows_as_dicts(run_named("timeline", {"actor": actor}, on=on))
    return sorted({entry(row) for row in rows}, key=Entry.sort_key)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


ROW = 22
TOP = 56


def svg(found: list[Entry], link: Callable[[str], str] = lambda iri: iri, title: str = "Timeline") -> str:
    """A vertical timeline: dates on the left, one row per entry, a rule at each new
    year. Text is escaped; each entry's full text is its tooltip."""
    width = 1240
    height = TOP + ROW * (len(found) + 1) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
           f"<title>{escape(title)}</title>",
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="20" y="28" font-size="18" font-weight="bold">{escape(title)}</text>',
           f'<line x1="232" y1="{TOP - 10}" x2="232" y2="{height - 20}" stroke="#999999" stroke-width="2"/>']
    year = None
    for i, item in enumerate(found):
        y = TOP + ROW * i + 10
        this_year = item.when.date.year if item.when else None
        if this_year != year:
            out.append(f'<line x1="20" y1="{y - 14}" x2="{width - 20}" y2="{y - 14}" stroke="#e0e0e0"/>')
            year = this_year
        colour = _COLOURS.get(item.kind, EVENT_COLOUR)
        text = f"{item.kind}: {item.label}" + (f" ({item.step})" if item.step else "")
        href = safe_href(link(item.node))  # a javascript: IRI is drawn, never linked
        out.append((f'<a href="{escape(href)}">' if href else "<g>") + f"<title>{escape(item.date_text + ', ' + text)}</title>")
        out.append(f'<text x="220" y="{y}" text-anchor="end" fill="#333333">{escape(item.date_text)}</text>')
        out.append(f'<circle cx="232" cy="{y - 4}" r="5" fill="{colour}"/>')
        out.append(f'<text x="246" y="{y}" fill="{colour}">{escape(_cut(text, 150))}</text>' + ("</a>" if href else "</g>"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table(found: list[Entry], link: Callable[[str], str] = lambda iri: iri) -> str:
    """The entries as an HTML table (a fragment)."""
    def entry_html(e: Entry) -> str:
        href = safe_href(link(e.node))
        return f'<a href="{escape(href)}">{escape(e.label)}</a>' if href else escape(e.label)

    rows = [f'<tr><td class="when">{escape(e.date_text)}</td><td>{escape(e.step)}</td><td>{escape(e.kind)}</td>'
            f"<td>{entry_html(e)}</td></tr>" for e in found]
    return ('<table class="timeline">\n<thead><tr><th>when</th><th>what</th><th>kind</th><th>entry</th></tr></thead>\n'
            "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n")


def html(found: list[Entry], link: Callable[[str], str] = lambda iri: iri, title: str = "Timeline") -> str:
    """A page of its own: the table, no scripts, no outside resources."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(title)}</title>\n<style>body{{font-family:sans-serif;margin:2em}}"
            "td,th{text-align:left;padding:2px 8px;vertical-align:top}td.when{white-space:nowrap}</style>\n"
            f"</head>\n<body>\n<h1>{escape(title)}</h1>\n" + table(found, link) + "</body>\n</html>\n")
