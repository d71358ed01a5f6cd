"""realpolitik validate, as a user runs it: exit codes, file:line:column, every check,
every output format."""

from __future__ import annotations

import json

import pytest

from conftest import BASE_EXAMPLE, PREFIXES

CLAIM = """
rpd:claim-x a rp:Claim ;
    rp:claimant rpd:source-russia-quiet-on-saving-iran ;
    rp:claimKind rpv:assessment ; rp:stance rpv:affirms ; rp:modality rpv:certain ;
    rp:statement "x"@en ;
    rp:about rpd:state-rus ; rp:relation rpv:supports ; rp:subject rpd:state-rus ; rp:object rpd:state-irn ;
    rp:evidence [ a oa:SpecificResource ; oa:hasSource rpd:source-russia-quiet-on-saving-iran ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {quote} ] ] .
"""


# --- The shipped dataset -------------------------------------------------------


def test_shipped_dataset_conforms_with_a_summary(cli):
    run = cli("validate")
    assert run.exit_code == 0, run.output
    lines = run.stdout.splitlines()
    assert lines[-1] == "conforms: 0 violation(s), 0 warning(s)"
    assert " claims, " in lines[-2] and " transfers, " in lines[-2]


def test_runs_from_any_folder(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "--format", "json")
    assert run.exit_code == 0
    report = run.json()
    assert report["conforms"] is True
    assert report["summary"]["claims"] > 0
    assert all(not name.startswith("/") for name in report["files"])  # relative to the dataset


# --- Exit code 2: input errors --------------------------------------------------


@pytest.mark.parametrize(
    "body, line, column, message",
    [
        ("rpd:a rdfs:label <http://example.org/a b> .\n", 7, 18, "Invalid IRI code point ' '"),
        ('rpd:a rp:quantityOrdered "abc"^^xsd:integer .\n', 7, 26, '"abc" is not a valid xsd:integer'),
        ('rpd:a rp:date "2024-13-45"^^xsd:date .\n', 7, 15, '"2024-13-45" is not a valid xsd:date'),
        ('rpd:a rp:date "2025-02-29"^^xsd:date .\n', 7, 15, "month 2 has no day 29"),
        ('rpd:a rp:date "2025-6"^^xsd:gYearMonth .\n', 7, 15, "not a valid xsd:gYearMonth"),
        ('rpd:a rp:isMutualDefence "yes"^^xsd:boolean .\n', 7, 26, "not a valid xsd:boolean"),
        ("rpd:a rdfs:label foo:bar .\n", 7, 18, "The prefix foo: has not been declared"),
        ("rpd:a rdfs:label \"x\"@en-- .\n", 7, 26, "base directions"),
        ("rpd:a rdfs:label \"unterminated .\n", 7, 18, ""),
        ("rpd:a rdfs:label rpd:b\n", 8, 1, "Unexpected end"),
    ],
)
def test_broken_input_exits_2_with_file_line_and_column(cli, write, body, line, column, message):
    bad = write("bad.ttl", body)
    run = cli("validate", bad)
    assert run.exit_code == 2
    first = run.stdout.splitlines()[0]
    assert first.startswith(f"{bad}:{line}:")
    if column:
        assert first.startswith(f"{bad}:{line}:{column}: error: [syntax]")
    assert message in first
    assert "Traceback" not in run.output


def test_missing_file_exits_2(cli, tmp_path):
    run = cli("validate", tmp_path / "nope.ttl")
    assert run.exit_code == 2
    assert f"{tmp_path / 'nope.ttl'}: error: [syntax] no such file" in run.stdout


def test_not_utf8_exits_2(cli, tmp_path):
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes('@prefix ex: <http://example.org/> .\nex:a ex:b "Tehr\xe2n" .\n'.encode("latin-1"))
    run = cli("validate", bad)
    assert run.exit_code == 2
    assert f"{bad}:2:16: error: [syntax] not UTF-8 (byte 0xe2)" in run.stdout


def test_usage_errors_exit_2(cli):
    assert cli("validate", "--format", "xml").exit_code == 2
    assert cli("validate", "--standalone").exit_code == 2
    assert cli("validate", "--no-such-option").exit_code == 2


def test_a_root_that_is_not_a_dataset_exits_2(cli, tmp_path):
    run = cli("--root", tmp_path, "validate")
    assert run.exit_code == 2
    assert "not a realpolitik dataset" in run.output
    assert "Traceback" not in run.output


# --- Exit code 1: violations, each check ------------------------------------------------


def test_misspelt_ontology_term_is_named_with_a_suggestion(cli, write):
    bad = write("typo.ttl", "rpd:transfer-x rp:suplier rpd:state-rus .\n")
    run = cli("validate", bad)
    assert run.exit_code == 1
    assert f"{bad}:7:16: violation: [term] rp:suplier is not a term of the ontology (did you mean rp:supplier?)" in run.stdout


