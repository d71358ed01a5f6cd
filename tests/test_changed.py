"""validate --changed: the findings for the nodes a change can affect are those of a
full run, for a file with defects, a clean one, a shared one, and a deleted claim."""

from __future__ import annotations

import json

import pytest

from realpolitik.synthetic import DEFECT_KINDS, generate
from realpolitik.validation import validate
from realpolitik.validation.changed import affected


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("changed") / "r", sources=4, defects=2 * len(DEFECT_KINDS))


def _nodes(report):
    return {f.focus for f in report.findings if f.focus}


@pytest.mark.parametrize("part", [0, 1, 2, 3])
def test_a_changed_source_file_gets_the_full_runs_findings_for_its_nodes(register, part):
    path = register.root / "data" / "sources" / f"synthetic-register-part-{part:05d}.ttl"
    changed = validate([path], root=register.root, changed=True)
    full = validate(root=register.root)
    display = changed.files[0]
    # Everything the full run says about this file's own statements, the change run says too.
    in_file = [f for f in full.findings if f.file == display]
    assert [f for f in changed.findings if f.file == display] == in_file
    # And nothing the full run does not say.
    assert all(f in full.findings for f in changed.findings)
    planted = [d for d in register.defects if d["file"].endswith(path.name)]
    for defect in planted:
        assert any(f.check == defect["check"] for f in changed.findings), defect


def test_deleting_the_only_claim_of_a_fact_is_caught_in_the_file_that_held_it(tmp_path):
    register = generate(tmp_path / "r", sources=2)
    path = register.root / "data" / "sources" / "synthetic-register-part-00000.ttl"
    assert validate([path], root=register.root, changed=True).findings == []  # fills the cache
    text = path.read_text(encoding="utf-8")
    claim = text.index("rp:supports")
    start = text.rfind("\n\n", 0, claim) + 2
    end = text.index("\n\n", claim)
    path.write_text(text[:start] + text[end + 2 :], encoding="utf-8")
    changed = validate([path], root=register.root, changed=True)
    full = validate(root=register.root)
    assert changed.findings and changed.findings == [f for f in full.findings if f in changed.findings]
    assert {f.check for f in changed.findings} >= {"shacl"}
    assert sorted(map(repr, changed.findings)) == sorted(
        map(repr, [f for f in full.findings if f.focus in _nodes(changed) or f.file in changed.files])
    )


def test_a_file_outside_the_data_folder_is_refused(cli, tmp_path):
    stray = tmp_path / "x.ttl"
    stray.write_text("", encoding="utf-8")
    run = cli("validate", "--changed", str(stray), "--format", "json")
    assert run.exit_code == 2
    report = json.loads(run.output)
    assert [f["message"] for f in report["findings"]] == ["not a data file of the dataset (a .ttl file under data/)"]


def test_changed_needs_files(cli):
    run = cli("validate", "--changed")
    assert run.exit_code == 2
    assert "--changed needs PATHS" in run.output
