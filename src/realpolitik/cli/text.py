"""realpolitik text: prepare source texts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from realpolitik.cli.common import InputFailure, read_input


@click.group()
def text():
    """Prepare source texts: clean raw pages, locate quotes."""


@text.command()
@click.argument("raw", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--recipes",
    type=click.Path(dir_okay=False),
    default="corpus/recipes.toml",
    show_default=True,
    help="Where each article starts and ends on its raw page, and which lines are chrome.",
)
@click.option("--raw-dir", type=click.Path(file_okay=False), default="corpus/raw", show_default=True)
@click.option("--out-dir", type=click.Path(file_okay=False), default="data/texts", show_default=True)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a cleaned text differs from what the recipes give.")
def clean(raw, recipes, raw_dir, out_dir, check):
    """Clean raw pages into article texts.

    With RAW, print that page cleaned by the generic rules alone (a first look at a
    new article). Without it, run every recipe in --recipes and write each article to
    --out-dir, printing each text's SHA-256 for its source's rp:textSha256.
    """
    from realpolitik.folders import write_file
    from realpolitik.inputs import Refused, check_regular
    from realpolitik.terminal import printable
    from realpolitik.text.clean import clean as clean_text, load_recipes, quoted_name, run_recipe
    from realpolitik.text.quotes import sha256

    if raw:  # the page's lines, its control characters shown as escapes
        click.echo(printable(clean_text(read_input(raw)), keep_lines=True), nl=False)
        return
    if not check:
        _refuse_out_dir(Path(out_dir))
    try:
        if Path(recipes).exists() or Path(recipes).is_symlink():
            check_regular(recipes)
    except Refused as exc:
        raise InputFailure(f"{recipes}: {exc}") from None
    try:
        recipe_list = load_recipes(Path(recipes))
    except FileNotFoundError:
        raise InputFailure(f"{recipes}: no such recipe file") from None
    cleaned_texts = []  # every recipe runs before anything is written: all or nothing
    for recipe in recipe_list:
        cleaned, _, quoted = run_recipe(recipe, Path(raw_dir))
        cleaned_texts.append((Path(out_dir) / recipe.output, recipe, cleaned.encode("utf-8")))
        if recipe.quoted:  # the fragments the page quotes from others, beside the text
            listed = "".join(fragment + "\n" for fragment in quoted).encode("utf-8")
            cleaned_texts.append((Path(out_dir) / quoted_name(recipe.output), recipe, listed))
    stale = 0
    for target, recipe, data in cleaned_texts:
        if check:
            current = target.read_bytes() if target.is_file() else None
            if current != data:
                stale += 1
                click.echo(printable(f"{target}: differs from what {recipe.raw} cleans to"), err=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, data)
        click.echo(printable(f"{target}  sha256={sha256(data)}"))
    if check:
        if stale:
            sys.exit(1)
        click.echo(f"{len(recipe_list)} text(s) match their recipes")


def _refuse_out_dir(out_dir: Path) -> None:
    """Cleaned texts go to the dataset's data/texts/, or outside the dataset and the code."""
    from realpolitik import folders
    from realpolitik.dataset import files

    root = click.get_current_context().find_root().obj.get("root")
    if out_dir.resolve() == (files(root).data_dir / "texts").resolve():
        return
    try:
        folders.refuse_dataset(out_dir, root, "cleaned texts", "text clean")
    except folders.FolderError as exc:
        raise InputFailure(f"{exc} (or into data/texts/)") from None


@text.command()
@click.argument("text_file", type=click.Path(dir_okay=False))
@click.argument("exact")
@click.option("--width", default=24, show_default=True, help="Characters of prefix and suffix to give.")
def quote(text_file, exact, width):
    """Check that EXACT occurs in TEXT_FILE and print its evidence selector in Turtle,
    with a prefix and suffix when the quote occurs more than once, and the IRI a claim
    with this quote gets (the text file's name is its source's key)."""
    from realpolitik.cli.common import plain_text
    from realpolitik.iris import claim_iri
    from realpolitik.namespaces import curie
    from realpolitik.terminal import UNSAFE, printable
    from realpolitik.text import quotes

    plain_text("EXACT", exact.replace("\n", " "))
    content = read_input(text_file)
    found = quotes.find(content, exact)
    if not found:
        raise InputFailure(f"{text_file}: the quote does not occur in this text")

    def literal(value: str) -> str:  # Turtle, its control characters as \u escapes: exact and one line
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}", escaped) + '"'

    lines = ["[ a oa:TextQuoteSelector ;", f"    oa:exact {literal(quotes.normalize(exact))}"]
    if len(found) > 1:
        prefix, suffix = quotes.context(content, found[0], width)
        lines[-1] += " ;"
        lines += [f"    oa:prefix {literal(prefix)} ;", f"    oa:suffix {literal(suffix)}"]
        click.echo(f"# occurs {len(found)} times; the prefix and suffix pick the first", err=True)
    lines.append("]")
    click.echo(printable(f"# claim IRI: {curie(claim_iri(Path(text_file).stem, exact))}"))
    click.echo("\n".join(lines))
