"""``realpolitik export``: the dataset as one file, streamed from the store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from realpolitik.cli.common import fail_on_dataset_errors


@click.command()
@click.option("--format", "fmt", type=click.Choice(["nt", "nq", "ttl", "trig"]), default="nt", show_default=True)
@click.option("--out", type=click.Path(), help="The file to write (default: standard output); never one in data/, ontology/, shapes/ or src/.")
@click.option("--data-only", is_flag=True, help="Leave the ontology out.")
@click.pass_context
def export(ctx, fmt, out, data_only):
    """Write the dataset (data and ontology) as one file, fast.

    \b
    Statements are streamed from the cached store as it holds them; for a sorted,
    reproducible release with its description, use `realpolitik build`. Quad formats
    (nq, trig) keep each source in its own graph.
    \b
    Example:
      realpolitik export --format nt --out realpolitik.nt
    """
    from realpolitik import folders
    from realpolitik.export import export as run

    with fail_on_dataset_errors():
        if out:  # never into the dataset or the code, never over a link or a device
            folders.refuse_dataset(Path(out), ctx.obj.get("root"), "its file", "export")
            folders.refuse_output_file(Path(out))
        run(fmt, Path(out) if out else None, ctx.obj.get("root"), data_only, stream=sys.stdout.buffer)
