"""realpolitik build"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from realpolitik.cli.common import fail_on_dataset_errors


@click.command()
@click.option("--out", type=click.Path(), default="dist", show_default=True, help="Where to write the release.")
@click.option("--check", "check_dir", type=click.Path(file_okay=False), help="Check the release in this folder against its description instead.")
@click.option("--no-reasoning", is_flag=True, help="Leave the OWL RL closure out of the full graph (faster).")
@click.pass_context
def build(ctx, out, check_dir, no_reasoning):
    """Write a release: the ontology, the shapes, the data and the full graph (data,
    ontology and OWL RL closure), each in Turtle, N-Triples, N-Quads, TriG and JSON-LD,
    with void.ttl describing it (graphs, counts, files, sizes, SHA-256).

    Every source is its own named graph in N-Quads, TriG and JSON-LD. The same input
    gives the same bytes; set SOURCE_DATE_EPOCH to fix the release date too.

    \b
    Exit codes: 0 done (or --check found nothing wrong), 1 --check found a problem,
                2 usage or input error.
    """
    from realpolitik.release import build as run, check

    if check_dir:
        problems = check(Path(check_dir))
        for problem in problems:
            click.echo(f"{check_dir}/{problem}")
        click.echo(f"{len(problems)} problem(s)" if problems else "the release matches its description")
        sys.exit(1 if problems else 0)
    with fail_on_dataset_errors():
        built = run(Path(out), ctx.obj.get("root"), reason=not no_reasoning)
    for product, count in built.triples.items():
        click.echo(f"{product:<9} {count:>7} triples")
    click.echo(f"{len(built.files) + 1} files in {out} ({sum(f['bytes'] for f in built.files):,} bytes), {built.seconds:.1f} s")
