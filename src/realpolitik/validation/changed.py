"""Validate a change, not the world: ``realpolitik validate --changed FILE ...``.

The nodes a change can affect are checked against the whole dataset, which is read
from the store cache (realpolitik.cache; only the changed files are read into it
again):

- the nodes the changed files describe,
- the nodes that point at them (an agreement in another file whose party changed),
- the nodes the files point at, now and before the change (the cache still holds the
  files as they were): a fact whose only claim was just deleted loses its support.

Their findings are those a full run gives for the same nodes (tests/test_changed.py
holds the two to each other): the same checks run (validation.context.for_change
builds what they read); SHACL on the store restricted to these nodes; the other checks
on the files that describe them, with the rdf:type of every node they mention; the QC
queries on the whole store. A check that looks further than one step from a node (OWL
reasoning through chains of properties) may see less than a full run; the shapes and
checks shipped do not.
"""

from __future__ import annotations

from pathlib import Path

from realpolitik.validation.findings import Finding


def nodes_affected(view, changed_files: list) -> set:
    """The nodes the changed files describe, the nodes that point at them (up to the
    named node a blank one is written inside), and the nodes the files point at."""
    from rdflib import BNode, URIRef

    described = {s for f in changed_files for s, _, _ in f.triples}
    pointed_at = {o for f in changed_files for _, _, o in f.triples if isinstance(o, URIRef)}
    iris = [n for n in described if isinstance(n, URIRef)]
    pointing = {row[0] for row in view.select_values("SELECT DISTINCT ?s WHERE { {values} ?s ?p ?o }", iris, "o")}
    pointing |= _owners(view, [n for n in pointing if isinstance(n, BNode)])
    return described | pointing | pointed_at


def files_describing(view, nodes: set, root: Path, leaving_out: set) -> list[Path]:
    """Every file of the store that describes one of the nodes, but those of
    ``leaving_out``, sorted: what the checks read and locate findings in."""
    from rdflib import URIRef

    from realpolitik import cache

    keys = {
        row[0]
        for row in view.select_values(
            "SELECT DISTINCT ?g WHERE { {values} GRAPH ?g { ?f ?p ?o } }",
            [n for n in nodes if isinstance(n, URIRef)],
        )
    }
    root = root.resolve()
    return sorted({root / str(k)[len(cache.FILE_GRAPH):] for k in keys if str(k).startswith(cache.FILE_GRAPH)}
                  - leaving_out)


def add_types_mentioned(view, data, ontology) -> None:
    """The rdf:type, from the store, of every node the data points at but the ontology."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    terms = set(ontology.subjects())  # the ontology's own terms are described there
    mentioned = {o for _, _, o in data if isinstance(o, URIRef) and o not in terms}
    for s, t in view.select_values(f"SELECT ?f ?t WHERE {{ {{values}} ?f <{RDF.type}> ?t }}", mentioned):
        data.add((s, RDF.type, t))


def kept(findings: list[Finding], data, nodes: set, files: list[str]) -> list[Finding]:
    """The findings a change answers for: those ``affected`` keeps of the nodes."""
    from realpolitik.validation.locate import describe

    return affected(findings, {describe(data, n) for n in nodes}, set(files))


def affected(findings: list[Finding], nodes: set[str], files: set[str]) -> list[Finding]:
    """The findings about the changed nodes, or written in the changed files."""
    return [f for f in findings if f.focus in nodes or f.file in files]


def _owners(view, blank: list) -> set:
    """The blank nodes above these, up to the named node each is written inside."""
    from rdflib import BNode

    found, pending = set(), list(blank)
    while pending:
        for parent, _ in view.subject_predicates(pending.pop()):
            if parent not in found:
                found.add(parent)
                if isinstance(parent, BNode):
                    pending.append(parent)
    return found


def nodes_before(root: Path, paths: list[Path]) -> set:
    """The IRIs the changed files held as the cache last read them (none if it has not)."""
    from rdflib import URIRef

    from realpolitik import cache

    last = cache.last_store(root)  # a Dataset: queried through the store package
    if last is None:
        return set()
    found = set()
    for path in paths:
        graph = cache.graph_name(root, path)
        query = f"SELECT DISTINCT ?n WHERE {{ GRAPH {graph} {{ {{ ?n ?p ?o }} UNION {{ ?s ?p ?n }} }} FILTER isIRI(?n) }}"
        found |= {URIRef(row[0].value) for row in last.query(query)}
    del last
    return found
