"""From a raw page to the cleaned text of an article.

Raw pages carry page chrome: share buttons, "See also" teasers, promotional headlines,
category labels, the excerpt repeated above the article, author boxes. None of it is
the article, so none of it may become evidence. Cleaning is a repeatable step, not
hand editing: generic rules that hold for every page, plus a recipe per raw file
(``corpus/recipes.toml``) that says where each article starts and ends on the page and
which further lines are chrome.

Generic rules, applied in this order to the article's lines:

1. line endings become ``\\n``; trailing whitespace goes;
2. Markdown becomes plain text: a table of contents goes, each heading becomes a
   paragraph of its own (the table of contents says where a heading ends when it
   runs on into its section), emphasis markers and link targets go;
3. share and navigation lines go ("Share this article:", "Facebook", "RSS", ...);
4. "See also" teaser lines go;
5. promotional headlines go: a line of three or more words with no lower-case letter;
6. an excerpt paragraph ending in "[…]" goes when the text after it repeats it;
7. runs of blank lines become one; the text ends with one newline.

Photo captions are text of the article and stay.

Marks that change who is speaking are kept apart: where a recipe says so
(``quoted = "bold"``), the fragments the page sets in bold because it quotes them from
someone else are written beside the text, one a line, in ``<output>.quoted.txt``, less
those the recipe lists in ``not_quoted`` (keyword highlighting, the article's own lead),
each with its reason. The validator reads them: a claim whose quote lies in one is not
the article's own (validation.quotes).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from realpolitik.errors import RealpolitikError
from realpolitik.text.quotes import normalize, sha256

CHROME_LINES = frozenset(
    {
        "Share this article:",
        "Share on Facebook",
        "Facebook",
        "Tweet about this on Twitter",
        "Twitter",
        "Share on LinkedIn",
        "LinkedIn",
        "Share via Email",
        "Email",
        "Print",
        "Connect with us",
        "RSS",
        "Continue Reading",
        "Advertisement",
    }
)
_SEE_ALSO = re.compile(r"^See also\s")
_EXCERPT_END = re.compile(r"\s*\[(?:…|\.\.\.)\]\s*$")


class RecipeError(RealpolitikError):
    pass


@dataclass
class Recipe:
    """How one article is cut out of one raw page."""

    raw: str
    output: str
    raw_sha256: str | None = None
    start: str | None = None  # the article starts at the first line beginning with this
    end: str | None = None  # ... and stops before the first later line beginning with this
    drop: list[str] = field(default_factory=list)  # further chrome lines, exactly
    remove: list[str] = field(default_factory=list)  # chrome run into a line of text, exactly
    quoted: str | None = None  # "bold": the page sets in bold what it quotes from others
    not_quoted: list[str] = field(default_factory=list)  # bold fragments starting so are not quotes


_TOC = re.compile(r"\*\*Table of Contents\*\*(.*?)(?:^|\s)---(?=\s|$)", re.S | re.M)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_HEADING = re.compile(r"(?:^|\s)#{2,6}\s+")
_EMPHASIS = re.compile(r"\*\*|__")


def _markdown_to_text(text: str) -> str:
    headings: list[str] = []
    toc = _TOC.search(text)
    if toc:
        headings = sorted((m.group(1).strip() for m in _LINK.finditer(toc.group(1))), key=len, reverse=True)
        text = text[: toc.start()] + "\n\n" + text[toc.end() :]

    parts = _HEADING.split(text)
    out = [parts[0]]
    for part in parts[1:]:
        title = next((h for h in headings if part.startswith(h)), None)
        if title:
            part = title + "\n\n" + part[len(title) :].lstrip()
        out.append(part)
    text = "\n\n".join(out)
    text = _LINK.sub(r"\1", text)
    return _EMPHASIS.sub("", text)


def _is_promo_headline(line: str) -> bool:
    words = line.split()
    letters = [c for c in line if c.isalpha()]
    return len(words) >= 3 and len(letters) >= 12 and not any(c.islower() for c in letters)


def _cut(lines: list[str], recipe: Recipe) -> list[str]:
    begin = 0
    if recipe.start:
        found = [i for i, line in enumerate(lines) if line.startswith(recipe.start)]
        if not found:
            raise RecipeError(f"{recipe.raw}: no line starts with {recipe.start!r}")
        begin = found[0]
    stop = len(lines)
    if recipe.end:
        found = [i for i, line in enumerate(lines) if i > begin and line.startswith(recipe.end)]
        if not found:
            raise RecipeError(f"{recipe.raw}: no line after the start begins with {recipe.end!r}")
        stop = found[0]
    return lines[begin:stop]


def _drop_excerpt(paragraphs: list[str]) -> list[str]:
    out = []
    for i, paragraph in enumerate(paragraphs):
        if _EXCERPT_END.search(paragraph):
            teaser = normalize(_EXCERPT_END.sub("", paragraph))
            following = normalize(" ".join(paragraphs[i + 1 :]))
            if teaser and following.startswith(teaser.rstrip(",;: ")):
                continue
        out.append(paragraph)
    return out


def clean(raw_text: str, recipe: Recipe | None = None) -> str:
    recipe = recipe or Recipe(raw="-", output="-")
    lines = [line.rstrip() for line in raw_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = _cut(lines, recipe)
    for chrome in recipe.remove:
        lines = [line.replace(chrome, "").rstrip() for line in lines]
    lines = [line.rstrip() for line in _markdown_to_text("\n".join(lines)).split("\n")]
    extra = set(recipe.drop)
    kept = [
        line
        for line in lines
        if line.strip() not in CHROME_LINES
        and line.strip() not in extra
        and not _SEE_ALSO.match(line.strip())
        and not _is_promo_headline(line)
    ]
    paragraphs, current = [], []
    for line in kept:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    paragraphs = _drop_excerpt(paragraphs)
    return "\n\n".join(paragraphs) + "\n"


QUOTED_SUFFIX = ".quoted.txt"
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
QUOTE_MARKS = {"bold": _BOLD}


def quoted_name(output: str) -> str:
    """The file beside a cleaned text that lists its quoted fragments."""
    return output.removesuffix(".txt") + QUOTED_SUFFIX


def quoted_fragments(raw_text: str, recipe: Recipe, cleaned: str) -> list[str]:
    """The fragments of the article the page marks as quoted from another speaker, as
    they read in the cleaned text, in the page's order; none unless the recipe says how
    the page marks them."""
    if not recipe.quoted:
        return []
    if recipe.quoted not in QUOTE_MARKS:
        raise RecipeError(f"{recipe.raw}: quoted = {recipe.quoted!r}: the marks known are {', '.join(sorted(QUOTE_MARKS))}")
    lines = _cut([line.rstrip() for line in raw_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")], recipe)
    flat = normalize(cleaned)
    found = []
    for match in QUOTE_MARKS[recipe.quoted].finditer("\n".join(lines)):
        fragment = normalize(_LINK.sub(r"\1", match.group(1)))
        if fragment in flat and not any(fragment.startswith(n) for n in recipe.not_quoted) and fragment not in found:
            found.append(fragment)
    return found


def load_recipes(path: Path) -> list[Recipe]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RecipeError(f"{path}: {exc}") from None
    recipes = []
    for i, entry in enumerate(data.get("article", [])):
        try:
            recipe = Recipe(**entry)
        except TypeError as exc:
            raise RecipeError(f"{path}: [[article]] number {i + 1}: {exc}") from None
        for key in ("raw", "output"):
            name = getattr(recipe, key)
            # A name inside its folder (corpus/raw, data/texts): nothing else is read or written.
            if not isinstance(name, str) or not _PLAIN_NAME.fullmatch(name) or ".." in name:
                raise RecipeError(f"{path}: [[article]] number {i + 1}: {key} = {name!r}: "
                                  "a recipe names a file inside its folder, without a path")
        if not recipe.output.endswith(".txt"):
            raise RecipeError(f"{path}: [[article]] number {i + 1}: output = {recipe.output!r}: a cleaned text ends in .txt")
        recipes.append(recipe)
    return recipes


_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def run_recipe(recipe: Recipe, raw_dir: Path) -> tuple[str, str, list[str]]:
    """The cleaned text for a recipe, the SHA-256 of the raw file it came from, and the
    fragments its page marks as quoted from others."""
    raw_path = raw_dir / recipe.raw
    if raw_path.is_symlink() or (raw_path.exists() and not raw_path.is_file()):
        raise RecipeError(f"{raw_path}: not a regular file (a link, a folder or a device): refused")
    try:
        raw = raw_path.read_bytes()
    except OSError:
        raise RecipeError(f"{raw_path}: no such raw file") from None
    digest = sha256(raw)
    if recipe.raw_sha256 and recipe.raw_sha256 != digest:
        raise RecipeError(f"{raw_path}: SHA-256 is {digest}, but the recipe expects {recipe.raw_sha256}")
    text = raw.decode("utf-8")
    cleaned = clean(text, recipe)
    return cleaned, digest, quoted_fragments(text, recipe, cleaned)
