"""realpolitik serve"""

from __future__ import annotations

import click

DEFAULT_PORT = 8765


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="The TCP port to listen on; 0 picks a free one.")
@click.option("--bind", "address", default="127.0.0.1", show_default=True, metavar="ADDR",
              help="The address to listen on (0.0.0.0 for every interface: anyone who reaches it may query).")
@click.pass_context
def serve(ctx, port, address):
    """Serve the dataset over HTTP, read-only, until stopped (Ctrl-C).

    \b
    /sparql              SPARQL 1.1 Protocol: GET or POST, results as JSON, XML, CSV
                         or TSV, graphs as Turtle, N-Triples or JSON-LD (Accept or
                         format=); the project's prefixes declared; updates and
                         SERVICE refused; GET without a query: the service description
    /api/queries         the named queries and their parameters
    /api/queries/NAME    a named query's rows, ?param=value as `query NAME --param value`
    /api/openapi.json    the API's OpenAPI description
    /                    the query page: an editor, the named queries, sortable results
    /id/..., /ontology, /vocab/...
                         each IRI's page: 303 to its HTML page under /site/, or to
                         its statements as .ttl, .nt or .jsonld, by Accept
    /reconcile           the Reconciliation Service API (OpenRefine): actors,
                         legal instruments and weapon systems by name

    Each ad-hoc query runs at most REALPOLITIK_QUERY_SECONDS in at most
    REALPOLITIK_QUERY_MEMORY_MB, gives at most REALPOLITIK_SERVE_MAX_RESULTS rows, and at
    most REALPOLITIK_SERVE_QUERIES_AT_ONCE queries run at a time. The first line printed
    is the address served.
    """
    import importlib.util
    import socket

    from realpolitik.cli.common import InputFailure, fail_on_dataset_errors
    from realpolitik.querying import embedded

    missing = [name for name in ("starlette", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise InputFailure(f"serve needs {' and '.join(missing)}: python -m pip install 'realpolitik[serve]'")
    listening = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((address, port))
        listening.listen(128)  # connections wait from the moment the address is printed
    except (OSError, OverflowError) as exc:
        listening.close()
        raise click.UsageError(f"cannot listen on {address} port {port}: {exc.strerror or exc}") from None
    with fail_on_dataset_errors():
        root = ctx.find_root().obj.get("root")
        store = embedded(root, memory=True)
    _run(store, listening, root)


def _run(store, listening, root=None) -> None:
    import sys

    import uvicorn

    from realpolitik.serving.app import create

    host, port = listening.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"http://{shown}:{port}/")
    sys.stdout.flush()
    config = uvicorn.Config(create(store, root), log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[listening])
