"""realpolitik query"""

from __future__ import annotations

import sys
import textwrap

import click

from realpolitik.cli.common import Seconds


def output_options(command):
    """--format, --limit, --endpoint and --timeout: the same for every query command."""
    for option in reversed(
        [
            click.option(
                "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "md"]), default="table",
                show_default=True, help="table for people; csv, tsv and json (SPARQL 1.1 results); md for Markdown.",
            ),
            click.option("--limit", type=click.IntRange(min=0), help="At most this many rows."),
            click.option("--raw-csv", is_flag=True,
                         help="In csv, write cells that begin with = + - @ as they are (by default they get a leading ' "
                         "so a spreadsheet does not run them as formulas)."),
            click.option(
                "--endpoint", metavar="URL",
                help="Run on this SPARQL endpoint instead of the embedded store. Credentials from "
                "REALPOLITIK_ENDPOINT_USER and REALPOLITIK_ENDPOINT_PASSWORD or ~/.netrc.",
            ),
            click.option("--timeout", type=Seconds(),
                         help="Seconds a query may run (ad hoc, embedded) or an endpoint may take to answer "
                         "[default: REALPOLITIK_QUERY_SECONDS, else 30]."),
        ]
    ):
        command = option(command)
    return command


def seconds(timeout: float | None) -> float:
    """--timeout if given, else the limit the environment sets (limits.query_seconds)."""
    from realpolitik import limits

    return timeout if timeout is not None else float(limits.query_seconds())


def run_and_print(ctx, run, fmt, raw_csv=False):
    """Run ``run(backend)`` and print its result; known failures become one-line errors."""
    from realpolitik.cli.common import fail_on_dataset_errors
    from realpolitik.querying import backend
    from realpolitik.querying.results import render

    options = ctx.params
    with fail_on_dataset_errors():
        on = backend(options.get("endpoint"), ctx.find_root().obj.get("root"), seconds(options.get("timeout")))
        result = run(on)
    text = render(result, fmt, raw_csv=raw_csv)
    click.echo(text, nl=not text.endswith("\n"))


def _explain(query) -> str:
    lines = [f"{query.name}: {query.summary}", ""]
    if query.params:
        lines.append("Parameters:")
        for p in query.params:
            kind = f"concept of rpv:{p.scheme}" if p.type == "concept" else p.type
            lines.append(f"  --{p.name} ({kind}{', required' if p.required else ''}): {p.description}")
    else:
        lines.append("Parameters: none")
    lines += [f"Example: {e}" for e in query.examples]
    lines += ["", query.text.rstrip()]
    return "\n".join(lines)


def make_command(query) -> click.Command:
    params = [
        click.Option(
            [f"--{p.name}", p.name],
            metavar={"integer": "N", "string": "TEXT", "concept": p.scheme.upper() if p.scheme else "NAME"}.get(p.type, "NAME"),
            required=False,
            help=f"{p.description}{' (required)' if p.required else ''}",
        )
        for p in query.params
    ]
    params.append(click.Option(["--explain"], is_flag=True, help="Show the query and its parameters; run nothing."))

    def callback(explain, fmt, limit, raw_csv, endpoint, timeout, **given):
        from realpolitik.cli.common import plain_text

        ctx = click.get_current_context()
        if explain:
            click.echo(_explain(query))
            return
        from realpolitik.querying import run_named

        for name, value in given.items():
            plain_text(f"--{name}", value)
        run_and_print(ctx, lambda on: run_named(query.name, given, on=on, limit=limit), fmt, raw_csv)

    help_text = f"{query.summary}\n\n{query.description}"
    if query.examples:
        help_text += "\n\n\b\nExample:\n  " + "\n  ".join(query.examples)
    command = click.Command(query.name, params=params, callback=callback, help=help_text, short_help=query.summary)
    return output_options(command)


class QueryGroup(click.Group):
    def list_commands(self, ctx):
        from realpolitik.querying.catalog import named

        return list(named())

    def get_command(self, ctx, name):
        from realpolitik.querying.catalog import named

        query = named().get(name)
        return make_command(query) if query else None

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            from realpolitik.querying.catalog import CatalogError, get

            try:
                get(args[0])
            except CatalogError as exc:
                raise click.UsageError(str(exc)) from None
            raise


@click.group(cls=QueryGroup, invoke_without_command=True)
@click.option("--list", "list_", is_flag=True, help="List the named queries with their parameters.")
@click.pass_context
def query(ctx, list_):
    """Run a named query: `realpolitik query NAME [--PARAM VALUE ...]`.

    Parameters are typed and bound as values, never pasted into the query: an actor may
    be named by label, alias ("Tehran"), CURIE (rpd:state-irn) or IRI, and a name that
    is unknown or ambiguous is an error listing the close candidates. Every query gives
    its evidence: claimant, source and quote.

    \b
    Exit codes: 0 done, 2 usage or input error (unknown name, bad value).
    """
    if ctx.invoked_subcommand is not None:
        return
    from realpolitik.querying.catalog import named

    if not list_:
        click.echo(ctx.get_help())
        return
    for q in named().values():
        params = " ".join(f"--{p.name}{'' if p.required else '?'}" for p in q.params)
        click.echo(f"{q.name:<12} {q.summary}")
        if params:
            click.echo(textwrap.indent(f"parameters: {params}", " " * 13))
    sys.exit(0)
