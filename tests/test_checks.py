"""The registry of checks: what the command offers and the README lists is what runs,
and a check registered for a while runs like the others, on a change too."""

from __future__ import annotations

import pytest

from conftest import BASE_EXAMPLE, REPO
from realpolitik.synthetic import generate
from realpolitik.validation import validate
from realpolitik.validation.checks.check import Check
from realpolitik.validation.checks.registry import CHECKS, extra, names
from realpolitik.validation.findings import Engine, Finding
from realpolitik.validation.output import render


def readme_checks() -> list[tuple[str, str]]:
    """(check, what it finds) of each row of the README's table of checks, backticks
    dropped."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("| check | what it finds | in detail |") + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip().replace("`", "") for cell in line.strip("|").split(" | ")]
        rows.append((cells[0], cells[1]))
    return rows


def test_the_readme_lists_the_registered_checks_in_order():
    rows = readme_checks()
    assert rows[0][0] == "syntax"  # read before any check runs
    assert rows[1:] == [(check.name, check.description) for check in CHECKS]


def test_validate_help_lists_each_check_with_its_description(cli):
    run = cli("validate", "--help")
    assert run.exit_code == 0
    for check in CHECKS:
        assert f"  {check.name:<12} {check.description}" in run.stdout
    assert "--skip [" + "|".join(check.name for check in CHECKS) + "]" in run.stdout.replace("\n", "")


def test_skip_refuses_a_name_the_registry_lacks(cli):
    run = cli("validate", "--skip", "spelling")
    assert run.exit_code == 2
    assert "'spelling' is not one of" in run.output


def each_file(context) -> list[Finding]:
    """A throwaway check: one finding at the top of every data file the context read."""
    context.engines["throwaway"] = Engine("a list comprehension")
    return [Finding("throwaway", "violation", f"read with {len(context.data_files)} data file(s)", f.display, 1, 1)
            for f in context.data_files]


THROWAWAY = Check("throwaway", "one finding per data file read", each_file)


def test_a_check_registered_for_a_while_runs_is_timed_can_be_skipped_and_reports(write):
    path = write("contribution.ttl", BASE_EXAMPLE.read_text(encoding="utf-8"), prefixes=False)
    with extra(THROWAWAY):
        assert names()[-1] == "throwaway"
        report = validate([path], standalone=True)
        skipped = validate([path], standalone=True, skip=("throwaway",))
    assert "throwaway" not in names()

    mine = [f for f in report.findings if f.check == "throwaway"]
    assert [(f.file, f.message) for f in mine] == [(str(path), "read with 1 data file(s)")]
    assert report.exit_code == 1
    assert list(report.timings)[-2:] == ["consistency", "throwaway"]
    assert report.engines["throwaway"] == Engine("a list comprehension")
    assert f"{path}:1:1: violation: [throwaway] read with 1 data file(s)" in render(report, "text").splitlines()

    assert not [f for f in skipped.findings if f.check == "throwaway"]
    assert "throwaway" not in skipped.timings and "throwaway" not in skipped.engines
    assert skipped.findings == [f for f in report.findings if f.check != "throwaway"]


def test_a_registered_check_runs_on_a_change_and_keeps_what_the_change_answers_for(tmp_path):
    register = generate(tmp_path / "r", sources=2)
    path = register.root / "data" / "sources" / "synthetic-register-part-00000.ttl"
    with extra(THROWAWAY):
        full = validate(root=register.root)
        changed = validate([path], root=register.root, changed=True)
    read_in_full = {f.file for f in full.findings if f.check == "throwaway"}
    assert len(read_in_full) > 1 and changed.files[0] in read_in_full
    # The change's context read fewer files; of its findings, those in the changed file stay.
    assert [f.file for f in changed.findings if f.check == "throwaway"] == changed.files
    assert "throwaway" in changed.timings


def test_a_name_registered_already_is_refused():
    with pytest.raises(ValueError, match="'qc' is registered already"):
        with extra(Check("qc", "another qc", each_file)):
            pass
    assert names() == tuple(check.name for check in CHECKS)
