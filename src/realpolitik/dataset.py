"""The dataset on disk: which files make the ontology, the shapes and the data, and
reading them into graphs."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from realpolitik.namespaces import ONTOLOGY, PREFIXES
from realpolitik.paths import dataset_root

OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"
CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as a user would want to read it: relative to the working folder when it
    lies there, else relative to the dataset root, else absolute. A link is named as
    itself, not by what it points to."""
    absolute = Path(os.path.abspath(path))
    path = absolute.parent.resolve() / absolute.name if absolute.name else absolute
    for base in (Path.cwd().resolve(), root):
        if base is None:
            continue
        try:
            return _readable(str(path.relative_to(base)))
        except ValueError:
            continue
    return _readable(str(path))


def _readable(name: str) -> str:
    """A file name that can be printed: bytes that are not UTF-8 shown as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class DatasetFiles:
    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def catalog(self) -> dict[str, Path]:
        """Ontology IRI -> local file, from ontology/catalog-v001.xml."""
        tree = ET.parse(self.ontology_dir / "catalog-v001.xml")
        return {
            uri.attrib["name"]: self.ontology_dir / uri.attrib["uri"] for uri in tree.getroot().iter(CATALOG_NS + "uri")
        }

    def ontology_parsed(self, parse=None) -> list:
        """The index and every module it imports, resolved locally through the catalog
        and parsed (by ``parse``, default the one reader) on the way."""
        from realpolitik.rdf.reader import Reader

        parse = parse or Reader(self.root).read

        def imports(path):
            module = parse(path)
            return module, [str(o) for _, p, o in module.triples if str(p) == OWL_IMPORTS]

        return self._closure(imports)

    def _closure(self, imports) -> list:
        """What ``imports(path) -> (module, imported IRIs)`` gives for the index and every
        module it imports, in the order they are reached."""
        from realpolitik.rdf.reader import InputError

        catalog = self.catalog()
        parsed, seen, pending = [], set(), [ONTOLOGY]
        while pending:
            iri = pending.pop(0)
            if iri in seen:
                continue
            seen.add(iri)
            if iri not in catalog:
                raise InputError(
                    display_path(self.ontology_dir / "catalog-v001.xml", self.root),
                    f"owl:imports <{iri}> is not in the catalog; remote imports are not fetched",
                )
            module, imported = imports(catalog[iri])
            parsed.append(module)
            pending += imported
        return parsed

    def ontology_files(self) -> list[Path]:
        """The ontology's files (the index and its owl:imports closure). A module's
        imports are remembered for its content: only a changed module is parsed again."""
        return self._closure(lambda path: (path, _imports_of(path, self.root)))

    def shape_files(self) -> list[Path]:
        return sorted(self.shapes_dir.glob("*.ttl"))

    def data_files(self) -> list[Path]:
        """The data's Turtle files; a link, device or FIFO among them is refused before
        anything reads one (realpolitik.inputs)."""
        from realpolitik.inputs import Refused, check_regular
        from realpolitik.rdf.parse import InputError

        found = sorted(self.data_dir.rglob("*.ttl"))
        for path in found:
            try:
                check_regular(path)
            except Refused as exc:
                raise InputError(display_path(path, self.root), str(exc)) from None
        return found

    def text_path(self, relative: str) -> Path | None:
        """The file a source's rp:textFile names, if it stays inside data/."""
        candidate = (self.data_dir / relative).resolve()
        data_dir = self.data_dir.resolve()
        if os.path.commonpath([candidate, data_dir]) != str(data_dir):
            return None
        return candidate


_IMPORTS: dict = {}  # (path, SHA-256 of its content) -> the IRIs it owl:imports


def _imports_of(path: Path, root: Path) -> list[str]:
    """The IRIs an ontology module imports, read with the parser but none of the
    reader's checks (which every reading of the dataset makes); a module that does not
    parse is read by the reader, to say what and where."""
    import hashlib

    from realpolitik.inputs import Refused, read_regular
    from realpolitik.rdf.reader import InputError, Reader

    try:
        data = read_regular(path)
    except Refused:
        Reader(root).read(path)  # says why, as every other reading would
        raise
    key = (str(Path(path).resolve()), hashlib.sha256(data).hexdigest())
    if key not in _IMPORTS:
        from realpolitik.store.terms import parse_turtle_quads

        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
            quads = parse_turtle_quads(text)
        except (UnicodeDecodeError, SyntaxError, ValueError, MemoryError):
            Reader(root).read(path)  # raises InputError, located
            raise InputError(display_path(path, root), "cannot be read") from None
        _IMPORTS[key] = [q.object.value for q in quads if q.predicate.value == OWL_IMPORTS]
    return _IMPORTS[key]


def files(root: str | os.PathLike | None = None) -> DatasetFiles:
    return DatasetFiles(dataset_root(root))


def bind_prefixes(graph):
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def read_graph(paths, root: Path | None = None):
    """Parse Turtle files strictly into one rdflib graph."""
    from rdflib import Graph

    from realpolitik.rdf.parse import to_graph
    from realpolitik.rdf.reader import Reader

    reader = Reader(root)
    return to_graph([reader.read(Path(p)) for p in paths], bind_prefixes(Graph()))


def load(root: str | os.PathLike | None = None, *, ontology: bool = True):
    """The dataset as one rdflib graph: the data, and the ontology unless asked not to.

    >>> import realpolitik
    >>> g = realpolitik.load()
    >>> len(g) > 0
    True
    """
    from rdflib import Graph

    from realpolitik.rdf.parse import to_graph
    from realpolitik.rdf.reader import Reader

    dataset = files(root)
    parse = Reader(dataset.root).read
    parsed = dataset.ontology_parsed(parse) if ontology else []
    parsed += [parse(path) for path in dataset.data_files()]
    return to_graph(parsed, bind_prefixes(Graph()))
