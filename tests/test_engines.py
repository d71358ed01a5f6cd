"""Which engine each check ran on: the report names it, and says why when it is the
slower one (a warning line in text, an ``engines`` field in JSON)."""

from __future__ import annotations

import pytest

from conftest import PREFIXES

STATE = 'rpd:state-zzz a rp:State ; rdfs:label "Zedland"@en ; rp:isoCode "ZZZ" ; rp:wikidata <http://www.wikidata.org/entity/Q1> .\n'
FAST = {"shacl": {"name": "store"}, "consistency": {"name": "reasonable"}}


def _validate(cli, path, *options, env=None, root=None):
    chosen = ("--root", root) if root else ()
    return cli(*chosen, "validate", "--standalone", "--skip", "qc", *options, path, env=env)


def _warnings(run) -> list[str]:
    return [line for line in run.stdout.splitlines() if line.startswith("warning: [")]


def test_the_fast_engines_run_without_a_warning(cli, write):
    path = write("state.ttl", STATE)
    run = _validate(cli, path)
    assert run.exit_code == 0, run.output
    assert _warnings(run) == []
    assert _validate(cli, path, "--format", "json").json()["engines"] == FAST
    assert "::warning" not in _validate(cli, path, "--format", "github").stdout


@pytest.mark.parametrize(
    "env, check, engine, fallback",
    [
        ({"REALPOLITIK_SHACL": "pyshacl"}, "shacl", "pyshacl", "asked for by REALPOLITIK_SHACL=pyshacl"),
        ({"REALPOLITIK_REASONER": "owlrl"}, "consistency", "owlrl", "asked for by REALPOLITIK_REASONER=owlrl"),
    ],
)
def test_an_engine_asked_for_is_said(cli, write, env, check, engine, fallback):
    path = write("state.ttl", STATE)
    run = _validate(cli, path, env=env)
    assert run.exit_code == 0, run.output
    assert _warnings(run) == [f"warning: [{check}] ran on {engine}: {fallback}"]
    engines = _validate(cli, path, "--format", "json", env=env).json()["engines"]
    assert engines == {**FAST, check: {"name": engine, "fallback": fallback}}
    annotations = _validate(cli, path, "--format", "github", env=env).stdout.splitlines()
    assert f"::warning title=realpolitik {check}::ran on {engine}: {fallback}" in annotations


def test_a_literal_the_store_rewrites_sends_shacl_to_pyshacl(cli, write):
    path = write("state.ttl", STATE.replace(" .\n", ' ; rdfs:comment "x" ; rp:foundedOn "+07"^^xsd:integer .\n'))
    run = _validate(cli, path, "--skip", "term", "--format", "json")
    fallback = "the store holds 1 literal in another form than written"
    assert run.json()["engines"]["shacl"] == {"name": "pyshacl", "fallback": fallback}
    assert f"warning: [shacl] ran on pyshacl: {fallback}" in _warnings(_validate(cli, path, "--skip", "term"))


def test_a_constraint_the_store_engine_lacks_sends_shacl_to_pyshacl(cli, write, dataset_copy):
    extra = dataset_copy / "shapes" / "extra.ttl"
    extra.write_text(
        PREFIXES + "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "rp:ShortShape a sh:NodeShape ; sh:targetClass rp:State ; rp:shortest 1 .\n"
        "rp:Shortest a sh:ConstraintComponent ; sh:parameter [ sh:path rp:shortest ] ;\n"
        "    sh:validator [ a sh:SPARQLAskValidator ; sh:ask 'ASK { FILTER (STRLEN(STR($value)) >= $shortest) }' ] .\n",
        encoding="utf-8",
    )
    path = write("state.ttl", STATE)
    run = _validate(cli, path, "--format", "json", root=dataset_copy)
    fallback = run.json()["engines"]["shacl"]["fallback"]
    assert run.json()["engines"]["shacl"]["name"] == "pyshacl"
    assert fallback == "the shapes use a constraint component of their own, rp:Shortest, which the store engine does not implement"
    assert _warnings(_validate(cli, path, root=dataset_copy)) == [f"warning: [shacl] ran on pyshacl: {fallback}"]


def test_an_axiom_the_fast_reasoner_does_not_check_sends_consistency_to_owlrl(cli, write, dataset_copy):
    core = dataset_copy / "ontology" / "core.ttl"
    core.write_text(
        core.read_text(encoding="utf-8")
        + "\n<https://w3id.org/realpolitik/ontology#partOf> a <http://www.w3.org/2002/07/owl#IrreflexiveProperty> .\n",
        encoding="utf-8",
    )
    path = write("state.ttl", STATE)
    run = _validate(cli, path, "--format", "json", root=dataset_copy)
    fallback = "the ontology uses owl:IrreflexiveProperty, whose inconsistency rule the fast engine does not apply"
    assert run.json()["engines"]["consistency"] == {"name": "owlrl", "fallback": fallback}
    assert _warnings(_validate(cli, path, root=dataset_copy)) == [f"warning: [consistency] ran on owlrl: {fallback}"]


def test_the_shipped_shapes_run_on_the_store_engine():
    """A shape that uses a constraint the store engine lacks would move all validation
    onto pyshacl, many times slower: it fails here first."""
    import pyoxigraph as ox

    from realpolitik.dataset import files
    from realpolitik.dataset import read_graph
    from realpolitik.validation.shacl_store import Engine

    shapes = read_graph(files().shape_files())
    engine = Engine(ox.Store(), shapes, union=True)  # raises Unsupported for a constraint it lacks
    assert engine.run() == []  # and runs them on an empty store
    assert len(engine.shapes) > 10  # the walk found the shapes
