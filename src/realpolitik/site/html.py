"""The site's page frame and the small pieces every page uses. All text goes through
``esc``: labels, quotes and statements are data, and data is not trusted; and every
link through ``realpolitik.links.safe_href``."""

from __future__ import annotations

import posixpath
from html import escape

NAV = (("index.html", "Home"), ("actors/index.html", "Actors"), ("agreements/index.html", "Agreements"),
       ("transfers/index.html", "Transfers"), ("events/index.html", "Events"), ("claims/index.html", "Claims"),
       ("sources/index.html", "Sources"), ("disputes.html", "Disputes"), ("graph.html", "Graph"),
       ("timeline.html", "Timeline"), ("ontology/index.html", "Ontology"))


def esc(text) -> str:
    return escape(str(text), quote=True)


def rel(here: str, target: str) -> str:
    """The relative link from the page at ``here`` to ``target`` (both from the site's
    root), so the site works from any folder and from file://."""
    path, _, anchor = target.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(here) or ".")
    return link + (f"#{anchor}" if anchor else "")


def a(here: str, target: str, text: str, cls: str = "") -> str:
    from realpolitik.links import safe_href

    klass = f' class="{esc(cls)}"' if cls else ""
    href = safe_href(rel(here, target))
    return f'<a href="{esc(href)}"{klass}>{esc(text)}</a>' if href else f"<span{klass}>{esc(text)}</span>"


def page(here: str, title: str, body: str, turtle: str | None = None, iri: str | None = None) -> str:
    nav = " · ".join(a(here, target, name) for target, name in NAV)
    alternate = f'<link rel="alternate" type="text/turtle" href="{esc(rel(here, turtle))}">\n' if turtle else ""
    footer = []
    if iri:
        footer.append(f"IRI <code>{esc(iri)}</code>")
    if turtle:
        footer.append(f'<a href="{esc(rel(here, turtle))}" type="text/turtle">This page as RDF (Turtle)</a>')
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} · realpolitik</title>\n"
        f'<link rel="stylesheet" href="{esc(rel(here, "style.css"))}">\n{alternate}'
        f"</head>\n<body>\n<nav>{nav}</nav>\n<main>\n<h1>{esc(title)}</h1>\n{body}</main>\n"
        f"<footer>{' · '.join(footer)}</footer>\n</body>\n</html>\n"
    )


def svg_inline(svg: str) -> str:
    """An SVG document as an element to put in a page: without its XML prolog,
    doctype and comments."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else ""
