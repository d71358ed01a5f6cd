"""realpolitik load"""

from __future__ import annotations

import click

from realpolitik.cli.common import InputFailure, Seconds, fail_on_dataset_errors


@click.command()
@click.option("--endpoint", required=True, metavar="URL", help="The SPARQL 1.1 Graph Store endpoint (Oxigraph: http://host:port/store).")
@click.option("--update", "update_url", metavar="URL", help="Its SPARQL Update endpoint (implied for Oxigraph's /store).")
@click.option("--query", "query_url", metavar="URL", help="Its SPARQL Query endpoint (implied for Oxigraph's /store).")
@click.option("--release", type=click.Path(file_okay=False, exists=True), help="A release built by `realpolitik build`; default: the working dataset.")
@click.option("--product", type=click.Choice(["full", "data", "ontology", "shapes"]), default="full", show_default=True,
              help="full (data, ontology, inferred triples: what the named queries expect), data, ontology or shapes.")
@click.option("--single-graph", metavar="IRI", help="Load everything into this one graph instead of one graph per source.")
@click.option("--replace/--merge", default=True, show_default=True, help="Replace each target graph, or add to it.")
@click.option("--timeout", type=Seconds(), default=60.0, show_default=True)
@click.option("--retries", type=click.IntRange(min=1, max=10), default=3, show_default=True, help="Attempts for transient failures (with backoff).")
@click.pass_context
def load(ctx, endpoint, update_url, query_url, release, product, single_graph, replace, timeout, retries):
    """Load the dataset into a SPARQL Graph Store endpoint, all or nothing.

    Each graph goes first into a staging graph and is counted there; only when all
    arrived whole are they moved into place in one update, which with --replace also
    drops the project's graphs this load does not bring. A failed load leaves the store
    as it was. One load runs at a time: another waits up to --timeout. Credentials come from REALPOLITIK_ENDPOINT_USER and
    REALPOLITIK_ENDPOINT_PASSWORD or ~/.netrc, never from the command line.

    \b
    Exit codes: 0 loaded and counted, 2 usage, input or endpoint error.
    """
    from realpolitik.http import EndpointError
    from realpolitik.loading import Endpoints, LoadError, Loader, payloads, release_quads, working_quads
    from realpolitik.release import ReleaseError

    try:
        endpoints = Endpoints.derive(endpoint, update_url, query_url)
        with fail_on_dataset_errors():
            quads = release_quads(release, product) if release else working_quads(ctx.obj.get("root"), product)
        loaded = Loader(endpoints, timeout, retries).load(payloads(quads, single_graph), replace=replace)
    except (EndpointError, LoadError, ReleaseError) as exc:
        raise InputFailure(str(exc) if getattr(exc, "store_changed", False) else f"nothing loaded: {exc}") from None
    if loaded.dropped_stale:
        click.echo(f"dropped {loaded.dropped_stale} staging graph(s) an earlier, interrupted load left behind")
    for graph in loaded.removed:
        click.echo(f"removed  {graph} (not in this load)")
    for graph, count in loaded.graphs.items():
        click.echo(f"{count:>7}  {graph}")
    click.echo(f"{len(loaded.graphs)} graph(s), {sum(loaded.graphs.values())} triples, counts checked, {loaded.seconds:.2f} s")
