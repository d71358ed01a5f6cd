"""Source texts: cleaning raw pages repeatably, and finding quotes in them."""

from __future__ import annotations

from conftest import REPO
from realpolitik.text.clean import Recipe, RecipeError, clean, load_recipes, run_recipe
from realpolitik.text.quotes import find, normalize

import pytest


# --- quotes ---------------------------------------------------------------------


def test_normalize_collapses_all_whitespace():
    assert normalize("a \u00a0b\n\tc\u202fd\u200be") == "a b c de"


def test_find_ignores_whitespace_differences_only():
    text = "Russia may serve\nas a\u00a0mediator, he said."
    assert len(find(text, "Russia may serve as a mediator")) == 1
    assert find(text, "Russia may serve as the mediator") == []
    assert find(text, "russia may serve") == []  # case matters


def test_find_with_prefix_and_suffix_picks_one_occurrence():
    text = "President Donald Trump mulls. Meanwhile, President Donald Trump aids."
    assert len(find(text, "President Donald Trump")) == 2
    [match] = find(text, "President Donald Trump", prefix="Meanwhile, ")
    assert normalize(text)[match.start :].startswith("President Donald Trump aids")
    [match] = find(text, "President Donald Trump", suffix=" mulls")
    assert match.start == 0
    assert find(text, "President Donald Trump", prefix="Yesterday ") == []


# --- cleaning ------------------------------------------------------------------------

RAW = """Category

Headline of the piece

First paragraph of the piece goes on, and on, and […]

First paragraph of the piece goes on, and on, and then ends.

A caption: Person A, left, meets Person B. (Photo: Agency)

See also  Something else entirely

BREAKING NEWS ABOUT ANOTHER STORY ENTIRELY

Second paragraph.

Share this article:
Share on Facebook
Facebook
Tweet about this on Twitter
Twitter"""


def test_generic_rules_drop_chrome_and_keep_captions():
    cleaned = clean(RAW, Recipe(raw="raw.txt", output="out.txt", drop=["Category"]))
    assert cleaned == (
        "Headline of the piece\n\n"
        "First paragraph of the piece goes on, and on, and then ends.\n\n"
        "A caption: Person A, left, meets Person B. (Photo: Agency)\n\n"
        "Second paragraph.\n"
    )


def test_excerpt_stays_when_the_text_does_not_repeat_it():
    raw = "Teaser that leads nowhere […]\n\nA different first paragraph."
    assert clean(raw).startswith("Teaser that leads nowhere […]")


def test_start_and_end_cut_one_article_from_a_page():
    raw = "Site chrome\n\nFirst title\n\nBody one.\n\nContinue Reading\n\nSecond title\n\nBody two.\n"
    recipe = Recipe(raw="page.txt", output="second.txt", start="Second title")
    assert clean(raw, recipe) == "Second title\n\nBody two.\n"
    recipe = Recipe(raw="page.txt", output="first.txt", start="First title", end="Second title")
    assert clean(raw, recipe) == "First title\n\nBody one.\n"


def test_a_marker_that_is_not_on_the_page_is_an_error():
    with pytest.raises(RecipeError, match="no line starts with 'Nowhere'"):
        clean("text", Recipe(raw="page.txt", output="x.txt", start="Nowhere"))


def test_recipes_reproduce_the_committed_texts(cli, monkeypatch):
    monkeypatch.chdir(REPO)
    run = cli("text", "clean", "--check")
    assert run.exit_code == 0, run.output
    assert run.stdout.strip().endswith("text(s) match their recipes")


def test_a_changed_raw_file_is_noticed(tmp_path):
    [recipe] = [r for r in load_recipes(REPO / "corpus" / "recipes.toml") if r.raw.startswith("004_")]
    (tmp_path / recipe.raw).write_text("changed", encoding="utf-8")
    with pytest.raises(RecipeError, match="but the recipe expects"):
        run_recipe(recipe, tmp_path)


