"""A page for every IRI of the dataset: ``/id/...``, ``/ontology`` (and its modules)
and ``/vocab/...`` answer as the W3C note "Cool URIs for the Semantic Web" has it.

The IRIs name things (a state, a claim), not documents, so they answer 303 See Other to
a document about the thing, chosen by the request's ``Accept``: the site's HTML page,
under ``/site/`` (the pages ``realpolitik site`` writes, rendered from a model built
once at startup, their relative links unchanged), or the thing's description as
``<IRI>.ttl``, ``.nt`` or ``.jsonld``. 303 rather than 200 with ``Vary: Accept`` keeps
apart what the note keeps apart: a thing and a page about it each have an address of
their own, each document can be linked, cached and bookmarked as it is, and the site's
pages keep their relative links. A description is the node's statements as
``DESCRIBE`` gives them; ``/ontology``'s, a hash namespace, describes its terms too.
An IRI the dataset does not describe is 404; the path is only ever looked up, never
read from disk.
"""

from __future__ import annotations

import threading
import urllib.parse

from realpolitik.namespaces import BASE, ONTOLOGY, RP, RPV

CSP = {"Content-Security-Policy": "default-src 'self'", "X-Content-Type-Options": "nosniff"}
DOCUMENTS = {  # extension -> (name, media type)
    "ttl": ("turtle", "text/turtle"),
    "nt": ("ntriples", "application/n-triples"),
    "jsonld": ("jsonld", "application/ld+json"),
}
HTML = "html"
# The media types a request may name, by the name of what answers them, the main one
# first (the one a wildcard stands for); HTML first, the default for */* and no Accept.
OFFERED = {HTML: ("text/html", "application/xhtml+xml"), "turtle": ("text/turtle", "application/x-turtle"),
           "ntriples": ("application/n-triples", "text/plain"), "jsonld": ("application/ld+json",)}


def choose(accept: str | None) -> str | None:
    """What to answer a request with this ``Accept``: a name of OFFERED, or None when it
    accepts none of them. Media ranges by their q, the first listed among equals; a
    wildcard stands for the offered types its request does not refuse (q=0)."""
    ranges = []
    for order, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip().lower() for p in part.split(";")]
        q = 1.0
        for key, _, value in (param.partition("=") for param in params):
            if key.strip() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0  # a malformed q counts as 0, as on /sparql
        if media:
            ranges.append((media, q, order))
    refused = {name for name, types in OFFERED.items() if any(media in types for media, q, _ in ranges if q == 0)}
    for media, _, _ in sorted((r for r in ranges if r[1] > 0), key=lambda r: (-r[1], r[2])):
        for name, types in OFFERED.items():
            wildcard = media == "*/*" or (media.endswith("/*") and types[0].startswith(media[:-1]))
            if name not in refused and (media in types or wildcard):
                return name
    return None


class Pages:
    """The site's model and pages of ``store``'s dataset, built once; what they render
    is kept, each page is drawn once."""

    def __init__(self, store, root=None):
        from realpolitik.dataset import files
        from realpolitik.disputes import disputes
        from realpolitik.site.model import Model
        from realpolitik.site.pages import Site, consensus
        from realpolitik.store import engine as ox

        self.store = store
        model = Model(store)
        self.site = Site(model, files(root), disputes(store), consensus(store))
        self.by_path = {path: iri for iri, path in model.path.items()}
        self.described = {s.value for s in model.out if isinstance(s, ox.NamedNode) and s.value.startswith(BASE)}
        self._drawn: dict[str, str] = {}
        self._lock = threading.Lock()
        self._ties = None

    # --- the things ------------------------------------------------------------------

    def thing(self, path: str) -> str | None:
        """The IRI a request path names, if the dataset describes it."""
        iri = BASE + path.lstrip("/")
        if iri == ONTOLOGY or iri in self.described:
            return iri
        return None

    def html_for(self, iri: str) -> str:
        """The site page about ``iri``, from the server's root."""
        from realpolitik.site.pages import term_anchor

        if iri in self.site.m.path:
            return "/site/" + self.site.m.path[iri] + ".html"
        if iri.startswith(RPV) or iri.startswith(RP):
            return "/site/ontology/index.html#" + term_anchor(iri)
        return "/site/ontology/index.html"

    def description(self, iri: str, name: str) -> bytes:
        """``iri``'s statements (DESCRIBE) written as ``name`` (a name of OFFERED)."""
        from realpolitik.namespaces import PREFIXES
        from realpolitik.store import engine as ox

        described = [iri]
        if iri == ONTOLOGY:  # a hash namespace: its document describes its terms
            described += sorted(t for t in self.described if t.startswith(RP))
        found = self.store.evaluate("DESCRIBE " + " ".join(f"<{t}>" for t in described))
        format_ = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                   "jsonld": getattr(ox.RdfFormat, "JSON_LD", None)}[name]
        return ox.serialize(list(found), format=format_, prefixes=PREFIXES if name == "turtle" else None)

    # --- the site ----------------------------------------------------------------------

    def site_page(self, path: str) -> tuple[str, str] | None:
        """(media type, text) of the site's file at ``path``, or None."""
        from importlib.resources import files as package_files

        if path == "style.css":
            return "text/css; charset=utf-8", package_files("realpolitik.site").joinpath("style.css").read_text("utf-8")
        if path.endswith(".ttl") and path[:-4] in self.by_path:
            from realpolitik.site.turtle import describe

            return "text/turtle; charset=utf-8", describe(self.site.m, self.by_path[path[:-4]])
        if path in ("", "index.html") or path in self._drawn or self._draws(path):
            path = path or "index.html"
            if path not in self._drawn:
                with self._lock:
                    if path not in self._drawn:
                        self._drawn[path] = self._draw(path)
            return "text/html; charset=utf-8", self._drawn[path]
        return None

    def _draws(self, path: str) -> bool:
        from realpolitik.site.model import FOLDERS

        stem = path[:-5] if path.endswith(".html") else None
        return stem is not None and (stem in self.by_path or stem in ("disputes", "graph", "timeline", "ontology/index")
                                     or any(stem == f"{folder}/index" for folder in FOLDERS))

    def _draw(self, path: str) -> str:
        import realpolitik.site as site

        stem = path[:-5]
        if stem in self.by_path:
            from realpolitik.pictures import PictureError

            iri = self.by_path[stem]
            try:
                ties = site.ties_section(self.site, self.ties(), iri)
            except PictureError:
                ties = ""  # without Graphviz, the page without its picture
            return self.site.node_page(iri, ties)
        if stem == "index":
            return site.index_page(self.site)
        if stem == "disputes":
            return self.site.disputes_page()
        if stem == "graph":
            return site.graph_page(self.site, self.ties())
        if stem == "timeline":
            return site.timeline_page(self.site, self.store)
        if stem == "ontology/index":
            return site.reference_page(self.site)
        return self.site.list_page(stem.split("/")[0])

    def ties(self):
        if self._ties is None:
            from realpolitik.pictures import graph

            self._ties = graph.ties(self.store)
        return self._ties


