"""realpolitik build: every product in every format, byte-identical from one build to the
next, described in VoID/DCAT, and checked against the description."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, VOID

from conftest import canonical
from realpolitik.dataset import files

PRODUCTS = ("ontology", "shapes", "data", "full", "truthy")
FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")
GRAPH = "https://w3id.org/realpolitik/graph/"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    from click.testing import CliRunner

    from realpolitik.cli import main

    out = tmp_path_factory.mktemp("release") / "dist"
    run = CliRunner().invoke(main, ["build", "--out", str(out)], env={"SOURCE_DATE_EPOCH": "1763683200"})
    assert run.exit_code == 0, run.output
    return out


def test_every_product_in_every_format(release):
    names = {p.name for p in release.iterdir()}
    assert names == {f"realpolitik-{p}.{f}" for p in PRODUCTS for f in FORMATS} | {"context.jsonld", "void.ttl"}


def test_two_builds_give_the_same_bytes(release, cli, tmp_path):
    run = cli("build", "--out", tmp_path / "again", env={"SOURCE_DATE_EPOCH": "1763683200"})
    assert run.exit_code == 0
    for path in release.iterdir():
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def test_check_passes_and_catches_tampering(release, cli, tmp_path):
    assert cli("build", "--check", release).exit_code == 0
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(release, copy)
    nt = copy / "realpolitik-data.nt"
    nt.write_bytes(nt.read_bytes().replace(b"Iran", b"Iram", 1))
    (copy / "stray.txt").write_text("?", encoding="utf-8")
    (copy / "realpolitik-shapes.ttl").unlink()
    run = cli("build", "--check", copy)
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert f"{copy}/realpolitik-data.nt: SHA-256" in "\n".join(lines)
    assert f"{copy}/realpolitik-shapes.ttl: missing" in lines
    assert f"{copy}/stray.txt: not in the description" in lines
    assert lines[-1] == "3 problem(s)"


def test_check_of_a_folder_without_a_release_is_an_input_error(cli, tmp_path):
    run = cli("build", "--check", tmp_path)
    assert run.exit_code == 2
    assert "no release description here" in run.stderr


def _quads(path):
    fmt = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[path.suffix[1:]]
    return list(ox.parse(path=str(path), format=fmt))


def test_each_source_is_its_own_named_graph(release):
    graphs = {q.graph_name.value for q in _quads(release / "realpolitik-full.nq")}
    sources = {f"{GRAPH}source/{p.stem}" for p in (files().data_dir / "sources").glob("*.ttl")}
    assert graphs == sources | {GRAPH + g for g in ("shared", "links", "ontology", "inferred")}
    data_graphs = {q.graph_name.value for q in _quads(release / "realpolitik-data.nq")}
    assert data_graphs == sources | {GRAPH + "shared", GRAPH + "links"}


@pytest.mark.parametrize("product", PRODUCTS)
def test_every_format_holds_the_same_graph(release, product):
    name = release / f"realpolitik-{product}"
    quads = canonical(f"{name}.nq", ox.RdfFormat.N_QUADS)
    assert quads == canonical(f"{name}.trig", ox.RdfFormat.TRIG)
    assert quads == canonical(f"{name}.jsonld", ox.RdfFormat.JSON_LD)
    union = canonical(f"{name}.nq", ox.RdfFormat.N_QUADS, union=True)
    assert union == canonical(f"{name}.nt", ox.RdfFormat.N_TRIPLES)
    assert union == canonical(f"{name}.ttl", ox.RdfFormat.TURTLE)


def test_json_ld_needs_no_remote_context(release):
    document = json.loads((release / "realpolitik-data.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)
    assert document["@context"]["rpd"] == "https://w3id.org/realpolitik/id/"
    assert json.loads((release / "context.jsonld").read_text(encoding="utf-8")) == {"@context": document["@context"]}


def test_full_holds_the_closure(release):
    inferred = [q for q in _quads(release / "realpolitik-full.nq") if q.graph_name.value == GRAPH + "inferred"]
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in inferred if isinstance(q.object, ox.NamedNode)}
    meeting = "https://w3id.org/realpolitik/id/event-meeting-masoud-pezeshkian-vladimir-putin-2025-01-17"
    rp = "https://w3id.org/realpolitik/ontology#"
    assert (meeting, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", rp + "Event") in triples
    assert not any(s == o and p == str(OWL.sameAs) for s, p, o in triples)  # trivia left out


def test_the_description(release):
    spdx = Namespace("http://spdx.org/rdf/terms#")
    g = Graph().parse(release / "void.ttl", format="turtle")
    dataset = URIRef("https://w3id.org/realpolitik/")
    assert str(g.value(dataset, DCTERMS.issued)) == "2025-11-21"
    assert g.value(dataset, OWL.versionIRI) == URIRef("https://w3id.org/realpolitik/releases/0.1.0")
    assert g.value(dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    subsets = {str(s): int(g.value(s, VOID.triples)) for s in g.objects(dataset, VOID.subset)}
    counted = {}
    for path in (release / f"realpolitik-{product}.nq" for product in ("full", "shapes", "truthy")):
        for q in _quads(path):
            counted[q.graph_name.value] = counted.get(q.graph_name.value, 0) + 1
    assert subsets == counted
    assert int(g.value(dataset, VOID.triples)) == sum(counted.values())
    distributions = list(g.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(PRODUCTS) * len(FORMATS) + 1  # and the JSON-LD context
    for dist in distributions:
        assert g.value(dist, DCAT.mediaType) is not None and int(g.value(dist, DCAT.byteSize)) > 0
        assert len(str(g.value(g.value(dist, spdx.checksum), spdx.checksumValue))) == 64
    examples = {str(g.value(e, URIRef("https://schema.org/name"))) for e in g.objects(dataset, URIRef("https://schema.org/workExample"))}
    assert {"transfers", "agreements", "disputes"} <= examples
    classes = {g.value(p, VOID["class"]) for p in g.objects(dataset, VOID.classPartition)}
    assert URIRef("https://w3id.org/realpolitik/ontology#Claim") in classes


def _contents(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_an_interrupted_build_leaves_the_previous_release_whole(release, tmp_path, monkeypatch):
    import shutil

    from realpolitik import release as releases
    from realpolitik.release import formats

    out = tmp_path / "dist"
    shutil.copytree(release, out)
    before = _contents(out)
    written = []
    real_write = formats.write

    def write_then_stop(*args, **kwargs):
        if len(written) == 3:
            raise KeyboardInterrupt  # Ctrl-C half-way through the formats
        written.append(args[1])
        return real_write(*args, **kwargs)

    monkeypatch.setattr(formats, "write", write_then_stop)
    with pytest.raises(KeyboardInterrupt):
        releases.build(out, reason=False)
    assert _contents(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]  # no half-written folder left


def test_what_a_killed_build_left_is_tidied_and_a_release_restored(release, tmp_path, cli):
    import shutil

    dead = 2**22 + 12345  # above the usual pid_max: no such process
    shutil.copytree(release, tmp_path / f".dist.old-{dead}")  # killed between its two renames
    (tmp_path / f".dist.building-{dead}").mkdir()
    (tmp_path / f".dist.building-{dead}" / "realpolitik-data.nt").write_text("half")
    from realpolitik import release as releases

    releases._recover(tmp_path / "dist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
    assert _contents(tmp_path / "dist") == _contents(release)
    assert cli("build", "--check", tmp_path / "dist").exit_code == 0


@pytest.mark.parametrize("where, message", [
    (lambda root, tmp: root / "data", "is part of the dataset, or holds it; build writes a release elsewhere"),
    (lambda root, tmp: root / "data" / "texts", "is part of the dataset, or holds it; build writes a release elsewhere"),
    (lambda root, tmp: root, "is part of the dataset, or holds it; build writes a release elsewhere"),
    (lambda root, tmp: tmp, "not empty and not a release (no void.ttl); build will not replace it"),
], ids=["data", "inside data", "the dataset root", "a folder of other things"])
def test_build_never_replaces_the_dataset_or_a_folder_that_is_not_a_release(cli, tmp_path, where, message):
    from realpolitik.paths import dataset_root

    (tmp_path / "notes.txt").write_text("mine")
    out = where(dataset_root(), tmp_path)
    run = cli("build", "--no-reasoning", "--out", out)
    assert run.exit_code == 2
    assert run.output.strip() == f"Error: {out}: {message}"
    assert (tmp_path / "notes.txt").read_text() == "mine"
