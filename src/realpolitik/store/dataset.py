"""The dataset in memory: one pyoxigraph store and what is known of it (whether its
files are one graph each, the version and cache folder it came from, how many literals
it holds in another form than written). Every way of holding the dataset is one of
``Dataset``'s constructors: from the cache (``cached``), from files read by the reader
(``read``, or ``Filling`` file by file), or over a store at hand (a snapshot's copy: ``snapshot_store``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from realpolitik.store.engine import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Variable, parse
from realpolitik.store.terms import in_graph, to_ox

FILE_GRAPH = "urn:x-realpolitik:file:"  # + the file's path relative to the dataset root


def file_key(root: Path, path: Path) -> str:
    """A file's name in the cache's manifest and in its graph's IRI: its path under the
    root (or its absolute path, for a contribution from elsewhere)."""
    try:  # the dataset's own files are listed under its root: no need to ask the disk
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    path = path.resolve()
    if path.is_relative_to(root.resolve()):
        return path.relative_to(root.resolve()).as_posix()
    return path.as_posix()


def graph_name(root: Path, path: Path) -> NamedNode:
    """The named graph a file's statements are held in."""
    return NamedNode(FILE_GRAPH + file_key(root, path))


@dataclass
class Dataset:
    store: Store
    union: bool = True  # a graph per file: queries read the union of the graphs
    rewritten_literals: int = 0  # literals the store holds in another form than written
    folder: Path | None = None  # the cache folder the store was opened from, if any
    version: str | None = None  # what that store holds (realpolitik.cache.version)
    digests: dict = field(default_factory=dict)  # file key -> SHA-256 of the content the store holds

    def query(self, text: str, substitutions: dict | None = None, union: bool | None = None):
        """The engine's answer to a query of the store (solutions, a boolean or triples,
        pyoxigraph terms, read as they are computed): the union of its graphs as the
        default graph where the dataset is read so (``union``, default the dataset's).
        ``substitutions``: variable name -> pyoxigraph term bound before evaluation.
        Every query of a store goes through here or through ``View``."""
        kwargs = {"use_default_graph_as_union": self.union if union is None else union}
        if substitutions:
            kwargs["substitutions"] = {Variable(k): v for k, v in substitutions.items()}
        return self.store.query(text, **kwargs)

    @classmethod
    def cached(cls, root=None, paths: list[Path] | None = None, memory: bool = False,
               digests: dict | None = None) -> "Dataset":
        """The dataset at ``root`` from the store cache (realpolitik.cache): on disk, or
        with ``memory`` its copy in memory; in memory when the cache is off or cannot be
        written. CacheError names a file that cannot be read."""
        from realpolitik.cache import open_dataset

        return open_dataset(root, paths, memory, digests)

    @classmethod
    def read(cls, root: Path, paths: list[Path], reader=None) -> "Dataset":
        """The files read (by ``reader``, default a new Reader) into a store in memory,
        one graph per file, as the cache holds them. InputError names a file that cannot
        be read."""
        from realpolitik.rdf.reader import Reader

        reader = reader or Reader(root)
        filling = Filling(root)
        for path in paths:
            parsed = reader.read(path)
            filling.add(path, parsed.quads)
            filling.digests[file_key(Path(root), path)] = parsed.manifest_entry()["sha256"]
        return filling.done()

    @classmethod
    def of_files(cls, parsed_files) -> "Dataset":
        """Files already read, their statements in the default graph (the shapes, say)."""
        store = Store()
        for parsed in parsed_files:
            quads, _ = in_graph(parsed.quads, DefaultGraph(), parsed.path)
            store.bulk_extend(quads)
        return cls(store, union=False)

    @classmethod
    def holding(cls, quads, union: bool = True) -> "Dataset":
        """A store in memory holding ``quads`` (pyoxigraph's, each in its graph)."""
        store = Store()
        store.extend(quads)
        return cls(store, union)

    @classmethod
    def over(cls, store: Store, union: bool = True) -> "Dataset":
        """A store at hand, as a Dataset."""
        return store if isinstance(store, Dataset) else cls(store, union)


class Batches:
    """Quads bulk-loaded many files at a time: each bulk load into a store on disk writes
    and ingests files of its own, and a register has hundreds of small files (a 1M
    register: 33 s file by file)."""

    SIZE = 400_000  # quads held in memory before they are loaded

    def __init__(self, store: Store):
        self.store, self.quads = store, []

    def add(self, quads: list) -> None:
        self.quads += quads
        if len(self.quads) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        if self.quads:
            self.store.bulk_extend(self.quads)
            self.quads = []


class Filling:
    """A store in memory filled file by file with quads read already (``add`` is what
    rdf.parse.parse_turtle hands them to), so that a caller who reads the files anyway
    does not read them twice; ``done()`` holds them as ``Dataset.read`` would."""

    def __init__(self, root: Path):
        self.root, self.store, self.typed = Path(root), Store(), set()
        self.batches = Batches(self.store)
        self.digests: dict = {}

    def add(self, path: Path, parsed: list) -> None:
        quads, typed = in_graph(parsed, graph_name(self.root, path), path)
        self.batches.add(quads)
        self.typed |= typed

    def done(self) -> Dataset:
        self.batches.flush()
        return Dataset(self.store, True, rewritten(self.typed), digests=self.digests)


    def remove(self, statements) -> None:
        """Each (parsed file, rdflib triple without blank nodes) out of its file's graph."""
        self.batches.flush()
        for parsed, (s, p, o) in statements:
            self.store.remove(Quad(to_ox(s), to_ox(p), to_ox(o), graph_name(self.root, parsed.path)))


def snapshot_store(content: bytes) -> Store:
    """A TriG snapshot of a store read into a store in memory, its blank nodes keeping
    the store's labels (parsed without renaming them)."""
    memory = Store()
    memory.bulk_extend(parse(content, format=RdfFormat.TRIG, rename_blank_nodes=False))
    return memory


def rewritten(literals: set) -> int:
    """How many of ``literals`` a store keeps in another form than written: Oxigraph
    stores "+07"^^xsd:integer as "7", and xsd:nonNegativeInteger as xsd:integer."""
    if not literals:
        return 0
    scratch, predicate = Store(), NamedNode("urn:x-realpolitik:literal")
    written = list(literals)
    scratch.extend(Quad(NamedNode(f"urn:x-realpolitik:{i}"), predicate, lit) for i, lit in enumerate(written))
    stored = {q.subject.value: q.object for q in scratch.quads_for_pattern(None, predicate, None)}
    return sum(1 for i, lit in enumerate(written) if stored[f"urn:x-realpolitik:{i}"] != lit)
