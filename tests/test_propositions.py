"""Claims that say something (docs/claims.md): disagreements found from the structure
of propositions, values derived from the claims, consensus counted at the origin."""

from __future__ import annotations

import shutil

import pytest

from conftest import BASE_EXAMPLE, PREFIXES, REPO

QUOTE = "Aside from Putin, opinion within Russia is divided."


def claim(name: str, body: str, stance: str = "affirms", claimant: str = "rpd:test-source") -> str:
    """A whole claim of the test source, with ``body`` for its proposition."""
    return (
        f"rpd:{name} a rp:Claim ; rp:claimant {claimant} ;\n"
        f"    rp:claimKind rpv:assessment ; rp:stance rpv:{stance} ; rp:modality rpv:certain ;\n"
        f'    rp:statement "{name}"@en ; {body} ;\n'
        f"    rp:evidence [ a oa:SpecificResource ; oa:hasSource rpd:test-source ;\n"
        f'        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{QUOTE}" ] ] .\n'
    )


def relation(rel: str, subject: str = "rpd:test-state-a", objects: str = "rpd:test-state-b", extra: str = "") -> str:
    return f"rp:relation rpv:{rel} ; rp:subject {subject} ; rp:object {objects}{extra}"


TRANSFER = (
    "rpd:test-transfer a rp:WeaponsTransfer ; rp:supplier rpd:test-state-a ; rp:recipient rpd:test-state-b ;\n"
    '    rp:itemDescription "fighter jets"@en ; rp:weaponCategory rpv:aircraft ; rp:transferStatus rpv:{status} .\n'
)


@pytest.fixture
def root(tmp_path):
    """A dataset of the shape examples' base and one file of claims, to run commands on."""

    def make(body: str):
        folder = tmp_path / "dataset"
        if folder.exists():
            shutil.rmtree(folder)
        for part in ("ontology", "shapes"):
            shutil.copytree(REPO / part, folder / part)
        (folder / "data" / "texts").mkdir(parents=True)
        shutil.copy(REPO / "data" / "texts" / "russia-quiet-on-saving-iran.txt", folder / "data" / "texts")
        shutil.copy(BASE_EXAMPLE, folder / "data" / "base.ttl")
        (folder / "data" / "claims.ttl").write_text(PREFIXES + body, encoding="utf-8")
        return folder

    return make


def grounds(cli, folder) -> dict:
    run = cli("--root", folder, "disputes", "--format", "json")
    assert run.exit_code == 0, run.output
    return {(d["a"]["claim"], d["b"]["claim"]): (d["basis"], d["kind"]) for d in run.json()}


def qc(cli, folder) -> list[tuple]:
    run = cli("--root", folder, "validate", "--format", "json")
    return sorted((f["focus"], f["message"]) for f in run.json()["findings"] if f["check"] == "qc")


# --- disagreement from structure -----------------------------------------------------------


def test_opposite_stances_on_one_proposition_disagree(cli, root):
    folder = root(claim("test-c1", relation("commits-to-defend")) + claim("test-c2", relation("commits-to-defend"), "denies"))
    assert grounds(cli, folder) == {("rpd:test-c1", "rpd:test-c2"): ("opposite stances", "structural")}


def test_a_symmetric_relation_is_the_same_either_way_round(cli, root):
    folder = root(claim("test-c1", relation("aligned-with"))
                  + claim("test-c2", relation("aligned-with", "rpd:test-state-b", "rpd:test-state-a"), "denies")
                  + claim("test-c3", relation("supports", "rpd:test-state-b", "rpd:test-state-a"), "denies"))
    # supports is not symmetric: test-c3 speaks of B supporting A, which nobody affirms.
    assert grounds(cli, folder) == {("rpd:test-c1", "rpd:test-c2"): ("opposite stances", "structural")}


def test_other_qualifiers_or_objects_make_another_proposition(cli, root):
    folder = root(claim("test-c1", relation("supports-militarily", extra=" ; rp:scale rpv:limited"))
                  + claim("test-c2", relation("supports-militarily"), "denies")
                  + claim("test-c3", relation("supports-militarily", objects="rpd:test-org"), "denies"))
    assert grounds(cli, folder) == {}


