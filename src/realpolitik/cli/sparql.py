"""realpolitik sparql"""

from __future__ import annotations

import click

from realpolitik.cli.query import output_options, run_and_print, seconds


@click.command()
@click.argument("text", required=False)
@click.option("--file", "file_", type=click.Path(), help="Read the query from this file ('-' for standard input).")
@click.option("--allow-network", is_flag=True, help="Let SERVICE clauses reach other endpoints; refused otherwise.")
@output_options
@click.pass_context
def sparql(ctx, text, file_, allow_network, fmt, limit, raw_csv, endpoint, timeout):
    """Run an ad-hoc SELECT query: from TEXT, from --file, or from standard input.

    The project's prefixes (rp:, rpv:, rpd:, rdfs:, skos:, oa:, prov:, schema:, ...) are
    declared for you. Queries are read-only: updates are refused; SERVICE is refused
    unless --allow-network. On the embedded store a query runs at most --timeout seconds
    and REALPOLITIK_QUERY_MEMORY_MB of memory. Rows come sorted unless the query has an
    ORDER BY.

    \b
    Example:
      realpolitik sparql 'SELECT ?s ?label WHERE { ?s a rp:State ; rdfs:label ?label }'
    """
    from realpolitik.cli.common import plain_text, read_input
    from realpolitik.querying import run_sparql

    if text and file_:
        raise click.UsageError("give the query as TEXT or with --file, not both")
    if file_:
        text = read_input(file_)
    elif text is None or text == "-":
        text = read_input("-")
    plain_text("the query", text.replace("\n", " ").replace("\t", " ").replace("\r", " "))
    if not text.strip():
        raise click.UsageError("no query given")
    run_and_print(ctx, lambda on: run_sparql(text, on=on, limit=limit, allow_network=allow_network, seconds=seconds(timeout)),
                  fmt, raw_csv)
