"""What every check reads, read once: the dataset's files parsed, their graphs, where
each node is written, and the store the SHACL and QC checks query.

Two builders differ only in what they load: ``for_dataset`` reads the whole dataset
(with a contribution on top, or a contribution alone), ``for_change`` what a change
can affect (validation.changed). Every file either reads goes through one ``Reader``.
Input that cannot be read stops validation before any check: the builders raise
``Stopped`` with the report to give (exit code 2).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from realpolitik.validation.findings import Finding, Report

if TYPE_CHECKING:
    from rdflib import Graph

    from realpolitik.store.dataset import Dataset
    from realpolitik.dataset import DatasetFiles
    from realpolitik.rdf.parse import ParsedFile
    from realpolitik.validation.locate import Locator


class Stopped(Exception):
    """Input that cannot be read: ``report`` says what and where, and nothing ran."""

    def __init__(self, report: Report):
        super().__init__(report)
        self.report = report


@dataclass(frozen=True, eq=False)  # one context is one run: compared by identity
class Context:
    """What the checks read (validation.checks). ``within`` is None for the whole
    dataset; for a change, the nodes it can affect, the only ones findings are kept
    about (besides those written in the changed files)."""

    dataset: DatasetFiles
    ontology_files: list[ParsedFile]
    shape_files: list[ParsedFile]
    data_files: list[ParsedFile]  # every data file read, in path order
    answered: list[ParsedFile]  # the data files the run answers for (a change: the changed ones)
    ontology: Graph
    shapes: Graph
    graph: Callable[[], Graph]  # gives the data graph, built when first asked for (see ``data``)
    locator: Locator
    opened: Dataset | None  # the ontology and data in a store (realpolitik.store); None once let go
    within: set | None
    files: list[str]  # the report's files
    summary: dict
    timings: dict  # building step -> seconds
    engines: dict = field(default_factory=dict)  # check -> the engine it ran on, recorded by the check

    @property
    def whole(self) -> bool:
        return self.within is None

    @property
    def data(self) -> Graph:
        """The data as an rdflib graph. A whole run's checks read the files' statements
        instead, and build it only where pyshacl runs or a blank node is to be described:
        at 60 MB of data it would hold a gigabyte."""
        return self.graph()

    def typed(self) -> set:
        """The subjects that have an rdf:type: in the files' statements, or for a change
        in its data graph, which also holds the types of the nodes it mentions."""
        from rdflib.namespace import RDF

        if not self.whole:
            return set(self.data.subjects(RDF.type, None))
        types = frozenset({RDF.type})  # by hash, as in validation.locate
        return {s for parsed in self.data_files for s, p, _ in parsed.triples if p in types}

    def data_of(self, predicates) -> Graph:
        """A graph of the data's statements with these predicates, built for the caller
        (for a change, its whole data graph)."""
        if not self.whole:
            return self.data
        from realpolitik.dataset import bind_prefixes
        from realpolitik.rdf.parse import data_graph

        graph = bind_prefixes(data_graph())
        add, wanted = graph.store.add, frozenset(predicates)
        for parsed in self.data_files:
            for triple in parsed.triples:
                if triple[1] in wanted:
                    add(triple, graph)
        return graph

    def let_store_go(self) -> None:
        """Drop the context's hold on the store, once no check left reads it (a store in
        memory holds as much as the statements themselves)."""
        object.__setattr__(self, "opened", None)  # frozen against the checks, not the runner

    def statements(self) -> list | None:
        """The data's statements as the files hold them; None for a change, whose data
        graph also holds the types of the nodes it mentions, read from the store."""
        return [t for f in self.data_files for t in f.triples] if self.whole else None

    def kept(self, findings: list[Finding]) -> list[Finding]:
        """The findings the run answers for."""
        if self.whole:
            return findings
        from realpolitik.validation.changed import kept

        return kept(findings, self.data, self.within, self.files)


class Reader:
    """Every file validation reads is read here (rdf.reader: strict Turtle, named as the
    dataset shows it, one term cache for the run); ``quads_to`` also receives each file's
    quads (store.dataset.Filling.add)."""

    def __init__(self, root: Path, quads_to=None):
        from realpolitik.rdf.reader import Reader as FileReader

        self.files, self.quads_to = FileReader(root), quads_to

    def __call__(self, path: Path, *, to_store: bool = True) -> ParsedFile:
        parsed = self.files.read(path)
        if to_store and self.quads_to is not None:
            self.quads_to(path, parsed.quads)
        parsed.triples  # noqa: B018  (made now, while the quads are at hand)
        parsed.quads = []  # not kept: every file's triples are, and the store holds the rest
        # Nor the term cache, once the run's files are read: it holds a parser's term for
        # each of the run's distinct terms.
        parsed.convert = None
        return parsed

    def each(self, paths, findings: list[Finding], *, to_store: bool = True) -> list[ParsedFile]:
        """The files that parse; a syntax finding in ``findings`` for each that does not."""
        from realpolitik.rdf.parse import InputError

        parsed = []
        for path in paths:
            try:
                parsed.append(self(path, to_store=to_store))
            except InputError as exc:
                findings.append(syntax_error(exc))
        return parsed


def syntax_error(exc) -> Finding:
    return Finding("syntax", "error", exc.message, exc.file, exc.line, exc.column if exc.line else None)


@contextmanager
def _timed(timings: dict, step: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = round(time.perf_counter() - start, 3)


def _graphs(ontology_files, shape_files):
    from rdflib import Graph

    from realpolitik.dataset import bind_prefixes
    from realpolitik.rdf.parse import to_graph

    return to_graph(ontology_files, bind_prefixes(Graph())), to_graph(shape_files, bind_prefixes(Graph()))


def _data_graph(data_files):
    from realpolitik.dataset import bind_prefixes
    from realpolitik.rdf.parse import data_graph, to_graph

    return to_graph(data_files, bind_prefixes(data_graph()))


def for_dataset(paths=None, root=None, standalone: bool = False) -> Context:
    """The dataset, with ``paths`` (files or folders of ``.ttl`` files) on top of it, or
    alone with the ontology when ``standalone``."""
    from realpolitik.dataset import files
    from realpolitik.rdf.parse import InputError
    from realpolitik.store.dataset import Filling
    from realpolitik.validation import ownership
    from realpolitik.validation.locate import Locator
    from realpolitik.validation.summary import summarize

    dataset = files(root)
    timings: dict = {}
    findings: list[Finding] = []
    # The ontology and the data also go into a store in memory as they are parsed: SHACL
    # and the quality checks run on it.
    memory = Filling(dataset.root)
    read = Reader(dataset.root, memory.add)

    data_paths = [] if (paths and standalone) else dataset.data_files()
    if paths:
        known = {p.resolve() for p in data_paths}
        given, findings = _expand(paths)
        data_paths += [p for p in given if p.resolve() not in known]

    ontology_files = None
    with _timed(timings, "parse"):
        try:
            ontology_files = dataset.ontology_parsed(read)
        except InputError as exc:
            findings.append(syntax_error(exc))
        if ontology_files is not None:
            shape_files = read.each(dataset.shape_files(), findings, to_store=False)
            data_files = read.each(data_paths, findings)
    if ontology_files is None:
        raise Stopped(Report(findings=findings, timings=timings))
    shown = [f.display for f in data_files]
    if any(f.severity == "error" for f in findings):
        report = Report(findings=findings, files=shown, timings=timings)
        report.sort()
        raise Stopped(report)

    with _timed(timings, "graph"):
        ontology, shapes = _graphs(ontology_files, shape_files)
        summary = summarize(ontology, data_files)

    data = functools.cache(functools.partial(_data_graph, data_files))
    locator = Locator(data_files + ontology_files, data)
    with _timed(timings, "store"):
        # In memory: SHACL's many small queries run 2-3 times faster there than on the
        # cache's disk store.
        opened = memory.done()
        # A statement repeated from another file is an ownership finding, and held once
        # here: every join through a repeat would multiply what SHACL and QC read.
        memory.remove(ownership.repeated(data_files, locator))
    return Context(dataset, ontology_files, shape_files, data_files, data_files, ontology, shapes, data, locator,
                   opened, None, shown, summary, timings)


def for_change(changed, root=None) -> Context:
    """What the changed data files ``changed`` can affect, against the whole dataset
    read from the store cache (validation.changed)."""
    from realpolitik import cache
    from realpolitik.dataset import files
    from realpolitik.rdf.parse import InputError
    from realpolitik.store.view import View
    from realpolitik.validation import changed as change
    from realpolitik.validation.locate import Locator

    dataset = files(root)
    findings: list[Finding] = []
    read = Reader(dataset.root)
    started = time.perf_counter()

    data_dir = dataset.data_dir.resolve()
    changed_paths = []
    for raw in changed:
        path = Path(raw)
        if path.suffix != ".ttl" or not path.resolve().is_relative_to(data_dir):
            findings.append(Finding("syntax", "error", "not a data file of the dataset (a .ttl file under data/)", str(raw)))
        else:
            changed_paths.append(path.resolve())
    try:
        ontology_files = dataset.ontology_parsed(read)
        shape_files = [read(p) for p in dataset.shape_files()]
        changed_files = [read(p) for p in changed_paths]
    except InputError as exc:
        findings.append(syntax_error(exc))
    if any(f.severity == "error" for f in findings):
        report = Report(findings=findings)
        report.sort()
        raise Stopped(report)

    ontology, shapes = _graphs(ontology_files, shape_files)
    before = change.nodes_before(dataset.root, changed_paths)
    try:
        opened = cache.open_dataset(dataset.root, [f.path for f in ontology_files] + dataset.data_files())
    except cache.CacheError as exc:
        raise Stopped(Report(findings=[Finding("syntax", "error", str(exc))])) from None
    view = View(opened.store, union=True)

    nodes = change.nodes_affected(view, changed_files) | before
    describing = change.files_describing(view, nodes, dataset.root,
                                         set(changed_paths) | {f.path.resolve() for f in ontology_files})
    # In the full run's order (sorted paths), so "described in X first" reads the same.
    data_files = sorted(changed_files + [read(p) for p in describing if p.is_file()], key=lambda f: f.path)
    graph = _data_graph(data_files)
    change.add_types_mentioned(view, graph, ontology)
    data = functools.cache(lambda: graph)
    shown = [f.display for f in changed_files]
    summary = {"files": len(changed_files), "nodes": len(nodes), "triples": len(graph)}
    timings = {"read": round(time.perf_counter() - started, 3)}

    locator = Locator(data_files + ontology_files, data)
    return Context(dataset, ontology_files, shape_files, data_files, changed_files, ontology, shapes, data, locator,
                   opened, nodes, shown, summary, timings)


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
