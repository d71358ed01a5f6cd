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

from realpolitik.store import engine as ox

FORMATS = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
}
QUAD_FORMATS = {"nq", "trig"}


def release_graphs(root, ontology_paths: list[Path], data_paths: list[Path]) -> dict[ox.NamedNode, ox.NamedNode]:
    """Each file's graph in the cache -> its graph in a release."""
    from realpolitik.release.graphs import GRAPH, graph_of
    from realpolitik.store.dataset import graph_name

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
    million statements out of the store takes seconds, copying their file a fraction.
    A kept export is used only if its size and checksum are the ones recorded when it
    was kept (realpolitik.cache.kept_product); otherwise it is written again."""
    from realpolitik.cache import keep_product, kept_product
    from realpolitik.dataset import files
    from realpolitik.store.dataset import Dataset

    dataset = files(root)  # listed once
    ontology_paths, data_paths = dataset.ontology_files(), dataset.data_files()
    opened = Dataset.cached(dataset.root, ontology_paths + data_paths)
    name = _kept_name(opened, fmt, data_only)
    kept = kept_product(opened.folder, name) if name is not None else None
    if kept is not None:
        with kept:
            if out is None:
                shutil.copyfileobj(kept, stream, 1 << 20)
            else:
                _swap_in(out, lambda staging: _copy(kept, staging))
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
        if name is not None:
            keep_product(opened.folder, name, staging)

    _swap_in(out, write_and_keep)


def _copy(source, staging: Path) -> None:
    with open(staging, "wb") as handle:
        shutil.copyfileobj(source, handle, 1 << 20)


def _prefixes(fmt: str) -> dict | None:
    from realpolitik.namespaces import PREFIXES

    return dict(PREFIXES) if fmt in ("ttl", "trig") else None


def _kept_name(opened, fmt: str, data_only: bool) -> str | None:
    """The name (under the cache folder) the export of this kind from this version of
    the store is kept as, if the store is the cache's."""
    if opened.folder is None:
        return None
    kind = f"{fmt}{'-data' if data_only else ''}"
    return f"exports/{kind}-{opened.version[:32]}.{fmt}"


def _swap_in(out: Path, write) -> None:
    """``write`` a temporary file beside ``out``, then rename it to ``out``."""
    staging = out.with_name(f".{out.name}.exporting-{os.getpid()}")
    try:
        write(staging)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)
