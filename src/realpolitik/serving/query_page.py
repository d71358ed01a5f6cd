"""The query page at ``/``: a SPARQL editor (CodeMirror 5, served from the package's
static folder with its licence), the named queries as examples, and a Run button that
posts to ``/sparql`` and shows the rows as a table sortable by any column. Its script is
a file of its own and the page sets ``Content-Security-Policy: default-src 'self'``, so
nothing runs that the package does not ship; the page's data (the query texts, the
prefixes) travel in JSON blocks, which a browser reads and never runs."""

from __future__ import annotations

import json

from realpolitik.serving.pages import CSP

# The files /static/ serves, and their types: nothing else is looked up.
STATIC = {
    "query.js": "text/javascript; charset=utf-8",
    "query.css": "text/css; charset=utf-8",
    "codemirror/codemirror.js": "text/javascript; charset=utf-8",
    "codemirror/codemirror.css": "text/css; charset=utf-8",
    "codemirror/sparql.js": "text/javascript; charset=utf-8",
    "codemirror/LICENSE": "text/plain; charset=utf-8",
}


def _data(element_id: str, value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")  # no </script> inside
    return f'<script type="application/json" id="{element_id}">{text}</script>\n'


def page() -> str:
    """The page's HTML."""
    from realpolitik.namespaces import PREFIXES
    from realpolitik.querying.catalog import named

    texts = {q.name: q.text for q in named().values()}
    first = "SELECT ?state ?label WHERE {\n  ?state a rp:State ; rdfs:label ?label .\n}\nORDER BY ?label\n"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Query · realpolitik</title>\n"
        '<link rel="stylesheet" href="/site/style.css">\n'
        '<link rel="stylesheet" href="/static/codemirror/codemirror.css">\n'
        '<link rel="stylesheet" href="/static/query.css">\n'
        "</head>\n<body>\n"
        '<nav><a href="/">Query</a> · <a href="/site/index.html">Browse the dataset</a> · '
        '<a href="/site/ontology/index.html">Ontology</a> · <a href="/api/queries">Named queries (JSON)</a> · '
        '<a href="/api/openapi.json">API (OpenAPI)</a></nav>\n'
        "<main>\n<h1>Query the dataset</h1>\n"
        "<p>SPARQL 1.1 on the dataset, read-only, the project's prefixes declared (rp:, rpd:, rpv:, rdfs:, "
        "skos:, oa: and the rest). Ctrl-Enter runs the query. Every IRI in the answer links to its page.</p>\n"
        '<div class="controls"><label for="examples">Start from a named query:</label> '
        '<select id="examples"><option value="">(choose one)</option></select></div>\n'
        '<div id="params"></div>\n'
        f'<div class="editor"><textarea id="query" name="query" spellcheck="false">{_escape(first)}</textarea></div>\n'
        '<div class="controls"><button id="run" type="button">Run</button> <span id="status"></span></div>\n'
        '<div id="results"></div>\n'
        "</main>\n"
        '<footer>The editor is <a href="/static/codemirror/LICENSE">CodeMirror 5</a> (MIT licence).</footer>\n'
        + _data("prefixes", PREFIXES) + _data("query-texts", texts)
        + '<script src="/static/codemirror/codemirror.js"></script>\n'
        '<script src="/static/codemirror/sparql.js"></script>\n'
        '<script src="/static/query.js"></script>\n'
        "</body>\n</html>\n"
    )


def _escape(text: str) -> str:
    from html import escape

    return escape(text, quote=False)


def routes() -> list:
    """The routes of the query page and its static files, for ``app.create``'s list."""
    from importlib.resources import files as package_files

    from starlette.responses import Response
    from starlette.routing import Route

    html = page()

    async def query_page(request):
        return Response(html, media_type="text/html; charset=utf-8", headers=CSP)

    async def static(request):
        name = request.path_params["path"]
        if name not in STATIC:
            return Response(f"not found: no static file {name[:200]}\n", status_code=404,
                            media_type="text/plain; charset=utf-8", headers=CSP)
        body = package_files("realpolitik.serving").joinpath("static", *name.split("/")).read_bytes()
        return Response(body, media_type=STATIC[name], headers={**CSP, "Cache-Control": "public, max-age=3600"})

    return [
        Route("/", query_page, methods=["GET", "HEAD"]),
        Route("/static/{path:path}", static, methods=["GET", "HEAD"]),
    ]
