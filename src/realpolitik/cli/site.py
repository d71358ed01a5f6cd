"""``realpolitik site``: the dataset as a static site."""

from __future__ import annotations

import click

from realpolitik.cli.common import fail_on_dataset_errors


@click.command()
@click.option("--out", type=click.Path(), default="dist/site", show_default=True,
              help="The folder to write; replaced whole, and only if it is empty or a previous site.")
@click.pass_context
def site(ctx, out):
    """Write a static site: a page per actor, agreement, transfer, event, claim and
    source, each fact with its claims and each claim with its quote marked in its
    source's text; the disputes side by side; the graph, the timeline and the
    ontology's reference.

    \b
    Plain HTML and one stylesheet with relative links: open index.html from disk, or
    serve the folder. Each page links its RDF as Turtle.
    \b
    Example:
      realpolitik site --out dist/site
    """
    from pathlib import Path

    from realpolitik.site import build

    with fail_on_dataset_errors():
        built = build(Path(out), ctx.obj.get("root"))
    click.echo(f"{built.pages} pages in {out} ({built.seconds:.1f} s); open {Path(out) / 'index.html'}")
