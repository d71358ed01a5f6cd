"""realpolitik disputes"""

from __future__ import annotations

import json
import textwrap

import click

from realpolitik.cli.common import fail_on_dataset_errors


@click.command()
@click.option("--about", metavar="ACTOR", help="Only disputes where either claim is about this actor.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--endpoint", metavar="URL", help="Run on this SPARQL endpoint instead of the embedded store.")
@click.pass_context
def disputes(ctx, about, fmt, endpoint):
    """Where the sources disagree: each pair of claims that take opposite stances on one
    fact or proposition, assert incompatible values or relations, or are hand-linked by
    rp:contradicts, with both quotes, both sources, and which grounds were found."""
    from realpolitik.cli.common import plain_text
    from realpolitik.disputes import disputes as find
    from realpolitik.querying import backend
    from realpolitik.terminal import printable

    plain_text("--about", about)

    with fail_on_dataset_errors():
        found = find(backend(endpoint, ctx.obj.get("root")), about)
    if fmt == "json":
        click.echo(json.dumps([d.as_dict() for d in found], indent=2, ensure_ascii=False))
        return
    for number, dispute in enumerate(found, 1):
        on = f" on {dispute.fact}" if dispute.fact else (f" on {dispute.relation}" if dispute.relation else "")
        click.echo(printable(f"{number}. {dispute.basis}{on} [{dispute.kind}]"))
        for mark, s in (("A", dispute.a), ("B", dispute.b)):
            click.echo(printable(f"   {mark} {s.claimant}, in {s.source} ({s.stance}, {s.modality}) {s.claim}"))
            click.echo(textwrap.fill(printable(f"“{s.quote}”"), width=100, initial_indent="      ", subsequent_indent="      "))
        click.echo()
    kinds = {k: sum(d.kind == k for d in found) for k in ("structural", "hand-linked", "both")}
    click.echo(f"{len(found)} dispute(s): " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