def test_a_narrower_kind_affirmed_disagrees_with_the_broader_kind_denied(cli, root):
    kind = " ; rp:relationshipKind rpv:{}"
    folder = root(claim("test-c1", relation("has-relationship", extra=kind.format("transactional")), "denies")
                  + claim("test-c2", relation("has-relationship", extra=kind.format("alliance-of-convenience")))
                  + claim("test-c3", relation("has-relationship", extra=kind.format("alliance-of-convenience")), "denies")
                  + claim("test-c4", relation("has-relationship", extra=kind.format("transactional"))))
    # An alliance of convenience is transactional: denying that, and affirming it, disagree;
    # denying the narrower kind says nothing against the broader one.
    assert grounds(cli, folder) == {
        ("rpd:test-c1", "rpd:test-c2"): ("opposite stances", "structural"),
        ("rpd:test-c1", "rpd:test-c4"): ("opposite stances", "structural"),
        ("rpd:test-c2", "rpd:test-c3"): ("opposite stances", "structural"),
    }


def test_incompatible_values_of_one_transfer_disagree(cli, root):
    folder = root(TRANSFER.format(status="disputed")
                  + claim("test-c1", "rp:supports rpd:test-transfer ; rp:claimedStatus rpv:delivered")
                  + claim("test-c2", "rp:supports rpd:test-transfer ; rp:claimedStatus rpv:declined"))
    assert grounds(cli, folder) == {("rpd:test-c1", "rpd:test-c2"): ("incompatible values", "structural")}


def test_a_denial_agrees_with_a_refusal_and_disagrees_with_a_delivery(cli, root):
    folder = root(TRANSFER.format(status="disputed")
                  + claim("test-c1", "rp:supports rpd:test-transfer ; rp:claimedStatus rpv:declined")
                  + claim("test-c2", "rp:supports rpd:test-transfer", "denies")
                  + claim("test-c3", "rp:supports rpd:test-transfer ; rp:claimedStatus rpv:delivered"))
    assert grounds(cli, folder) == {
        ("rpd:test-c1", "rpd:test-c3"): ("incompatible values", "structural"),
        ("rpd:test-c2", "rpd:test-c3"): ("opposite stances", "structural"),
    }


def test_judgements_of_one_object_disagree_whoever_judges(cli, root):
    context = " ; rp:inContextOf rpd:test-war"
    folder = root('rpd:test-war a rp:ArmedConflict ; rdfs:label "Test war"@en ; rp:belligerent rpd:test-state-a .\n'
                  + claim("test-war-claim", "rp:supports rpd:test-war")
                  + claim("test-c1", relation("approves-of", "rpd:test-person-a", "rpd:test-state-a", context))
                  + claim("test-c2", relation("disapproves-of", "rpd:test-person-b", "rpd:test-state-a", context))
                  + claim("test-c3", relation("disapproves-of", "rpd:test-person-b", "rpd:test-state-a")))
    # test-c3 judges outside the war: another question.
    assert grounds(cli, folder) == {("rpd:test-c1", "rpd:test-c2"): ("incompatible relations", "structural")}


def test_a_hand_link_the_structure_implies_is_both_and_a_finding(cli, root):
    folder = root(claim("test-c1", relation("distrusts") + " ; rp:contradicts rpd:test-c2")
                  + claim("test-c2", relation("distrusts"), "denies")
                  + claim("test-c3", relation("depends-on") + " ; rp:contradicts rpd:test-c1 ; "
                          'rp:contradictionReason "Dependence and distrust cannot be coded against each other."@en'))
    assert grounds(cli, folder) == {
        ("rpd:test-c1", "rpd:test-c2"): ("contradicts + opposite stances", "both"),
        ("rpd:test-c1", "rpd:test-c3"): ("contradicts", "hand-linked"),
    }
    assert qc(cli, folder) == [("rpd:test-c1", "rp:contradicts rpd:test-c2: the structure already says so "
                                "(opposite stances); drop the hand link (redundant-contradiction)")]