def test_misspelt_standard_term_is_caught(cli, write):
    bad = write("typo.ttl", "rpd:state-rus rdfs:lable \"Russia\"@en .\n")
    run = cli("validate", bad)
    assert run.exit_code == 1
    assert "rdfs:lable is not a term of http://www.w3.org/2000/01/rdf-schema#" in run.stdout


def test_iri_used_but_never_described(cli, write):
    bad = write("dangling.ttl", CLAIM.replace("rp:about rpd:state-rus", "rp:about rpd:state-xyz").format(
        quote='"Russia is one of Iran’s closest partners"'))
    run = cli("validate", bad)
    assert run.exit_code == 1
    assert "rpd:state-xyz is used but never described" in run.stdout
    assert f"{bad}:12:14:" in run.stdout


def test_an_iri_described_in_two_files_collides(cli, write):
    bad = write("again.ttl", 'rpd:state-irn a rp:State ; rdfs:label "Iran"@en ; rp:isoCode "IRN" .\n')
    run = cli("validate", bad)
    assert run.exit_code == 1
    assert "rpd:state-irn is already described in data/shared/states.ttl" in run.stdout


def test_quote_missing_from_its_source(cli, write):
    bad = write("quote.ttl", CLAIM.format(quote='"Russia will defend Iran"'))
    run = cli("validate", bad, "--format", "json")
    assert run.exit_code == 1
    [finding] = run.json()["findings"]
    assert finding["check"] == "quote"
    assert finding["message"] == 'quote "Russia will defend Iran" does not occur in the text of rpd:source-russia-quiet-on-saving-iran'
    assert (finding["line"], finding["focus"]) == (14, "rpd:claim-x/rp:evidence/oa:hasSelector")


SOURCE = "rpd:source-russia-quiet-on-saving-iran"


@pytest.mark.parametrize(
    "selector, severity, message",
    [
        ('"Iran’s closest" ; oa:prefix "Russia is one of"', None, None),
        ('"Iran’s closest" ; oa:prefix "Moscow is one of"', "violation",
         f'quote "Iran’s closest" occurs in {SOURCE}, but not with its oa:prefix/oa:suffix'),
        ('"Iran will win" ; oa:suffix "the war"', "violation", f'quote "Iran will win" does not occur in the text of {SOURCE}'),
        ('"Iran’s closest"', None, None),
        ('"Iran"', "warning", f'quote "Iran" occurs 32 times in {SOURCE}; add oa:prefix or oa:suffix to say which'),
    ],
)
def test_a_quote_with_its_prefix_and_suffix(cli, write, selector, severity, message):
    run = cli("validate", write("quote.ttl", CLAIM.format(quote=selector)), "--format", "json")
    found = [(f["severity"], f["message"]) for f in run.json()["findings"]]
    assert found == ([] if message is None else [(severity, message)])
    assert run.exit_code == (1 if severity == "violation" else 0)


def test_quotes_match_across_line_breaks_and_no_break_spaces(cli, write):
    quote = '"""Russia is one of Iran’s\n   closest\u00a0partners"""'
    ok = write("quote.ttl", CLAIM.format(quote=quote))
    run = cli("validate", ok)
    assert run.exit_code == 0, run.stdout


def test_quote_that_belongs_to_another_source_says_which(cli, dataset_copy, write):
    texts = dataset_copy / "data" / "texts"
    (texts / "other.txt").write_text("Moscow will never defend Tehran.\n", encoding="utf-8")
    import hashlib

    digest = hashlib.sha256((texts / "other.txt").read_bytes()).hexdigest()
    extra = write(
        "other.ttl",
        f'rpd:source-other a rp:Article ; rdfs:label "Other"@en ; rp:title "Other" ;\n'
        f'    rp:textFile "texts/other.txt" ; rp:textSha256 "{digest}" .\n'
        + CLAIM.format(quote='"Moscow will never defend Tehran"'),
    )
    run = cli("--root", dataset_copy, "validate", extra)
    assert run.exit_code == 1
    assert "does not occur in the text of rpd:source-russia-quiet-on-saving-iran (it occurs in rpd:source-other)" in run.stdout


def test_changed_source_text_fails_its_checksum(cli, dataset_copy):
    text = dataset_copy / "data" / "texts" / "russia-quiet-on-saving-iran.txt"
    text.write_text(text.read_text(encoding="utf-8") + "Added.\n", encoding="utf-8")
    run = cli("--root", dataset_copy, "validate")
    assert run.exit_code == 1
    assert 'text "texts/russia-quiet-on-saving-iran.txt" has SHA-256' in run.stdout


