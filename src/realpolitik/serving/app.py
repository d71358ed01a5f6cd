"""The HTTP application ``realpolitik serve`` runs (Starlette, an ASGI framework, under
uvicorn): ``/sparql`` (SPARQL 1.1 Protocol, read-only), ``/api/queries`` (the named
queries), ``/api/openapi.json``, the query page at ``/`` (serving.query_page) and a
page for every IRI (serving.pages).

Every query holds one of a fixed number of slots while it runs
(REALPOLITIK_SERVE_QUERIES_AT_ONCE); a request that finds none free is answered 503 with
Retry-After at once, rather than queued behind queries that may take their whole time
limit. Ad-hoc queries run in a child process bounded in time and memory
(querying.backends.Embedded.run_bounded); named queries are the project's own and run
in a thread, as on the command line.
"""

from __future__ import annotations

import json

MAX_QUERY_BYTES = 1024 * 1024  # the longest query text or form accepted
TEXT = "text/plain; charset=utf-8"


class Slots:
    """At most ``size`` queries at once; ``take`` is False when all are taken. Taken and
    given back on the event loop's thread only, so it needs no lock."""

    def __init__(self, size: int):
        self.size, self.taken = size, 0

    def take(self) -> bool:
        if self.taken >= self.size:
            return False
        self.taken += 1
        return True

    def give_back(self) -> None:
        self.taken -= 1


def create(store, root=None):
    """The application, answering from ``store`` (an Embedded kept for its life) of the
    dataset at ``root``."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    from realpolitik import limits
    from realpolitik.serving import pages, query_page, reconcile
    from realpolitik.serving.refused import Refused

    slots = Slots(limits.serve_queries_at_once())

    def message(status: int, text: str, **headers) -> Response:
        return Response(" ".join(text.split()) + "\n", status_code=status, media_type=TEXT, headers=headers)

    async def bounded(run):
        """``run()`` in a thread while it holds a slot; 503 when there is none."""
        from starlette.concurrency import run_in_threadpool

        if not slots.take():
            return message(503, f"busy: {slots.size} queries are running (REALPOLITIK_SERVE_QUERIES_AT_ONCE); "
                           "try again shortly", **{"Retry-After": "1"})
        try:
            return await run_in_threadpool(run)
        finally:
            slots.give_back()

    async def sparql(request):
        from realpolitik.serving import endpoint

        try:
            asked = await endpoint.read_request(request.method, request.query_params, request.headers,
                                                request.stream(), MAX_QUERY_BYTES)
        except Refused as exc:
            return message(exc.status, str(exc))
        if asked is None:
            from realpolitik.serving.description import service_description

            url = str(request.url.replace(query=""))
            return Response(service_description(url, store.union), media_type="text/turtle; charset=utf-8")

        def run():
            try:
                found = endpoint.run(store, asked)
            except Refused as exc:
                return message(exc.status, str(exc), **exc.headers)
            media = found.media_type + ("; charset=utf-8" if found.media_type.startswith("text/") else "")
            return Response(found.body, status_code=found.status, media_type=media)

        return await bounded(run)

    async def queries(request):
        from realpolitik.serving import api

        return Response(json.dumps(api.catalog(), indent=2, ensure_ascii=False), media_type="application/json")

    async def openapi(request):
        from realpolitik.serving import api

        return Response(json.dumps(api.openapi(), indent=2, ensure_ascii=False), media_type="application/json")

    async def named_query(request):
        from realpolitik.serving import api

        try:
            name, given, fmt = api.read_request(request.path_params["name"], request.query_params, request.headers)
        except Refused as exc:
            return message(exc.status, str(exc))

        def run():
            try:
                media, body = api.run(store, name, given, fmt)
            except Refused as exc:
                return message(exc.status, str(exc))
            return Response(body, media_type=media)

        return await bounded(run)

    routes = [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/api/queries", queries, methods=["GET"]),
        Route("/api/openapi.json", openapi, methods=["GET"]),
        Route("/api/queries/{name}", named_query, methods=["GET"]),
        *query_page.routes(), *pages.routes(store, root), *reconcile.routes(store),
    ]
    application = Starlette(routes=routes)
    application.state.slots = slots
    return application

