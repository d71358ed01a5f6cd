"""``realpolitik timeline``: what happened, in date order, as a picture or a page."""

from __future__ import annotations

import click

from realpolitik.cli.common import fail_on_dataset_errors, store_and_actor, write_output


@click.command()
@click.option("--actor", metavar="ACTOR", help="Only what involves this actor (a name, alias, CURIE or IRI).")
@click.option("--format", "fmt", type=click.Choice(["svg", "html"]), default="svg", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="The file to write (default: standard output).")
@click.pass_context
def timeline(ctx, actor, fmt, out):
    """Agreements, transfers, events, offices and dated claims in date order, with
    dates at the precision the sources give ("2017", "June 2025", "after 5 August
    2024"); what has no date comes last.

    \b
    Examples:
      realpolitik timeline --actor Iran --out iran-timeline.svg
      realpolitik timeline --format html --out timeline.html
    """
    from realpolitik.pictures import timeline as pictures

    root = ctx.obj.get("root")
    on, iri = store_and_actor(root, "actor", actor)
    with fail_on_dataset_errors():
        found = pictures.entries(on, iri)
    title = f"Timeline: {actor}" if actor else "Timeline"
    text = pictures.svg(found, title=title) if fmt == "svg" else pictures.html(found, title=title)
    write_output(out, text.encode("utf-8"), root, "timeline")