def test_a_corroboration_between_claims_that_disagree_is_a_finding(cli, root):
    folder = root(claim("test-c1", relation("distrusts") + " ; rp:corroborates rpd:test-c2")
                  + claim("test-c2", relation("distrusts"), "denies"))
    assert qc(cli, folder) == [("rpd:test-c1", "rp:corroborates rpd:test-c2, but they disagree: opposite stances "
                                "(corroborates-a-dispute)")]


def test_disputes_says_which_kind_each_is(cli, root):
    folder = root(claim("test-c1", relation("distrusts")) + claim("test-c2", relation("distrusts"), "denies"))
    run = cli("--root", folder, "disputes")
    assert run.exit_code == 0
    assert "1. opposite stances on rpv:distrusts [structural]" in run.stdout
    assert run.stdout.strip().splitlines()[-1] == "1 dispute(s): 1 structural, 0 hand-linked, 0 both"


# --- values derived from the claims -----------------------------------------------------------


@pytest.mark.parametrize("written, claimed, finding", [
    ("delivered", ["delivered"], None),
    ("delivered", ["delivered", "reported"], None),  # compatible values: either
    ("ordered", ["delivered"], "rp:transferStatus is ordered, but its claims make it delivered: the value its claims assert"),
    ("disputed", ["delivered"], "rp:transferStatus is disputed, but its claims make it delivered: the value its claims assert"),
    ("delivered", ["delivered", "declined"],
     "rp:transferStatus is delivered, but its claims make it disputed: its claims disagree (realpolitik disputes)"),
    ("disputed", ["delivered", "declined"], None),
])
def test_a_transfer_status_is_what_its_claims_make_it(cli, root, written, claimed, finding):
    body = TRANSFER.format(status=written) + "".join(
        claim(f"test-c{i}", f"rp:supports rpd:test-transfer ; rp:claimedStatus rpv:{value}") for i, value in enumerate(claimed))
    expected = [("rpd:test-transfer", finding + " (derived-value)")] if finding else []
    assert qc(cli, root(body)) == expected


AGREEMENT = (
    'rpd:test-pact a rp:Agreement ; rdfs:label "Test pact"@en ; rp:party rpd:test-state-a , rpd:test-state-b ;\n'
    "    rp:agreementType rpv:treaty{extra} .\n"
    'rpd:test-defence a rp:Obligation ; rdfs:label "Test pact: defence"@en ; rp:obligationOf rpd:test-pact ;\n'
    "    rp:obligationType rpv:defence-obligation ; rp:obligedParty rpd:test-state-a , rpd:test-state-b .\n"
)


@pytest.mark.parametrize("written, stances, finding", [
    ("false", ["denies"], None),
    ("true", ["affirms"], None),
    (None, ["affirms", "denies"], None),
    ("true", ["denies"], "rp:isMutualDefence is true, but its claims make it false: its defence obligation is denied and affirmed by no claim"),
    ("false", ["affirms", "denies"], "rp:isMutualDefence is false, but its claims make it left out: claims affirm and deny its defence obligation"),
    (None, ["affirms"], "rp:isMutualDefence is absent, but its claims make it true: a defence obligation binding two or more parties, affirmed and denied by no claim"),
])
def test_mutual_defence_is_derived_from_the_obligations(cli, root, written, stances, finding):
    extra = f" ; rp:isMutualDefence {written}" if written else ""
    body = AGREEMENT.format(extra=extra) + claim("test-pact-claim", "rp:supports rpd:test-pact") + "".join(
        claim(f"test-c{i}", "rp:supports rpd:test-defence", stance) for i, stance in enumerate(stances))
    expected = [("rpd:test-pact", finding + " (derived-value)")] if finding else []
    assert qc(cli, root(body)) == expected


# --- consensus -----------------------------------------------------------------------------------


def test_consensus_counts_each_origin_once(cli, root):
    folder = root(
        'rpd:test-copy a rp:Article ; rdfs:label "A republication"@en ; rp:republicationOf rpd:test-source .\n'
        + claim("test-c1", relation("distrusts")) + claim("test-c2", relation("distrusts"))
        + claim("test-c3", relation("distrusts"), claimant="rpd:test-copy")
        + claim("test-c4", relation("distrusts"), "denies", claimant="rpd:test-person-a")
        + claim("test-c5", relation("distrusts", extra=" ; rp:scale rpv:limited"), claimant="rpd:test-person-b"))
    run = cli("--root", folder, "query", "consensus", "--relation", "distrusts", "--format", "json")
    assert run.exit_code == 0, run.output
    rows = [{k: v["value"] for k, v in b.items()} for b in run.json()["results"]["bindings"]]
    assert [(r["subjectName"], r["objectName"], r.get("scaleName", ""), r["affirming"], r["denying"], r["claims"])
            for r in rows] == [("State A", "State B", "", "1", "1", "4"), ("State A", "State B", "limited", "1", "0", "1")]


