"""realpolitik coverage"""

from __future__ import annotations

import json
import sys

import click

from realpolitik.cli.common import InputFailure, fail_on_dataset_errors


@click.command()
@click.argument("source", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--min", "minimum", type=click.FloatRange(0, 100), help="Exit 1 if a source's coverage is below this percentage.")
@click.pass_context
def coverage(ctx, source, fmt, minimum):
    """How much of each source's text the claims cover.

    A sentence is covered when evidence quotes span at least half of it; sentences a
    source lists with rp:noClaim (headings, transitions, rhetorical questions) do not
    count. With SOURCE (a source key such as russia-quiet-on-saving-iran, a CURIE or
    an IRI), also list the sentences no claim covers yet.

    \b
    Exit codes: 0 done, 1 a source below --min, 2 usage or input error.
    """
    from realpolitik.dataset import files, load
    from realpolitik.text.coverage import measure_all

    with fail_on_dataset_errors():
        dataset = files(ctx.obj.get("root"))
        results = measure_all(load(dataset.root, ontology=False), dataset)
    if source:
        results = [_pick(results, source)]
    if fmt == "json":
        click.echo(json.dumps([_as_dict(r, bool(source)) for r in results], indent=2, ensure_ascii=False))
    else:
        click.echo(_table(results))
        if source:
            uncovered = results[0].uncovered()
            click.echo(f"\n{len(uncovered)} uncovered sentence(s):" if uncovered else "\nEvery sentence is covered or marked.")
            for number, (sentence, status) in enumerate(results[0].sentences, 1):
                if status == "uncovered":
                    click.echo(f"  [{number}] {sentence.text}")
    if minimum is not None and any(r.ratio * 100 < minimum for r in results):
        sys.exit(1)


def _pick(results, wanted: str):
    from realpolitik.namespaces import RPD, curie

    for r in results:
        if wanted in (r.key, str(r.source), curie(str(r.source)), str(r.source)[len(RPD) :]):
            return r
    import difflib

    close = difflib.get_close_matches(wanted, [r.key for r in results], n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; sources: {', '.join(r.key for r in results)}"
    raise InputFailure(f"no source with text called {wanted!r}{hint}")


def _as_dict(r, with_sentences: bool) -> dict:
    out = {
        "source": str(r.source),
        "key": r.key,
        "sentences": len(r.sentences),
        "covered": r.count("covered"),
        "no_claim": r.count("no claim"),
        "uncovered": r.count("uncovered"),
        "coverage": round(r.ratio, 4),
    }
    if with_sentences:
        out["uncovered_sentences"] = [s.text for s in r.uncovered()]
    return out


def _table(results) -> str:
    width = max([len(r.key) for r in results] + [6])
    lines = [f"{'source':<{width}}  sentences  covered  no claim  uncovered  coverage"]
    for r in results:
        lines.append(
            f"{r.key:<{width}}  {len(r.sentences):>9}  {r.count('covered'):>7}  {r.count('no claim'):>8}"
            f"  {r.count('uncovered'):>9}  {r.ratio:>8.1%}"
        )
    return "\n".join(lines)
