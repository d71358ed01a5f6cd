"""``realpolitik graph``: who binds, supplies and supports whom, as a picture."""

from __future__ import annotations

import click

from realpolitik.cli.common import InputFailure, fail_on_dataset_errors, store_and_actor, write_output


@click.command()
@click.option("--around", metavar="ACTOR", help="Only the ties of this state or organisation (a name, alias, CURIE or IRI).")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "dot"]), default="svg", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="The file to write (default: standard output, for dot and svg).")
@click.pass_context
def graph(ctx, around, fmt, out):
    """Draw who binds, supplies and supports whom: states and organisations, with
    agreements, weapons transfers (styled by status) and claims of support between them.

    \b
    Each edge links to its agreement or transfer and lists its claims in its tooltip.
    SVG and PNG are drawn by Graphviz's dot; DOT needs nothing.
    \b
    Examples:
      realpolitik graph --out graph.svg
      realpolitik graph --around Iran --format png --out iran.png
      realpolitik graph --format dot | dot -Tpdf > graph.pdf
    """
    from realpolitik.pictures import graph as pictures

    if fmt == "png" and out is None:
        raise InputFailure("--format png needs --out FILE")
    root = ctx.obj.get("root")
    on, actor = store_and_actor(root, "around", around)
    title = f"Ties of {around}" if around else "Who binds, supplies and supports whom"
    with fail_on_dataset_errors():
        data = pictures.render(pictures.to_dot(pictures.ties(on, actor), title=title), fmt)
    write_output(out, data, root, "graph")