def test_clean_check_fails_on_a_stale_text(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    out = tmp_path / "texts"
    out.mkdir()
    (out / "russia-quiet-on-saving-iran.txt").write_text("stale\n", encoding="utf-8")
    run = cli("text", "clean", "--check", "--out-dir", out)
    assert run.exit_code == 1
    assert "differs from what 004_e96ca1c078e9ab49.txt cleans to" in run.stderr


def test_clean_writes_texts_with_their_checksums(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    run = cli("text", "clean", "--out-dir", tmp_path)
    assert run.exit_code == 0
    written = tmp_path / "russia-quiet-on-saving-iran.txt"
    assert written.read_bytes() == (REPO / "data" / "texts" / written.name).read_bytes()
    import hashlib

    assert f"sha256={hashlib.sha256(written.read_bytes()).hexdigest()}" in run.stdout


def test_clean_one_raw_file_prints_it(cli):
    run = cli("text", "clean", REPO / "corpus" / "raw" / "004_e96ca1c078e9ab49.txt")
    assert run.exit_code == 0
    assert "See also" not in run.stdout and "Share this article" not in run.stdout
    assert "Russia quiet on saving Iran" in run.stdout


def test_clean_missing_raw_file_exits_2(cli, tmp_path):
    run = cli("text", "clean", tmp_path / "none.txt")
    assert run.exit_code == 2
    assert "none.txt: no such file" in run.output


# --- text quote -------------------------------------------------------------------

TEXT = REPO / "data" / "texts" / "russia-quiet-on-saving-iran.txt"


def test_quote_prints_selector_and_claim_iri(cli):
    run = cli("text", "quote", TEXT, "Russia may serve as a mediator")
    assert run.exit_code == 0
    assert run.stdout == (
        "# claim IRI: rpd:claim-russia-quiet-on-saving-iran-russia-may-serve-as-a-mediator\n"
        "[ a oa:TextQuoteSelector ;\n"
        '    oa:exact "Russia may serve as a mediator"\n'
        "]\n"
    )


def test_quote_that_recurs_gets_prefix_and_suffix(cli):
    run = cli("text", "quote", TEXT, "President Donald Trump")
    assert run.exit_code == 0
    assert 'oa:prefix "keeping its distance as " ;' in run.stdout
    assert 'oa:suffix " mulls strikes against"' in run.stdout
    assert "occurs 2 times" in run.stderr


def test_quote_not_in_text_exits_2(cli):
    run = cli("text", "quote", TEXT, "Russia will defend Iran")
    assert run.exit_code == 2
    assert "the quote does not occur in this text" in run.output


# --- marks that change who is speaking ------------------------------------------------------


def test_bold_fragments_a_page_quotes_are_listed_beside_the_text():
    raw = ("Intro.\n\nAs **one outlet put it, Russia will not fight** for Iran, and "
           "**will Russia support Iran** is the question. **“A quoted line.”**\n")
    recipe = Recipe(raw="-", output="x.txt", quoted="bold", not_quoted=["will Russia support"])
    text = clean(raw, recipe)
    assert "**" not in text
    from realpolitik.text.clean import quoted_fragments

    assert quoted_fragments(raw, recipe, text) == ["one outlet put it, Russia will not fight", "“A quoted line.”"]
    assert quoted_fragments(raw, Recipe(raw="-", output="x.txt"), text) == []  # unless the recipe says so
    with pytest.raises(RecipeError, match="quoted = 'italics'"):
        quoted_fragments(raw, Recipe(raw="-", output="x.txt", quoted="italics"), text)


def test_clean_writes_the_quoted_fragments_and_check_compares_them(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    assert cli("text", "clean", "--out-dir", tmp_path).exit_code == 0
    listed = tmp_path / "will-russia-support-iran-unpacking.quoted.txt"
    assert listed.read_bytes() == (REPO / "data" / "texts" / listed.name).read_bytes()
    assert cli("text", "clean", "--check", "--out-dir", tmp_path).exit_code == 0
    listed.write_text("nothing quoted\n", encoding="utf-8")
    run = cli("text", "clean", "--check", "--out-dir", tmp_path)
    assert run.exit_code == 1 and f"{listed}: differs from what 002_2b50f72fd6f200bb.txt cleans to" in run.stderr


def test_a_claim_read_from_a_quoted_fragment_is_not_the_articles_own(cli, dataset_copy):
    source = dataset_copy / "data" / "sources" / "will-russia-support-iran-unpacking.ttl"
    text = source.read_text(encoding="utf-8")
    name = "rpd:claim-will-russia-support-iran-unpacking-practically-russia-could-support-iran-in a rp:Claim ;\n"
    start = text.index(name) + len(name)
    end = text.index("\n", start)
    claimant = text[start:end]
    assert "group-unnamed-news-sources" in claimant  # as shipped: the quoted outlets
    source.write_text(text[:start] + "    rp:claimant rpd:source-will-russia-support-iran-unpacking ;" + text[end:], encoding="utf-8")
    run = cli("--root", dataset_copy, "validate", "--format", "json")
    found = [f for f in run.json()["findings"] if f["check"] == "quote"]
    assert run.exit_code == 1 and len(found) == 1
    assert found[0]["focus"] == "rpd:claim-will-russia-support-iran-unpacking-practically-russia-could-support-iran-in"
    assert found[0]["message"].startswith('the quote lies in "“Practically, Russia could support Iran in the UN Securit..."')
    assert "(texts/will-russia-support-iran-unpacking.quoted.txt): its claimant is that speaker" in found[0]["message"]


def test_a_quotation_is_not_the_articles_own(cli, write):
    from conftest import BASE_EXAMPLE

    quoted = write("quoted.ttl", (
        "rpd:test-quoting a rp:Claim ; rp:claimant rpd:test-source ;\n"
        "    rp:claimKind rpv:assessment ; rp:stance rpv:affirms ; rp:modality rpv:certain ;\n"
        '    rp:statement "Russia will not be drawn in."@en ;\n'
        "    rp:relation rpv:supports ; rp:subject rpd:test-state-a ; rp:object rpd:test-state-b ;\n"
        "    rp:evidence [ a oa:SpecificResource ; oa:hasSource rpd:test-source ;\n"
        '        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "“Our treaty with Iran does not imply" ] ] .\n'))
    run = cli("validate", "--standalone", "--skip", "qc", BASE_EXAMPLE, quoted, "--format", "json")
    found = [(f["focus"], f["message"][:40]) for f in run.json()["findings"] if f["check"] == "quote"]
    assert found == [("rpd:test-quoting", "the quote opens a quotation (“Our treaty")]


# --- recipes name files inside their folders (regressions) --------------------------------------


@pytest.mark.parametrize("key, name", [
    ("output", "../../src/realpolitik/__init__.py"), ("output", "/etc/passwd.txt"), ("output", "notes.md"),
    ("raw", "../../../../etc/hostname"), ("raw", "sub/page.txt"),
])
def test_a_recipe_that_climbs_out_of_its_folder_is_refused(cli, tmp_path, key, name):
    raw_dir, out_dir = tmp_path / "raw", tmp_path / "texts"
    raw_dir.mkdir()
    (raw_dir / "page.txt").write_text("Title\n\nBody.\n", encoding="utf-8")
    entry = {"raw": "page.txt", "output": "page.txt", key: name}
    recipes = tmp_path / "recipes.toml"
    recipes.write_text("[[article]]\n" + "".join(f'{k} = "{v}"\n' for k, v in entry.items()), encoding="utf-8")
    before = (REPO / "src" / "realpolitik" / "__init__.py").read_bytes()
    run = cli("text", "clean", "--recipes", recipes, "--raw-dir", raw_dir, "--out-dir", out_dir)
    assert run.exit_code == 2 and not out_dir.exists()
    assert f"[[article]] number 1: {key} = '{name}':" in run.stderr
    assert (REPO / "src" / "realpolitik" / "__init__.py").read_bytes() == before


def test_a_raw_file_that_is_a_link_is_refused(cli, tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("ghp_not_a_page\n", encoding="utf-8")
    (raw_dir / "page.txt").symlink_to(secret)
    recipes = tmp_path / "recipes.toml"
    recipes.write_text('[[article]]\nraw = "page.txt"\noutput = "page.txt"\n', encoding="utf-8")
    run = cli("text", "clean", "--recipes", recipes, "--raw-dir", raw_dir, "--out-dir", tmp_path / "texts")
    assert run.exit_code == 2 and "not a regular file" in run.stderr and "ghp_" not in run.output
