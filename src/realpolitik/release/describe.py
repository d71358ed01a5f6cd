"""The release's description in VoID and DCAT: what the dataset is, its version, its
graphs and their triple counts, the classes and properties it uses, the example
queries, and every file with its media type, size and SHA-256."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

from realpolitik.store import engine as ox
from realpolitik.dataset import bind_prefixes
from realpolitik.namespaces import BASE
from realpolitik.release.graphs import COUNTED, version_iri

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT3 = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's DCAT lacks DCAT 3's dcat:version
SCHEMA = Namespace("https://schema.org/")
DATASET = URIRef(BASE)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def describe(version: str, issued: str, quads_by_product: dict, distributions: list[dict], queries) -> Graph:
    g = bind_prefixes(Graph())
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("spdx", SPDX)):
        g.bind(prefix, ns)
    release = URIRef(version_iri(version))
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, RDF.type, DCAT.Dataset))
    g.add((DATASET, DCTERMS.title, Literal("realpolitik", lang="en")))
    g.add((DATASET, DCTERMS.description, Literal(
        "A claims-first knowledge graph of states, agreements, weapons transfers and the claims behind "
        "them: who asserted what, where, how firmly, with the verbatim quote as evidence.", lang="en")))
    g.add((DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    g.add((DATASET, DCAT3.version, Literal(version)))
    g.add((DATASET, OWL.versionInfo, Literal(version)))
    g.add((DATASET, OWL.versionIRI, release))
    g.add((DATASET, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((DATASET, VOID.uriSpace, Literal(BASE + "id/")))
    g.add((DATASET, VOID.vocabulary, URIRef(BASE + "ontology#")))

    full = quads_by_product["full"] + quads_by_product["shapes"]
    # Every graph is counted; the truthy graph restates the data, so the classes and
    # properties below are counted from the others alone.
    every = [q for product in COUNTED for q in quads_by_product[product]]
    g.add((DATASET, VOID.triples, Literal(len(every), datatype=XSD.integer)))
    per_graph = Counter(q.graph_name.value for q in every)
    for name in sorted(per_graph):
        g.add((DATASET, VOID.subset, URIRef(name)))
        g.add((URIRef(name), RDF.type, VOID.Dataset))
        g.add((URIRef(name), VOID.triples, Literal(per_graph[name], datatype=XSD.integer)))

    classes = Counter(q.object.value for q in full if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode))
    for number, (cls, count) in enumerate(sorted(classes.items()), 1):
        partition = URIRef(f"{BASE}void/class/{number}")
        g.add((DATASET, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(cls)))
        g.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    properties = Counter(q.predicate.value for q in full)
    for number, (prop, count) in enumerate(sorted(properties.items()), 1):
        partition = URIRef(f"{BASE}void/property/{number}")
        g.add((DATASET, VOID.propertyPartition, partition))
        g.add((partition, VOID.property, URIRef(prop)))
        g.add((partition, VOID.triples, Literal(count, datatype=XSD.integer)))

    for query in queries:
        node = URIRef(f"{BASE}queries/{query.name}")
        g.add((DATASET, SCHEMA.workExample, node))
        g.add((node, RDF.type, SCHEMA.SoftwareSourceCode))
        g.add((node, SCHEMA.name, Literal(query.name)))
        g.add((node, RDFS.comment, Literal(query.summary, lang="en")))
        g.add((node, SCHEMA.programmingLanguage, Literal("SPARQL")))
        g.add((node, SCHEMA.text, Literal(query.text)))

    for item in distributions:
        node = URIRef(f"{BASE}releases/{version}/{item['file']}")
        g.add((DATASET, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(item["file"])))
        g.add((node, DCAT.downloadURL, node))
        g.add((node, DCAT.mediaType, Literal(item["media_type"])))
        g.add((node, DCAT.byteSize, Literal(item["bytes"], datatype=XSD.integer)))
        checksum = URIRef(f"{BASE}releases/{version}/{item['file']}#sha256")
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(item["sha256"], datatype=XSD.hexBinary)))
    return g