# --- the README's questions ---------------------------------------------------------------


def readme_questions() -> list[str]:
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sparql\n(.*?)```", text, flags=re.S)


def test_the_readme_asks_its_questions_in_sparql():
    assert len(readme_questions()) >= 5


@pytest.mark.parametrize("number", range(len(readme_questions())))
def test_each_readme_question_has_a_structural_answer_with_its_evidence(number):
    """Rows from properties and vocabularies alone, each with who said it and the quote."""
    from realpolitik.querying import run_sparql
    from realpolitik.querying.results import rows_as_dicts

    query = readme_questions()[number]
    assert "rp:statement" not in query and "REGEX" not in query.upper()
    rows = rows_as_dicts(run_sparql(query))
    assert rows
    for row in rows:
        quotes = [v for k, v in row.items() if k.lower().endswith("quote")]
        names = [v for k, v in row.items() if k.endswith("Name")]
        assert quotes and all(quotes) and all(names), row


# --- the truthy graph of a release ----------------------------------------------------------


def truthy(cli, folder, tmp_path) -> set:
    import pyoxigraph as ox

    out = tmp_path / "dist"
    run = cli("--root", folder, "build", "--out", out, "--no-reasoning")
    assert run.exit_code == 0, run.output
    return {(str(q.subject), str(q.predicate), str(q.object))
            for q in ox.parse(path=str(out / "realpolitik-truthy.nt"), format=ox.RdfFormat.N_TRIPLES)}


RPD_ = "<https://w3id.org/realpolitik/id/"
RP_ = "<https://w3id.org/realpolitik/ontology#"


def test_truthy_states_what_no_source_disputes_and_marks_the_rest(cli, root, tmp_path):
    folder = root(
        TRANSFER.format(status="disputed").replace("test-transfer", "test-contested")
        + TRANSFER.format(status="delivered")
        + claim("test-c1", "rp:supports rpd:test-contested ; rp:claimedStatus rpv:delivered")
        + claim("test-c2", "rp:supports rpd:test-contested ; rp:claimedStatus rpv:declined")
        + claim("test-c3", "rp:supports rpd:test-transfer ; rp:claimedStatus rpv:delivered")
        + claim("test-c4", relation("commits-to-defend"))
        + claim("test-c5", relation("distrusts")) + claim("test-c6", relation("distrusts"), "denies")
        + claim("test-c7", relation("threatens"), "denies"))
    found = truthy(cli, folder, tmp_path)
    subjects = {s for s, _, _ in found}
    # Undisputed: the transfer's own statements and the affirmed relation, as plain triples.
    assert (f"{RPD_}test-transfer>", f"{RP_}transferStatus>", "<https://w3id.org/realpolitik/vocab/delivered>") in found
    assert (f"{RPD_}test-state-a>", "<https://w3id.org/realpolitik/truthy/commits-to-defend>", f"{RPD_}test-state-b>") in found
    # Disputed: the fact with each side, the proposition as a node with its sides.
    assert {(f"{RPD_}test-contested>", f"{RP_}disputedBy>", f"{RPD_}{c}>") for c in ("test-c1", "test-c2")} <= found
    sides = {o for s, p, o in found if p == f"{RP_}disputedBy>" and s.startswith("_:")}
    assert sides == {f"{RPD_}test-c5>", f"{RPD_}test-c6>"}
    assert not any("truthy/distrusts" in p for _, p, _ in found)
    # Only denied: no negative in the truthy graph. And no claim is in it.
    assert not any("truthy/threatens" in p for _, p, _ in found)
    assert not subjects & {f"{RPD_}test-c{i}>" for i in range(1, 8)}
