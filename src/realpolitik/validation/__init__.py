"""Validate the dataset, or a contribution against it.

Checks, in order:

``syntax``       strict Turtle and literals in the lexical space of their datatype;
                 any error here stops validation (exit code 2)
``term``         ontology terms that do not exist (``rp:suplier``)
``undescribed``  data IRIs used but never described
``duplicate``    data IRIs described in two files
``ownership``    statements a data file may not make: about the schema, on another
                 file's node, or repeated from another file (validation.ownership)
``shacl``        the shapes, with the ontology as pyshacl's ontology graph
``personal``     e-mail addresses, phone numbers, social-media accounts in the data
``quote``        evidence quotes that do not occur in their source's text
``qc``           quality checks written as SPARQL (queries/qc/*-violation.rq)
``consistency``  OWL inconsistencies found by owlrl
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

from realpolitik.validation.findings import Finding, Report

CHECKS = ("term", "undescribed", "duplicate", "ownership", "personal", "shacl", "quote", "qc", "consistency")


def _expand(paths) -> tuple[list[Path], list[Finding]]:
    out, empty = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_symlink():  # read where it points, it could echo a secret in a finding
            empty.append(Finding("syntax", "error", "is a symbolic link; give the file it points to", str(path)))
        elif path.is_dir():
            found = sorted(path.rglob("*.ttl"))
            out += found
            if not found:  # validating nothing must not look like a pass
                empty.append(Finding("syntax", "error", "a folder with no .ttl file in it", str(path)))
        elif path.suffix in (".rdf", ".owl", ".xml", ".jsonld", ".json", ".nt", ".nq", ".trig", ".n3"):
            # Only Turtle is read: no XML entity is expanded and no JSON-LD @context fetched.
            empty.append(Finding("syntax", "error", f"a {path.suffix} file: contributions are Turtle (.ttl)", str(path)))
        else:
            out.append(path)
    return out, empty


def syntax_error(exc) -> Finding:
    return Finding("syntax", "error", exc.message, exc.file, exc.line, exc.column if exc.line else None)


def validate(
    paths=None,
    *,
    root: str | os.PathLike | None = None,
    standalone: bool = False,
    changed: bool = False,
    skip=(),
) -> Report:
    """Validate the shipped dataset, or ``paths`` on top of it.

    With ``paths``, the files (or folders of ``.ttl`` files) are validated together
    with the dataset, as a contribution would be; with ``standalone=True``, alone
    (with the ontology); with ``changed=True``, ``paths`` are data files of the dataset
    that changed, and only the nodes they can affect are checked (validation.changed).
    ``skip`` names checks to leave out.
    """
    from realpolitik.collector import paused

    with paused():
        if changed:
            from realpolitik.validation.changed import validate_changed

            return validate_changed(paths or (), root=root, skip=skip)
        return _validate_all(paths, root, standalone, skip)


def _validate_all(paths, root, standalone: bool, skip) -> Report:
    from rdflib import Graph

    from realpolitik import cache
    from realpolitik.dataset import bind_prefixes, display_path, files
    from realpolitik.rdf.parse import InputError, data_graph, new_converter, parse_turtle, to_graph

    dataset = files(root)
    report = Report()
    convert = new_converter()

    @contextmanager
    def timed(step):
        start = time.perf_counter()
        yield
        report.timings[step] = round(time.perf_counter() - start, 3)

    # The ontology and the data also go into a store in memory as they are parsed: SHACL
    # and the quality checks run on it.
    memory = cache.MemoryStore(dataset.root)

    def parse(path, quads_to=memory.add):
        return parse_turtle(path, display_path(path, dataset.root), convert, quads_to)

    def parse_all(paths_, quads_to=memory.add):
        parsed = []
        for path in paths_:
            try:
                parsed.append(parse(path, quads_to))
            except InputError as exc:
                report.findings.append(syntax_error(exc))
        return parsed

    data_paths = [] if (paths and standalone) else dataset.data_files()
    if paths:
        known = {p.resolve() for p in data_paths}
        given, report.findings = _expand(paths)
        data_paths += [p for p in given if p.resolve() not in known]

    with timed("parse"):
        try:
            ontology_files = dataset.ontology_parsed(parse)
        except InputError as exc:
            report.findings.append(syntax_error(exc))
            return report
        shape_files = parse_all(dataset.shape_files(), quads_to=None)
        data_files = parse_all(data_paths)
    report.files = [f.display for f in data_files]
    if report.count("error"):
        report.sort()
        return report

    with timed("graph"):
        ontology = to_graph(ontology_files, bind_prefixes(Graph()))
        shapes = to_graph(shape_files, bind_prefixes(Graph()))
        data = to_graph(data_files, bind_prefixes(data_graph()))
        report.summary = summarize(data, ontology, data_files)

    from realpolitik.validation import consistency, ownership, personal, qc, quotes, terms
    from realpolitik.validation.locate import Locator

    locator = Locator(data_files + ontology_files, data)
    with timed("store"):
        # In memory: SHACL's many small queries run 2-3 times faster there than on the
        # cache's disk store.
        opened = memory.opened()
        # A statement repeated from another file is an ownership finding, and held once
        # here: every join through a repeat would multiply what SHACL and QC read.
        memory.remove(ownership.repeated(data_files, locator))
    checks = {
        "term": lambda: terms.undefined_terms(data_files + ontology_files + shape_files, ontology)
        + terms.imports_in_data(data_files),
        "undescribed": lambda: terms.undescribed_iris(data_files, data, locator),
        "duplicate": lambda: terms.described_twice(locator, data),
        "ownership": lambda: ownership.run(data_files, ontology, shapes, locator),
        "personal": lambda: personal.run(data_files),
        "shacl": lambda: run_shacl(report, opened, data, shapes, ontology, locator),
        "quote": lambda: quotes.run(data, dataset, locator),
        "qc": lambda: qc.run(opened.store, locator),
        "consistency": lambda: consistency.run(data, ontology, locator, [t for f in data_files for t in f.triples],
                                               engines=report.engines),
    }
    run_checks(report, checks, skip)
    report.sort()
    return report


def run_checks(report: Report, checks: dict, skip) -> None:
    """Each check (name -> function) in the documented order, timed, unless skipped."""
    for name in CHECKS:
        if name not in skip:
            start = time.perf_counter()
            report.findings += checks[name]()
            report.timings[name] = round(time.perf_counter() - start, 3)


def run_shacl(report, opened, data, shapes, ontology, locator, within=None) -> list[Finding]:
    """SHACL findings (validation.shacl.evaluate); the engine that ran goes on ``report``."""
    from realpolitik.validation.shacl import evaluate

    found, report.engines["shacl"] = evaluate(opened, data, shapes, ontology, locator, within)
    return found


_COUNTED = {
    "sources": "Source",
    "claims": "Claim",
    "actors": "Actor",
    "agreements": "Agreement",
    "laws": "Law",
    "programmes": "Programme",
    "transfers": "WeaponsTransfer",
    "events": "Event",
    "office holdings": "OfficeHolding",
    "memberships": "Membership",
}


def summarize(data, ontology, files: list) -> dict:
    """What the data (the statements of ``files``) holds, counted by class (subclasses
    included)."""
    from rdflib import RDF, RDFS, URIRef

    from realpolitik.namespaces import RP

    # The distinct statements of the files: rdflib counts a SimpleMemory graph by
    # walking every statement in Python (1 s for a million).
    summary = {"files": len(files), "triples": len({t for parsed in files for t in parsed.triples})}
    for label, local in _COUNTED.items():
        classes = set(ontology.transitive_subjects(RDFS.subClassOf, URIRef(RP + local)))
        members = {s for c in classes for s in data.subjects(RDF.type, c)}
        summary[label] = len(members)
    return summary
