"""The synthetic register: valid when clean, deterministic, and every planted defect is
reported by the check it is planted for."""

from __future__ import annotations

import json

import pytest

from realpolitik.synthetic import DEFECT_KINDS, MANIFEST, generate
from realpolitik.validation import validate


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_clean_register_validates_with_no_finding(tmp_path):
    register = generate(tmp_path / "r", sources=2)
    report = validate(root=register.root)
    assert report.findings == []
    assert report.summary["transfers"] == 92
    assert report.summary["claims"] == 100
    assert report.summary["agreements"] == report.summary["memberships"] == 2


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    one = tree(generate(tmp_path / "a", sources=2, defects=5, seed=7).root)
    two = tree(generate(tmp_path / "b", sources=2, defects=5, seed=7).root)
    assert one == two
    assert tree(generate(tmp_path / "c", sources=2, defects=5, seed=8).root) != one


# The constraint each SHACL defect breaks: a defect must be found as itself, not hidden
# behind another one on the same node.
SHACL_DEFECTS = {
    "self-transfer": ("rpsh:WeaponsTransferShape", "sh:DisjointConstraintComponent"),
    "over-delivered": ("rpsh:WeaponsTransferShape", "sh:LessThanOrEqualsConstraintComponent"),
    "dates-out-of-order": ("rpsh:DeliveryAfterOrderRule", "sh:SPARQLConstraintComponent"),
    "missing-recipient": ("rpsh:WeaponsTransferShape", "sh:MinCountConstraintComponent"),
    "wrong-vocabulary": ("rpsh:WeaponsTransferShape", "sh:InConstraintComponent"),
}


def test_every_planted_defect_is_reported_by_its_check(tmp_path):
    register = generate(tmp_path / "r", sources=3, defects=2 * len(DEFECT_KINDS))
    assert sorted({d["kind"] for d in register.defects}) == sorted(DEFECT_KINDS)
    report = validate(root=register.root)
    for defect in register.defects:
        focus = defect["focus"]
        assert any(
            f.check == defect["check"]
            and (f.file or "").endswith(defect["file"])
            and (focus is None or f.focus == focus or (f.focus or "").startswith(focus + "/"))
            and (f.check != "shacl" or (f.shape, f.component) == SHACL_DEFECTS[defect["kind"]])
            for f in report.findings
        ), defect
    transfers = [d["focus"] for d in register.defects if d["kind"] in SHACL_DEFECTS]
    assert len(transfers) == len(set(transfers)), "one defect per transfer"
    # Nothing is reported outside the files that hold a defect.
    planted_files = {d["file"] for d in register.defects}
    assert {f.file for f in report.findings} <= planted_files
    manifest = json.loads((register.root / MANIFEST).read_text())
    assert manifest["defects"] == len(register.defects) == 26
    assert sum(manifest["defects_by_kind"].values()) == 26


def test_the_command_never_replaces_a_folder_it_did_not_write(cli, tmp_path):
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    run = cli("synthetic", "--sources", "1", "--out", precious)
    assert run.exit_code == 2
    assert run.output.strip() == f"Error: {precious}: not empty and not a synthetic register; refusing to replace it"
    assert (precious / "notes.txt").read_text() == "keep me"
    assert len(list(precious.iterdir())) == 1


def test_the_command_writes_and_rewrites_a_register(cli, tmp_path):
    out = tmp_path / "register"
    first = cli("synthetic", "--triples", "2600", "--defects", "1", "--out", out)
    assert first.exit_code == 0
    assert json.loads(first.stdout)["sources"] == 2
    again = cli("synthetic", "--sources", "1", "--out", out)
    assert again.exit_code == 0
    assert len(list((out / "data" / "sources").iterdir())) == 1
    assert not list(tmp_path.glob(".register.generating-*"))
    both = cli("synthetic", "--sources", "1", "--triples", "5", "--out", out)
    assert both.exit_code == 2
    assert "give --triples or --sources, not both" in both.output
