"""The dataset as one file, streamed from the cached store (``realpolitik.cache``).

A release (``realpolitik build``) is sorted, stamped and byte-for-byte reproducible;
an export is the fast way to hand the dataset as it is to another tool: statements are
written as the store yields them, without holding them all in memory. Quad formats
name each statement's graph as a release does (one per source, ``shared``, ``links``,
``ontology``).
"""

from __future__ import annotations

import os
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
    to ``stream``."""
    from realpolitik.cache import open_store
    from realpolitik.dataset import files
    from realpolitik.namespaces import PREFIXES

    dataset = files(root)  # listed once: finding the ontology's modules parses them
    ontology_paths, data_paths = dataset.ontology_files(), dataset.data_files()
    store = open_store(dataset.root, ontology_paths + data_paths)
    graphs = release_graphs(dataset.root, ontology_paths, data_paths)
    prefixes = dict(PREFIXES) if fmt in ("ttl", "trig") else None
    items = statements(store, graphs, fmt in QUAD_FORMATS, data_only)
    if out is None:
        ox.serialize(items, stream, FORMATS[fmt], prefixes=prefixes)
        return
    staging = out.with_name(f".{out.name}.exporting-{os.getpid()}")
    try:
        with open(staging, "wb") as handle:
            ox.serialize(items, handle, FORMATS[fmt], prefixes=prefixes)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)
