"""A data file says what is its own to say: not the schema, not another file's node
(beyond what the shapes allow), not what another file already says; and reasoning stays
within a budget proportional to its input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import PREFIXES
from realpolitik import reasoning

SKIP = ["--skip", "qc", "--skip", "quote", "--skip", "shacl"]
MORE = "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
FIRST = len((PREFIXES + MORE).splitlines()) + 1  # the line a test's first statement is on


def ownership(run) -> list[str]:
    """The ownership findings, as `where: message` lines."""
    return [line for line in run.stdout.splitlines() if "[ownership]" in line]


@pytest.mark.parametrize(
    "body, message",
    [
        ("owl:Thing rdfs:subClassOf owl:Nothing .", "owl:Thing is defined by the ontology: a data file may not add to it"),
        ("rp:supplier rdfs:domain rp:Person .", "rp:supplier is defined by the ontology"),
        ("rpv:affirms skos:broader rpv:denies .", "rpv:affirms is defined by the ontology"),
        ("rpd:state-irn owl:sameAs rpd:state-isr .", "owl:sameAs would make rpd:state-irn and rpd:state-isr one"),
        ("rpd:x a rp:State ; owl:equivalentClass rp:Person .", "owl:equivalentClass would make rpd:x and rp:Person one"),
        ("<http://example.org/c> rdfs:subClassOf rp:State .", "rdfs:subClassOf is schema vocabulary"),
        ("rpd:p a owl:TransitiveProperty .", "typing rpd:p as owl:TransitiveProperty declares schema"),
    ],
)
def test_a_data_file_may_not_speak_about_the_schema(cli, write, body, message):
    path = write("schema.ttl", MORE + body + "\n")
    run = cli("validate", *SKIP, path)
    found = ownership(run)
    assert run.exit_code == 1, run.stdout
    assert len(found) == 1 and message in found[0], run.stdout
    assert found[0].startswith(f"{path}:{FIRST}:")


def test_a_redefined_ontology_is_not_reasoned_over_and_blames_only_the_contribution(cli, write, monkeypatch):
    def reference(*_):
        raise AssertionError("the reference reasoner ran on a redefined ontology")

    monkeypatch.setattr(reasoning, "reference", reference)
    path = write("redefine.ttl", MORE + "owl:Thing rdfs:subClassOf owl:Nothing .\nrp:supplier rdfs:domain rp:Person .\n")
    run = cli("validate", path)
    assert run.exit_code == 1
    blamed = {line.split(":")[0] for line in run.stdout.splitlines() if ": violation: " in line}
    assert blamed == {str(path)}, run.stdout


def test_a_claimant_grafted_onto_another_sources_claim_is_reported_where_it_is_written(cli, write):
    claim = _a_claim_of_another_file()
    path = write("graft.ttl", f"{MORE}<{claim}> rp:claimant rpd:state-isr ;\n    rp:stance rpv:denies .\n")
    run = cli("validate", *SKIP, path)
    found = ownership(run)
    assert run.exit_code == 1
    assert [line.split(": violation")[0] for line in found] == [f"{path}:{FIRST}:{len(claim) + 4}", f"{path}:{FIRST + 1}:5"]
    assert all("another file may add only rp:" in line and "rp:currentAsOf" in line for line in found)


def test_the_additions_the_shapes_allow_are_not_reported(cli, write):
    path = write("observed.ttl", "\nrpd:state-irn rp:currentAsOf rpd:source-russia-quiet-on-saving-iran .\n")
    assert ownership(cli("validate", *SKIP, path)) == []


def test_a_statement_another_file_makes_is_reported_in_the_later_file(cli, write):
    claim = _a_claim_of_another_file()
    path = write("repeat.ttl", f"{MORE}<{claim}> a rp:Claim .\nrpd:state-irn rp:currentAsOf rpd:x .\n")
    second = write("zz-second.ttl", f"{MORE}rpd:state-irn rp:currentAsOf rpd:x .\n")
    run = cli("validate", *SKIP, path, second)
    found = ownership(run)
    assert len(found) == 1 and found[0].startswith(f"{second}:{FIRST}:") and f"repeats a statement of {path}" in found[0]


def test_changed_reports_the_graft_in_the_changed_file(cli, dataset_copy):
    claim = _a_claim_of_another_file()
    path = dataset_copy / "data" / "sources" / "graft.ttl"
    path.write_text(f"@prefix rp: <https://w3id.org/realpolitik/ontology#> .\n<{claim}> rp:claimant <https://w3id.org/realpolitik/id/state-isr> .\n")
    run = cli("--root", dataset_copy, "validate", "--changed", path)
    assert run.exit_code == 1
    found = ownership(run)
    assert len(found) == 1 and found[0].startswith("data/sources/graft.ttl:2:"), run.stdout


def chain(n: int) -> str:
    return "\n" + "\n".join(
        f'rpd:org-chain-{i} a rp:Organization ; rdfs:label "Chain {i}"@en' + (f" ; rp:partOf rpd:org-chain-{i - 1} ." if i else " .")
        for i in range(n)
    ) + "\n"


def test_a_transitive_chain_over_the_budget_stops_before_reasoning_naming_file_and_line(cli, write, monkeypatch):
    def fast(*_):
        raise AssertionError("the reasoner ran past its budget")

    monkeypatch.setattr(reasoning, "_fast", fast)
    path = write("chain.ttl", chain(2000))
    run = cli("validate", "--skip", "qc", path)
    assert run.exit_code == 2
    errors = [line for line in run.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 1, run.stdout
    assert errors[0].startswith(f"{path}:") and "[consistency] " in errors[0]
    assert "rp:partOf is transitive" in errors[0] and "REALPOLITIK_INFERRED_PER_STATEMENT" in errors[0]
    assert run.stdout.splitlines()[-1].startswith("does not conform: 1 error(s)")


def test_the_budget_is_proportional_to_the_input_and_settable(ontology_graph, monkeypatch):
    from rdflib import URIRef

    rp = "https://w3id.org/realpolitik/ontology#"
    part_of = URIRef(rp + "partOf")
    links = [(URIRef(f"http://e/{i}"), part_of, URIRef(f"http://e/{i - 1}")) for i in range(1, 300)]
    reasoning.check_budget(ontology_graph, links)  # 299 links, 44,551 pairs: within 100,000
    monkeypatch.setenv("REALPOLITIK_INFERRED_PER_STATEMENT", "1000")
    reasoning.check_budget(ontology_graph, links * 1)
    longer = [(URIRef(f"http://e/{i}"), part_of, URIRef(f"http://e/{i - 1}")) for i in range(1, 500)]
    monkeypatch.setenv("REALPOLITIK_INFERRED_PER_STATEMENT", "10")
    with pytest.raises(reasoning.Unbounded) as raised:
        reasoning.check_budget(ontology_graph, longer)  # 124,251 pairs, twice (org:subOrganizationOf)
    assert raised.value.predicate == part_of and raised.value.budget == 100_000


def test_the_chain_is_refused_within_a_gigabyte(tmp_path):
    path = tmp_path / "chain.ttl"
    path.write_text(PREFIXES + chain(2000), encoding="utf-8")
    # A parent of its own, so that the peak memory read is this validation's alone.
    measure = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'realpolitik', 'validate', '--skip', 'qc', sys.argv[1]],"
        " capture_output=True, text=True)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stdout.count('would imply more than'))\n"
    )
    done = subprocess.run([sys.executable, "-c", measure, str(path)], capture_output=True, text=True, timeout=300)
    code, peak_kb, refused = map(int, done.stdout.split())
    assert (code, refused) == (2, 1)
    assert peak_kb < 1024 * 1024


def test_build_refuses_a_data_file_that_redefines_the_schema(cli, dataset_copy, tmp_path):
    (dataset_copy / "data" / "shared" / "bad.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "owl:Thing rdfs:subClassOf owl:Nothing .\n"
    )
    run = cli("--root", dataset_copy, "build", "--out", tmp_path / "dist")
    assert run.exit_code == 2
    assert "data/shared/bad.ttl:3:" in run.output and "owl:Thing is defined by the ontology" in run.output
    assert not (tmp_path / "dist").exists()


def test_build_refuses_a_chain_over_the_budget(cli, dataset_copy, tmp_path):
    (dataset_copy / "data" / "shared" / "chain.ttl").write_text(PREFIXES + chain(2000))
    run = cli("--root", dataset_copy, "build", "--out", tmp_path / "dist")
    assert run.exit_code == 2
    assert "data/shared/chain.ttl:" in run.output and "rp:partOf is transitive" in run.output
    assert not (tmp_path / "dist").exists()


def _a_claim_of_another_file() -> str:
    """A claim the shipped data describes, whichever it is."""
    import pyoxigraph as ox

    from realpolitik.paths import dataset_root

    for path in sorted((dataset_root() / "data" / "sources").glob("*.ttl")):
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if triple.object == ox.NamedNode("https://w3id.org/realpolitik/ontology#Claim"):
                return triple.subject.value
    raise AssertionError("no claim in the shipped data")


@pytest.fixture(scope="module")
def ontology_graph():
    from rdflib import Graph

    from realpolitik.dataset import files

    graph = Graph()
    for path in files(None).ontology_files():
        graph.parse(path, format="turtle")
    return graph


def test_repeated_statements_are_held_once_where_shacl_and_the_quality_checks_read(dataset_copy, monkeypatch):
    import pyoxigraph as ox

    from realpolitik.validation import qc, validate

    seen = []
    real = qc.run

    def counting(store, locator):
        seen.append(len(list(store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True))))
        return real(store, locator)

    monkeypatch.setattr(qc, "run", counting)
    validate(root=dataset_copy, skip=("shacl", "quote", "consistency"))
    shared = dataset_copy / "data" / "shared"
    lines = [f"{t.subject} {t.predicate} {t.object} ." for path in sorted(shared.glob("*.ttl"))
             for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
             if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
             and t.predicate.value != "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]
    (dataset_copy / "data" / "sources" / "zz-repeat.ttl").write_text("\n".join(lines) + "\n")
    report = validate(root=dataset_copy, skip=("shacl", "quote", "consistency"))
    assert seen[1] == seen[0]  # the rows a union query reads: none doubled
    repeats = [f for f in report.findings if f.check == "ownership" and f.message.startswith("repeats a statement of")]
    assert {f.file for f in repeats} == {"data/sources/zz-repeat.ttl"} and len(repeats) == len(set(lines))
