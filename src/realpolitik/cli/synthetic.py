"""``realpolitik synthetic``: a synthetic register for benchmarks and tests at scale."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.option("--out", required=True, type=click.Path(file_okay=False), help="The dataset root to write (replaced if it was written here).")
@click.option("--triples", type=click.IntRange(min=1), help="About how many triples (default 10,000).")
@click.option("--sources", type=click.IntRange(min=1), help="How many synthetic articles (50 facts each), instead of --triples.")
@click.option("--defects", type=click.IntRange(min=0), default=0, show_default=True, help="How many defects to plant, spread over every kind.")
@click.option("--seed", type=int, default=1, show_default=True)
def synthetic(out, triples, sources, defects, seed):
    """Write a synthetic register (a dataset root) for benchmarks and tests at scale.

    \b
    Weapons transfers, agreements, meetings, office holdings and memberships, each
    backed by a claim quoting its synthetic source text; valid against the shapes
    unless --defects plants some. What was planted is listed in OUT/synthetic.json.
    \b
    Example:
      realpolitik synthetic --triples 100000 --defects 26 --out /tmp/register
      realpolitik --root /tmp/register validate
    """
    from realpolitik.synthetic import generate, sources_for

    if triples and sources:
        raise click.UsageError("give --triples or --sources, not both")
    count = sources or sources_for(triples or 10_000)
    register = generate(Path(out), sources=count, seed=seed, defects=defects)
    click.echo(json.dumps(register.manifest()))
