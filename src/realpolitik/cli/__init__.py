"""The ``realpolitik`` command: one click group, one module per command.

Commands are imported only when they run, so ``realpolitik --help`` stays instant and
imports neither rdflib nor pyshacl.
"""

from __future__ import annotations

import importlib

import click

from realpolitik import __version__

# name -> (module, function, one-line help shown by --help without importing it)
COMMANDS = {
    "validate": ("realpolitik.cli.validate", "validate", "Validate the dataset, or files on top of it."),
    "build": ("realpolitik.cli.build", "build", "Write a release in every format, with its VoID/DCAT description."),
    "coverage": ("realpolitik.cli.coverage", "coverage", "How much of each source's text the claims cover."),
    "disputes": ("realpolitik.cli.disputes", "disputes", "Where the sources disagree, with both quotes."),
    "graph": ("realpolitik.cli.graph", "graph", "Draw who binds, supplies and supports whom (svg, png, dot)."),
    "export": ("realpolitik.cli.export", "export", "Write the dataset as one file (nt, nq, ttl, trig), fast."),
    "load": ("realpolitik.cli.load", "load", "Load the dataset into a SPARQL Graph Store endpoint, all or nothing."),
    "query": ("realpolitik.cli.query", "query", "Run a named query: transfers, agreements, claims, evidence, ..."),
    "sparql": ("realpolitik.cli.sparql", "sparql", "Run an ad-hoc SPARQL SELECT query."),
    "serve": ("realpolitik.cli.serve", "serve", "Serve SPARQL and the named queries over HTTP, read-only."),
    "site": ("realpolitik.cli.site", "site", "Write a static site: a page per actor, fact, claim and source."),
    "synthetic": ("realpolitik.cli.synthetic", "synthetic", "Write a synthetic register for benchmarks (developers)."),
    "text": ("realpolitik.cli.text", "text", "Prepare source texts: clean raw pages, locate quotes."),
    "timeline": ("realpolitik.cli.timeline", "timeline", "Draw what happened in date order (svg, html)."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)

    def invoke(self, ctx):
        """Every error the package raises on purpose, once: one line, exit code 2."""
        from realpolitik.errors import RealpolitikError

        try:
            return super().invoke(ctx)
        except RealpolitikError as exc:
            from realpolitik.cli.common import InputFailure

            raise InputFailure(exc.for_command_line()) from None

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="realpolitik")
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    envvar="REALPOLITIK_ROOT",
    help="A dataset folder (ontology/, shapes/, data/) to use instead of the shipped one.",
)
@click.pass_context
def main(ctx, root):
    """realpolitik: a claims-first knowledge graph of states, agreements, weapons
    transfers and who says so.

    \b
    Exit codes: 0 conforms or succeeded, 1 violations found,
                2 usage or input error (bad option, unreadable file, broken syntax).
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


def run() -> None:
    """The console script, and ``python -m realpolitik``: ``main`` in a process of its
    own, which a command may end as soon as its output is out (common.finish)."""
    from realpolitik.cli import common

    common.process_of_its_own = True
    main()
