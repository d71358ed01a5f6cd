"""realpolitik coverage and realpolitik disputes, and the personal-data guard."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PREFIXES
from realpolitik.text.sentences import split
from realpolitik.text.quotes import normalize
from realpolitik.validation.personal import find as personal_data


# --- sentences -------------------------------------------------------------------


def test_sentences_keep_abbreviations_initials_and_quotes_together():
    text = (
        "Russian President Vladimir Putin met him in Moscow, Russia, Dec. 7, 2023. Photo: Reuters\n\n"
        "“We are ready,” Shoigu stated. The U.S. and Prof. A. Smith disagreed! Did they? Yes.\n"
        "A heading\n\nLast paragraph without a stop"
    )
    sentences = split(text)
    assert [s.text for s in sentences] == [
        "Russian President Vladimir Putin met him in Moscow, Russia, Dec. 7, 2023.",
        "Photo: Reuters",
        "“We are ready,” Shoigu stated.",
        "The U.S. and Prof. A. Smith disagreed!",
        "Did they?",
        "Yes.",
        "A heading",
        "Last paragraph without a stop",
    ]
    flat = normalize(text)
    assert all(flat[s.start : s.end] == s.text for s in sentences)


# --- coverage ----------------------------------------------------------------------


def test_coverage_table_for_every_source_with_text(cli):
    run = cli("coverage", "--format", "json")
    assert run.exit_code == 0
    rows = {row["key"]: row for row in run.json()}
    assert rows
    for row in rows.values():  # the shipped sources are covered whole
        assert row["sentences"] == row["covered"] + row["no_claim"] + row["uncovered"]
        assert row["uncovered"] == 0 and row["coverage"] == 1.0


def test_coverage_of_one_source_lists_what_is_left(cli, dataset_copy):
    source = dataset_copy / "data" / "sources" / "russia-quiet-on-saving-iran.ttl"
    text = source.read_text(encoding="utf-8")
    start = text.index("rpd:claim-russia-quiet-on-saving-iran-russia-may-serve-as-a-mediator a rp:Claim")
    end = text.index("\n\n", start)
    source.write_text(text[:start] + text[end + 2 :], encoding="utf-8")
    run = cli("--root", dataset_copy, "coverage", "russia-quiet-on-saving-iran")
    assert run.exit_code == 0
    assert "1 uncovered sentence(s):" in run.stdout
    assert run.stdout.rstrip().endswith("“Russia may serve as a mediator because we have good relations with both sides,” "
                                        "Middle East expert Ilya Vedeneyev told the Russian outlet Izvestia.")
    assert cli("--root", dataset_copy, "coverage", "--min", "99").exit_code == 1
    assert cli("--root", dataset_copy, "coverage", "--min", "90").exit_code == 0


def test_coverage_of_an_unknown_source_suggests_names(cli):
    run = cli("coverage", "russia-quiet-on-saving")
    assert run.exit_code == 2
    assert "no source with text called 'russia-quiet-on-saving'; did you mean russia-quiet-on-saving-iran" in run.output


def test_coverage_accepts_curie_and_iri(cli):
    for name in ("rpd:source-russia-quiet-on-saving-iran", "https://w3id.org/realpolitik/id/source-russia-quiet-on-saving-iran"):
        run = cli("coverage", name, "--format", "json")
        assert run.exit_code == 0
        assert run.json()[0]["key"] == "russia-quiet-on-saving-iran"


# --- disputes ----------------------------------------------------------------------

DISPUTING = PREFIXES + """
rpd:claim-x-denies a rp:Claim ;
    rp:claimant rpd:person-ilya-vedeneyev ;
    rp:claimKind rpv:denial ; rp:stance rpv:denies ; rp:modality rpv:certain ;
    rp:statement "Iran did not supply the Shahed design."@en ;
    rp:supports rpd:transfer-irn-rus-drone-production-technologies ;
    rp:evidence [ a oa:SpecificResource ; oa:hasSource rpd:source-russia-quiet-on-saving-iran ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "Russia has retained its historical relationship with Israel" ] ] .
