"""The named graphs of a release, and the four products made of them.

Every source is its own graph, so a store can load or drop one article; the shared
entities, the links between sources, the ontology, the shapes and the inferred triples
have a graph each:

    https://w3id.org/realpolitik/graph/source/<source key>
    https://w3id.org/realpolitik/graph/shared
    https://w3id.org/realpolitik/graph/links
    https://w3id.org/realpolitik/graph/ontology
    https://w3id.org/realpolitik/graph/shapes
    https://w3id.org/realpolitik/graph/inferred
    https://w3id.org/realpolitik/graph/truthy

Products: ``ontology``, ``shapes``, ``data`` (sources, shared, links), ``full`` (data,
ontology and the OWL RL closure's inferred triples) and ``truthy`` (what no source
disputes, as plain triples, and the disputed with their sides: release.truthy).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from realpolitik.store import engine as ox
from realpolitik.namespaces import BASE, ONTOLOGY

GRAPH = BASE + "graph/"
OWL_VERSION_IRI = "http://www.w3.org/2002/07/owl#versionIRI"

PRODUCTS = {
    "ontology": ("ontology",),
    "shapes": ("shapes",),
    "data": ("source/", "shared", "links"),
    "full": ("source/", "shared", "links", "ontology", "inferred"),
    "truthy": ("truthy",),
}
# The products that, together, hold every graph of a release once: what the
# description counts, graph by graph.
COUNTED = ("full", "shapes", "truthy")


def graph_of(data_dir: Path, path: Path) -> str:
    """The graph a data file belongs to."""
    relative = path.relative_to(data_dir)
    if relative.parts[0] == "sources":
        return GRAPH + "source/" + path.stem
    if relative.parts[0] == "links":
        return GRAPH + "links"
    return GRAPH + "shared"


def in_product(graph: str, product: str) -> bool:
    local = graph[len(GRAPH) :]
    return any(local == part or (part.endswith("/") and local.startswith(part)) for part in PRODUCTS[product])


def version_iri(version: str) -> str:
    return f"{BASE}releases/{version}"



@dataclass
class Assembled:
    quads: list  # pyoxigraph quads, each in its named graph


def assemble(root=None, version: str = "0.0.0", reason: bool = True) -> Assembled:
    """Every quad of the release: the dataset's files parsed strictly, the ontology
    stamped with the release's owl:versionIRI, and the OWL RL closure's new triples.
    The files' quads are the reader's, placed in their graphs (blank nodes labelled as
    the reader's triples label them); only the reasoner reads rdflib triples."""
    from rdflib import Graph

    from realpolitik.dataset import files
    from realpolitik.rdf.reader import Reader
    from realpolitik.reasoning import Unbounded, reason
    from realpolitik.store.terms import in_graph, to_ox

    dataset = files(root)
    parse = Reader(dataset.root).read

    placed: list[tuple[str, object]] = []  # (graph, parsed file)
    ontology = dataset.ontology_parsed(parse)
    placed += [(GRAPH + "ontology", f) for f in ontology]
    placed += [(GRAPH + "shapes", parse(p)) for p in dataset.shape_files()]
    data_files = [parse(p) for p in dataset.data_files()]
    _refuse_schema(data_files, {s for f in ontology for s, _, _ in f.triples})
    placed += [(graph_of(dataset.data_dir, f.path), f) for f in data_files]

    quads = []
    for graph, parsed in placed:
        quads += in_graph(parsed.quads, ox.NamedNode(graph), parsed.path)[0]
    quads.append(
        ox.Quad(ox.NamedNode(ONTOLOGY), ox.NamedNode(OWL_VERSION_IRI), ox.NamedNode(version_iri(version) + "/ontology"),
                ox.NamedNode(GRAPH + "ontology"))
    )
    quads += _truthy(quads)
    if reason:
        ontology_graph, data_graph, statements = Graph(), Graph(), []
        for graph, parsed in placed:
            if graph == GRAPH + "ontology":
                for triple in parsed.triples:
                    ontology_graph.add(triple)
            elif graph != GRAPH + "shapes":
                statements += parsed.triples
                for triple in parsed.triples:
                    data_graph.add(triple)
        name = ox.NamedNode(GRAPH + "inferred")
        try:
            inferred = reason(ontology_graph, data_graph, statements=statements).triples
        except Unbounded as exc:
            raise _where(data_files, exc) from None
        quads += [ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in inferred]
    return Assembled(quads)


def _refuse_schema(data_files: list, terms: set) -> None:
    """A data file that speaks about the schema would change what the release means
    (validate's ownership check): the release is not built."""
    from realpolitik.rdf.parse import InputError
    from realpolitik.validation.ownership import schema_problem, schema_statements

    for parsed in data_files:
        for s, p, o in schema_statements(parsed.triples, terms)[:1]:
            position = parsed.positions.statement(str(s), str(p))
            raise InputError(parsed.display, schema_problem(s, p, o, terms), position.line if position else None,
                             position.column if position else None)


def _where(data_files: list, exc):
    """An InputError at the statement where reasoning's budget was exceeded."""
    from realpolitik.rdf.parse import InputError

    for parsed in data_files:
        position = parsed.positions.statement(str(exc.node), str(exc.predicate))
        if position:
            return InputError(parsed.display, str(exc), position.line, position.column)
    return InputError("data", str(exc))


def _truthy(quads: list) -> list:
    """The truthy graph's quads, from the data and the ontology already assembled."""
    from realpolitik.disputes import disputes
    from realpolitik.querying.backends import Embedded
    from realpolitik.release import truthy

    from realpolitik.store.dataset import Dataset

    store = Embedded(Dataset.holding(
        q for q in quads if in_product(q.graph_name.value, "data") or q.graph_name.value == GRAPH + "ontology"))
    name = ox.NamedNode(GRAPH + "truthy")
    return [ox.Quad(s, p, o, name) for s, p, o in truthy.triples(store, disputes(store))]
