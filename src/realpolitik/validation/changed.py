"""Validate a change, not the world: ``realpolitik validate --changed FILE ...``.

The nodes a change can affect are checked against the whole dataset, which is read
from the store cache (realpolitik.cache; only the changed files are read into it
again):

- the nodes the changed files describe,
- the nodes that point at them (an agreement in another file whose party changed),
- the nodes the files point at, now and before the change (the cache still holds the
  files as they were): a fact whose only claim was just deleted loses its support.

Their findings are those a full run gives for the same nodes (tests/test_changed.py
holds the two to each other): SHACL runs on the store restricted to these nodes; the
other checks run on the files that describe them, with the rdf:type of every node they
mention; the QC queries run on the whole store. A check that looks further than one
step from a node (OWL reasoning through chains of properties) may see less than a full
run; the shapes and checks shipped do not.
"""

from __future__ import annotations

import time
from pathlib import Path

from realpolitik.validation.findings import Finding, Report


def validate_changed(changed, *, root=None, skip=()) -> Report:
    from rdflib import BNode, Graph, URIRef
    from rdflib.namespace import RDF

    from realpolitik import cache
    from realpolitik.dataset import bind_prefixes, display_path, files
    from realpolitik.rdf.parse import InputError, data_graph, new_converter, parse_turtle, to_graph
    from realpolitik.validation import run_checks, run_shacl, syntax_error
    from realpolitik.validation import consistency, ownership, personal, qc, quotes
    from realpolitik.validation import terms as term_checks
    from realpolitik.validation.locate import Locator, describe
    from realpolitik.store.view import View

    dataset = files(root)
    report = Report()
    convert = new_converter()
    started = time.perf_counter()

    def parse(path):
        return parse_turtle(path, display_path(path, dataset.root), convert)

    data_dir = dataset.data_dir.resolve()
    changed_paths = []
    for raw in changed:
        path = Path(raw)
        if path.suffix != ".ttl" or not path.resolve().is_relative_to(data_dir):
            report.findings.append(
                Finding("syntax", "error", "not a data file of the dataset (a .ttl file under data/)", str(raw))
            )
        else:
            changed_paths.append(path.resolve())
    try:
        ontology_files = dataset.ontology_parsed(parse)
        shape_files = [parse(p) for p in dataset.shape_files()]
        changed_files = [parse(p) for p in changed_paths]
    except InputError as exc:
        report.findings.append(syntax_error(exc))
    if report.count("error"):
        report.sort()
        return report

    ontology = to_graph(ontology_files, bind_prefixes(Graph()))
    shapes = to_graph(shape_files, bind_prefixes(Graph()))
    before = _nodes_before(dataset.root, changed_paths)
    all_paths = [f.path for f in ontology_files] + dataset.data_files()
    try:
        opened = cache.open_dataset(dataset.root, all_paths)
    except cache.CacheError as exc:
        report.findings.append(Finding("syntax", "error", str(exc)))
        return report
    view = View(opened.store, union=True)

    described = {s for f in changed_files for s, _, _ in f.triples}
    pointed_at = {o for f in changed_files for _, _, o in f.triples if isinstance(o, URIRef)}
    iris = [n for n in described if isinstance(n, URIRef)]
    pointing = {row[0] for row in view.select_values("SELECT DISTINCT ?s WHERE { {values} ?s ?p ?o }", iris, "o")}
    pointing |= _owners(view, [n for n in pointing if isinstance(n, BNode)])
    nodes = described | pointing | pointed_at | before

    # Every file that describes one of the nodes, for the checks and for locations.
    keys = {
        row[0]
        for row in view.select_values(
            "SELECT DISTINCT ?g WHERE { {values} GRAPH ?g { ?f ?p ?o } }",
            [n for n in nodes if isinstance(n, URIRef)],
        )
    }
    root = dataset.root.resolve()
    describing = sorted({root / str(k)[len(cache.FILE_GRAPH):] for k in keys if str(k).startswith(cache.FILE_GRAPH)}
                        - {p for p in changed_paths} - {f.path.resolve() for f in ontology_files})
    # In the full run's order (sorted paths), so "described in X first" reads the same.
    data_files = sorted(changed_files + [parse(p) for p in describing if p.is_file()], key=lambda f: f.path)
    data = to_graph(data_files, bind_prefixes(data_graph()))
    terms = set(ontology.subjects())  # the ontology's own terms are described there
    mentioned = {o for _, _, o in data if isinstance(o, URIRef) and o not in terms}
    for s, t in view.select_values(f"SELECT ?f ?t WHERE {{ {{values}} ?f <{RDF.type}> ?t }}", mentioned):
        data.add((s, RDF.type, t))
    report.files = [f.display for f in changed_files]
    report.summary = {"files": len(changed_files), "nodes": len(nodes), "triples": len(data)}
    report.timings["read"] = round(time.perf_counter() - started, 3)

    locator = Locator(data_files + ontology_files, data)
    checks = {
        "term": lambda: term_checks.undefined_terms(changed_files, ontology)
        + term_checks.imports_in_data(changed_files),
        "undescribed": lambda: term_checks.undescribed_iris(data_files, data, locator),
        "duplicate": lambda: term_checks.described_twice(locator, data),
        "ownership": lambda: ownership.run(data_files, ontology, shapes, locator, report_in=changed_files),
        "personal": lambda: personal.run(changed_files),
        "shacl": lambda: run_shacl(report, opened, data, shapes, ontology, locator, within=nodes),
        "quote": lambda: quotes.run(data, dataset, locator),
        "qc": lambda: qc.run(opened.store, locator),
        "consistency": lambda: consistency.run(data, ontology, locator, engines=report.engines),
    }
    run_checks(report, checks, skip)
    report.findings = affected(report.findings, {describe(data, n) for n in nodes}, set(report.files))
    report.sort()
    return report


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


def _nodes_before(root: Path, paths: list[Path]) -> set:
    """The IRIs the changed files held as the cache last read them (none if it has not)."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from realpolitik import cache

    folder = cache.folder_for(root)
    if folder is None or not (folder / "store").is_dir():
        return set()
    try:
        store = ox.Store.read_only(str(folder / "store"))
    except (OSError, RuntimeError):
        return set()
    found = set()
    for path in paths:
        graph = cache.graph_name(root, path)
        query = f"SELECT DISTINCT ?n WHERE {{ GRAPH {graph} {{ {{ ?n ?p ?o }} UNION {{ ?s ?p ?n }} }} FILTER isIRI(?n) }}"
        found |= {URIRef(row[0].value) for row in store.query(query)}
    del store
    return found
