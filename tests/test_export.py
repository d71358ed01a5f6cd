"""``realpolitik export``: the whole dataset in one file, equal to the graph parsed from
the files, written whole or not at all."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

import realpolitik
from conftest import canonical
from realpolitik.release.graphs import GRAPH


@pytest.mark.parametrize("fmt, ox_format", [("nt", ox.RdfFormat.N_TRIPLES), ("ttl", ox.RdfFormat.TURTLE)])
def test_triples_equal_the_dataset(cli, tmp_path, fmt, ox_format):
    out = tmp_path / f"all.{fmt}"
    run = cli("export", "--format", fmt, "--out", out)
    assert run.exit_code == 0, run.output
    assert canonical(out, ox_format) == canonical(realpolitik.load())


@pytest.mark.parametrize("fmt, rdflib_format, ox_format",
                         [("nq", "nquads", ox.RdfFormat.N_QUADS), ("trig", "trig", ox.RdfFormat.TRIG)])
def test_quads_keep_the_release_graphs(cli, tmp_path, fmt, rdflib_format, ox_format):
    out = tmp_path / f"all.{fmt}"
    assert cli("export", "--format", fmt, "--out", out, "--data-only").exit_code == 0
    dataset = Dataset()
    dataset.parse(out, format=rdflib_format)
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert GRAPH + "shared" in names
    assert GRAPH + "source/russia-quiet-on-saving-iran" in names
    assert GRAPH + "ontology" not in names
    assert canonical(out, ox_format, union=True) == canonical(realpolitik.load(ontology=False))


def test_standard_output(cli):
    run = cli("export", "--format", "nt", "--data-only")
    assert run.exit_code == 0
    assert len(Graph().parse(data=run.stdout, format="nt")) == len(realpolitik.load(ontology=False))


def test_a_broken_file_leaves_the_previous_export_whole(cli, dataset_copy, tmp_path):
    out = tmp_path / "all.nt"
    assert cli("--root", dataset_copy, "export", "--out", out).exit_code == 0
    before = out.read_bytes()
    broken = dataset_copy / "data" / "shared" / "states.ttl"
    broken.write_text(broken.read_text(encoding="utf-8") + "\nrpd:x rp:isoCode <bad iri> .\n", encoding="utf-8")
    run = cli("--root", dataset_copy, "export", "--out", out)
    assert run.exit_code == 2
    assert len(run.output.strip().splitlines()) == 1
    assert "states.ttl:" in run.output and "Traceback" not in run.output
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".all")) == []


def test_an_unchanged_store_is_exported_from_the_kept_copy(cli, dataset_copy, tmp_path, monkeypatch):
    from realpolitik import export as export_module

    first, second = tmp_path / "first.nt", tmp_path / "second.nt"
    assert cli("--root", dataset_copy, "export", "--out", first).exit_code == 0

    def unread(*_):
        raise AssertionError("read from the store again")

    monkeypatch.setattr(export_module, "statements", unread)
    assert cli("--root", dataset_copy, "export", "--out", second).exit_code == 0
    assert second.read_bytes() == first.read_bytes()
    assert cli("--root", dataset_copy, "export").result.stdout_bytes == first.read_bytes()


def test_a_changed_file_is_exported_afresh_and_the_old_copy_dropped(cli, dataset_copy, tmp_path):
    from realpolitik import cache

    out = tmp_path / "all.nt"
    assert cli("--root", dataset_copy, "export", "--out", out).exit_code == 0
    states = dataset_copy / "data" / "shared" / "states.ttl"
    states.write_text(states.read_text(encoding="utf-8") + '\nrpd:state-nowhere a rp:State ; rdfs:label "Nowhere"@en .\n',
                      encoding="utf-8")
    assert cli("--root", dataset_copy, "export", "--out", out).exit_code == 0
    assert b'"Nowhere"@en' in out.read_bytes()
    kept = sorted(p.name for p in (cache.folder_for(dataset_copy) / "exports").iterdir())
    assert len(kept) == 1 and kept[0].startswith("nt-") and not kept[0].startswith("nt-data")