def routes(store, root=None) -> list:
    """The routes of the IRI pages and the site, for ``app.create``'s list."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response
    from starlette.routing import Route

    import concurrent.futures

    # The site's model takes about half a second: it is built beside the first requests,
    # so that /sparql and the API answer from the start; the first IRI page waits for it.
    building = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="site-model").submit(Pages, store, root)

    async def built() -> Pages:
        return building.result() if building.done() else await run_in_threadpool(building.result)

    def message(status: int, text: str, **headers) -> Response:
        return Response(text + "\n", status_code=status, media_type="text/plain; charset=utf-8",
                        headers={**CSP, **headers})

    async def thing(request):
        path = request.scope["path"]  # decoded, as the IRIs are written
        pages = await built()
        iri = pages.thing(path)
        if iri is None:
            stem, dot, extension = path.rpartition(".")
            document = pages.thing(stem) if dot and extension in DOCUMENTS else None
            if document is None:
                shown = " ".join((BASE + path.lstrip("/"))[:200].split())
                return message(404, f"not found: the dataset does not describe {shown}")
            name, media = DOCUMENTS[extension]
            if name == "jsonld" and not _writes_jsonld():
                return message(404, "not found: this engine does not write JSON-LD")
            body = await run_in_threadpool(pages.description, document, name)
            media += "; charset=utf-8" if media.startswith("text/") else ""
            return Response(body, media_type=media, headers={**CSP, "Link": f'<{document}>; rel="describes"'})
        name = choose(request.headers.get("accept"))
        if name is None or (name == "jsonld" and not _writes_jsonld()):
            offered = [types[0] for n, types in OFFERED.items() if n != "jsonld" or _writes_jsonld()]
            return message(406, f"not acceptable: offered as {', '.join(offered)}", Vary="Accept")
        if name == HTML:
            target = pages.html_for(iri)
        else:
            extension = next(e for e, (n, _) in DOCUMENTS.items() if n == name)
            target = urllib.parse.quote(f"{path}.{extension}", safe="/:@!$&'()*+,;=-._~")
        return Response(b"", status_code=303, headers={**CSP, "Location": target, "Vary": "Accept"})

    async def site_file(request):
        from realpolitik.pictures import PictureError

        path = request.path_params["path"]
        pages = await built()
        try:
            found = await run_in_threadpool(pages.site_page, path)
        except PictureError as exc:
            return message(503, f"the picture cannot be drawn here: {exc}")
        if found is None:
            return message(404, f"not found: the site has no page {' '.join(path[:200].split())}")
        return Response(found[1], media_type=found[0], headers=CSP)

    return [
        Route("/id/{path:path}", thing, methods=["GET", "HEAD"]),
        Route("/vocab/{path:path}", thing, methods=["GET", "HEAD"]),
        Route("/ontology{path:path}", thing, methods=["GET", "HEAD"]),
        Route("/site/{path:path}", site_file, methods=["GET", "HEAD"]),
    ]


def _writes_jsonld() -> bool:
    from realpolitik.store import engine as ox

    return hasattr(ox.RdfFormat, "JSON_LD")