def test_owl_inconsistency_is_found(cli, write):
    bad = write("both.ttl", 'rpd:person-x a rp:Person , rp:Place ; rdfs:label "X"@en .\n')
    run = cli("validate", bad, "--format", "json")
    assert run.exit_code == 1
    consistency = [f for f in run.json()["findings"] if f["check"] == "consistency"]
    assert consistency == [
        {
            "check": "consistency",
            "severity": "violation",
            "message": "OWL inconsistency: Disjoint classes rp:Actor and rp:Place have a common individual rpd:person-x",
            "file": str(bad),
            "line": 7,
            "column": 1,
            "focus": "rpd:person-x",
        }
    ]


def test_skip_leaves_a_check_out(cli, write):
    bad = write("typo.ttl", 'rpd:org-x a rp:Organization ; rdfs:label "X"@en ; rp:suplier rpd:state-irn .\n')
    assert cli("validate", bad, "--skip", "qc").exit_code == 1
    assert cli("validate", bad, "--skip", "qc", "--skip", "term").exit_code == 0


def test_warnings_alone_do_not_fail(cli, write):
    state = write(
        "state.ttl",
        'rpd:state-zzz a rp:State ; rdfs:label "Zedland"@en ; rp:isoCode "ZZZ" .\n',
    )
    run = cli("validate", state, "--skip", "qc")  # alone, the state is an orphan: not this test's point
    assert run.exit_code == 0
    assert "warning: [shacl] rpd:state-zzz rp:wikidata: A state should be aligned to Wikidata" in run.stdout
    assert run.stdout.splitlines()[-1] == "conforms: 0 violation(s), 1 warning(s)"


def test_folders_are_validated_file_by_file(cli, tmp_path):
    folder = tmp_path / "contribution"
    folder.mkdir()
    (folder / "a.ttl").write_text(BASE_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "notes.txt").write_text("not turtle", encoding="utf-8")
    run = cli("validate", "--standalone", folder, "--format", "json")
    assert run.exit_code == 0
    assert run.json()["files"] == [str(folder / "a.ttl")]


# --- Output formats -----------------------------------------------------------


def test_json_report_shape(cli, write):
    bad = write("typo.ttl", "rpd:state-rus rp:suplier rpd:state-irn .\n")
    report = cli("validate", bad, "--format", "json").json()
    assert report["conforms"] is False and report["exit_code"] == 1
    assert report["counts"] == {"error": 0, "violation": 1, "warning": 0, "info": 0}
    assert report["findings"][0]["file"] == str(bad)


def test_github_annotations(cli, write):
    bad = write("typo.ttl", "rpd:state-rus rp:suplier rpd:state-irn .\n")
    run = cli("validate", bad, "--format", "github")
    assert run.exit_code == 1
    first = run.stdout.splitlines()[0]
    assert first == (
        f"::error file={bad},line=7,col=15,title=realpolitik term::"
        "rp:suplier is not a term of the ontology (did you mean rp:supplier?)"
    )


def test_github_annotations_escape_their_properties(cli, tmp_path):
    bad = tmp_path / "a,b:c.ttl"
    bad.write_text("@prefix ex: <http://ex/> .\nex:a ex:b <http://ex/a b> .\n", encoding="utf-8")
    run = cli("validate", bad, "--format", "github")
    assert run.exit_code == 2
    assert run.stdout.startswith(f"::error file={str(bad).replace(':', '%3A').replace(',', '%2C')},line=2,col=11,")


def test_python_api_gives_the_same_report():
    import realpolitik

    report = realpolitik.validate()
    assert report.conforms and report.exit_code == 0
    assert report.summary["claims"] == json.loads(json.dumps(report.summary))["claims"]


def test_validation_reads_each_file_once(monkeypatch):
    """The store SHACL runs on is filled from the same parse as the graphs."""
    from realpolitik import inputs
    from realpolitik.validation import validate

    reads = []
    read_regular = inputs.read_regular  # how every input file is read (no symlinks, bounded)

    def counted(path, *args, **kwargs):
        reads.append(str(path))
        return read_regular(path, *args, **kwargs)

    monkeypatch.setattr(inputs, "read_regular", counted)
    report = validate()
    turtle = [name for name in reads if name.endswith(".ttl")]
    assert report.exit_code == 0 and report.files
    assert len(turtle) == len(set(turtle)) > len(report.files)


def test_the_command_ends_its_process_once_its_output_is_out(tmp_path):
    """Run as a command, validate leaves its objects to the end of the process (no
    teardown): the report is whole, the exit code right, and no exit handler runs."""
    import subprocess
    import sys

    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + "rpd:state-rus rp:suplier rpd:state-irn .\n", encoding="utf-8")
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('exit handler ran'))\n"
        "from realpolitik.cli import run\n"
        f"sys.argv = ['realpolitik', 'validate', '--format', 'json', {str(bad)!r}]\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["exit_code"] == 1 and report["counts"]["violation"] >= 1
    assert "exit handler ran" not in done.stderr


def test_under_a_test_runner_the_command_exits_as_usual(cli):
    import gc

    run = cli("validate", "--format", "json")
    assert run.exit_code == 0 and run.json()["conforms"] is True
    assert gc.isenabled()