"""


def test_disputes_show_both_sides(cli, dataset_copy):
    (dataset_copy / "data" / "sources" / "zz-dispute.ttl").write_text(DISPUTING, encoding="utf-8")
    run = cli("--root", dataset_copy, "disputes", "--format", "json")
    assert run.exit_code == 0
    found = [d for d in run.json() if d["fact"] == "rpd:transfer-irn-rus-drone-production-technologies"
             and "rpd:claim-russia-quiet-on-saving-iran-iran-came-to-russias-aid-in" in (d["a"]["claim"], d["b"]["claim"])]
    assert len(found) == 1
    dispute = found[0]
    assert dispute["basis"] == "opposite stances"
    sides = {dispute["a"]["stance"]: dispute["a"], dispute["b"]["stance"]: dispute["b"]}
    assert sides["denies"]["claimant"] == "Ilya Vedeneyev"
    assert sides["affirms"]["quote"].startswith("Iran came to Russia’s aid in its war with Ukraine")
    assert sides["affirms"]["source"] == "Russia quiet on saving Iran as Trump weighs attacking Tehran"
    text = cli("--root", dataset_copy, "disputes").stdout
    assert "opposite stances on rpd:transfer-irn-rus-drone-production-technologies [structural]" in text
    assert "“Russia has retained its historical relationship with Israel”" in text


def test_explicit_contradiction_is_listed_once(cli, dataset_copy):
    body = DISPUTING.replace(
        "rp:supports rpd:transfer-irn-rus-drone-production-technologies ;",
        "rp:relation rpv:threatens ; rp:subject rpd:state-irn ; rp:object rpd:state-isr ;\n"
        "    rp:contradicts rpd:claim-russia-quiet-on-saving-iran-russia-is-one-of-irans-closest ;",
    )
    (dataset_copy / "data" / "sources" / "zz-dispute.ttl").write_text(body, encoding="utf-8")
    found = cli("--root", dataset_copy, "disputes", "--format", "json").json()
    mine = [d for d in found if "rpd:claim-x-denies" in (d["a"]["claim"], d["b"]["claim"])]
    assert [(d["basis"], d["kind"]) for d in mine] == [("contradicts", "hand-linked")]


# --- personal data -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind",
    [
        ("write to mertie.weissnat@gmail.com", "an e-mail address"),
        ("mailto:someone@example.org", "an e-mail address"),
        ("call 414-666-5875 now", "a phone number"),
        ("+44 20 7946 0958", None),  # not a North American number: left to review
        ("follow @leonora_anderson", "a social-media account"),
        ("https://instagram.com/leonora_anderson", "a social-media account"),
        ("twitter.com/leonoraanderson", "a social-media account"),
        ("Russia may serve as a mediator", None),
        ("13,000 employees, 440 involved, 2,000 registered", None),
        ("on 2025-01-17 at 10:00", None),
    ],
)
def test_personal_data_patterns(text, kind):
    assert personal_data(text) == kind


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["@", "ab", ".com/", ".me/", "instagram", "x", "t", "414", "666", "5875", "-", ".", " ",
                         "(", ")", "+1", "tel:", "mailto:", "gmail", "_", "9"]) | st.characters(),
        max_size=14,
    ).map("".join)
)
def test_one_search_for_all_kinds_finds_what_each_pattern_finds(text):
    from realpolitik.validation.personal import PATTERNS

    found = [kind for kind, pattern in PATTERNS.items() if pattern.search(text)]
    assert (personal_data(text) is None) == (not found)
    if found:
        assert personal_data(text).endswith(found[-1]) and personal_data(text).startswith(found[0])


def test_validate_refuses_personal_data_with_its_line(cli, write):
    bad = write(
        "profile.ttl",
        'rpd:person-cydney a rp:Person ; rdfs:label "Cydney"@en ;\n'
        '    rdfs:comment "Email : mertie.weissnat@gmail.com" .\n',
    )
    run = cli("validate", bad)
    assert run.exit_code == 1
    assert f'{bad}:8:18: violation: [personal] "Email : mertie.weissnat@gmail.com" holds an e-mail address' in run.stdout
