"""The dataset as one file, streamed from the cached store (``realpolitik.cache``), or
copied from the last export of its kind while the store is unchanged.

A release (``realpolitik build``) is sorted, stamped and byte-for-byte reproducible;
an export is the fast way to hand the dataset as it is to another tool: statements are
written as the store yields them, without holding them all in memory. Quad formats
name each statement's graph as a release does (one per source, ``shared``, ``links``,
``ontology``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox

FORMATS = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
}
QUAD_FORMATS = {"nq", "trig"}


def release_graphs(root, ontology_paths: list[Path], data_paths: list[Path]) -> dict[ox.NamedNode, ox.NamedNode]:
    """Each file's graph in the cache -> its graph in a release."""
    from realpolitik.cache import graph_name
    from realpolitik.release.graphs import GRAPH, graph_of

    out = {graph_name(root, path): ox.NamedNode(GRAPH + "ontology") for path in ontology_paths}
    for path in data_paths:
        out[graph_name(root, path)] = ox.NamedNode(graph_of(root / "data", path))
    return out


def statements(store: ox.Store, graphs: dict, with_graphs: bool, data_only: bool):
    from realpolitik.release.graphs import GRAPH

    for file_graph, release in graphs.items():
        if data_only and release.value == GRAPH + "ontology":
            continue
        for quad in store.quads_for_pattern(None, None, None, file_graph):
            if with_graphs:
                yield ox.Quad(quad.subject, quad.predicate, quad.object, release)
            else:
                yield ox.Triple(quad.subject, quad.predicate, quad.object)


def export(fmt: str, out: Path | None, root=None, data_only: bool = False, stream=None) -> None:
    """Write the dataset in ``fmt`` to ``out`` (through a temporary file and a rename) or
    to ``stream``. The last export of each kind is kept in the cache folder under the
    store's version, and copied from there while the store is unchanged: reading a
    million statements out of the store takes seconds, copying their file a fraction."""
    from realpolitik.cache import open_dataset
    from realpolitik.dataset import files

    dataset = files(root)  # listed once: finding the ontology's modules parses them
    ontology_paths, data_paths = dataset.ontology_files(), dataset.data_files()
    opened = open_dataset(dataset.root, ontology_paths + data_paths)
    kept = _kept(opened, fmt, data_only)
    if kept is not None and kept.is_file():
        if out is None:
            with open(kept, "rb") as source:
                shutil.copyfileobj(source, stream, 1 << 20)
        else:
            _swap_in(out, lambda staging: shutil.copyfile(kept, staging))
        return

    def write(handle) -> None:
        graphs = release_graphs(dataset.root, ontology_paths, data_paths)
        items = statements(opened.store, graphs, fmt in QUAD_FORMATS, data_only)
        ox.serialize(items, handle, FORMATS[fmt], prefixes=_prefixes(fmt))

    if out is None:
        write(stream)
        return

    def write_and_keep(staging: Path) -> None:
        with open(staging, "wb") as handle:
            write(handle)
        if kept is not None:
            _keep(staging, kept)

    _swap_in(out, write_and_keep)


def _prefixes(fmt: str) -> dict | None:
    from realpolitik.namespaces import PREFIXES

    return dict(PREFIXES) if fmt in ("ttl", "trig") else None


def _kept(opened, fmt: str, data_only: bool) -> Path | None:
    """Where the export of this kind from this version of the store is kept, if the
    store is the cache's."""
    if opened.folder is None:
        return None
    kind = f"{fmt}{'-data' if data_only else ''}"
    return opened.folder / "exports" / f"{kind}-{opened.version[:32]}.{fmt}"


def _keep(written: Path, kept: Path) -> None:
    """A copy of ``written`` as ``kept``, replacing the earlier exports of its kind (the
    name up to the version); a cache that cannot be written only costs time."""
    kind = kept.name.rsplit("-", 1)[0]
    part = kept.with_name(f".{kept.name}.{os.getpid()}")
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(written, part)
        os.replace(part, kept)
        for older in kept.parent.iterdir():
            if older != kept and older.name.rsplit("-", 1)[0] == kind:
                older.unlink(missing_ok=True)
    except OSError:
        part.unlink(missing_ok=True)


def _swap_in(out: Path, write) -> None:
    """``write`` a temporary file beside ``out``, then rename it to ``out``."""
    staging = out.with_name(f".{out.name}.exporting-{os.getpid()}")
    try:
        write(staging)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)
