"""realpolitik validate"""

from __future__ import annotations

import click

from realpolitik.cli.common import fail_on_dataset_errors, finish
from realpolitik.validation.checks.registry import names, registered


def _help() -> str:
    """The command's help: the checks as the registry lists and describes them."""
    checks = "\n".join(f"  {check.name:<12} {check.description}" for check in registered())
    return (
        "Validate the dataset, or PATHS (Turtle files or folders) on top of it.\n\n"
        "\b\nReports, each with file, line and column:\n"
        "  syntax       broken Turtle, ill-typed literals (exit 2, nothing else runs)\n"
        f"{checks}\n\n"
        "\b\nExit codes: 0 conforms, 1 violations found, 2 usage or input error."
    )


@click.command(help=_help())
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for programs, github for GitHub Actions annotations.",
)
@click.option(
    "--standalone",
    is_flag=True,
    help="Validate PATHS alone (with the ontology), not on top of the dataset.",
)
@click.option(
    "--changed",
    is_flag=True,
    help="PATHS are data files that changed: check only the nodes they can affect, "
    "against the whole dataset (fast; the same findings for those nodes as a full run).",
)
@click.option(
    "--skip",
    type=click.Choice(names()),
    multiple=True,
    help="Leave out a check; repeatable.",
)
@click.pass_context
def validate(ctx, paths, fmt, standalone, changed, skip):
    from realpolitik.collector import paused
    from realpolitik.validation import validate as run
    from realpolitik.validation.output import render

    if standalone and not paths:
        raise click.UsageError("--standalone needs PATHS to validate")
    if changed and (standalone or not paths):
        raise click.UsageError("--changed needs PATHS, and does not go with --standalone")
    # The collector stays paused to the end: what validation built is left to the end of
    # the process (finish), not walked once more on the way out.
    with paused():
        with fail_on_dataset_errors():
            report = run(list(paths) or None, root=ctx.obj.get("root"), standalone=standalone, changed=changed, skip=skip)
        click.echo(render(report, fmt))
        finish(report.exit_code)
