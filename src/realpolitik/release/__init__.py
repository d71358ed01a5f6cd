"""Releases: every product in every format, written deterministically, described in
VoID and DCAT, and checked against that description.

    dist/realpolitik-{ontology,shapes,data,full,truthy}.{ttl,nt,nq,trig,jsonld}
    dist/context.jsonld     the JSON-LD @context the .jsonld files use (also inline)
    dist/void.ttl           the description: graphs, counts, files, sizes, SHA-256
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from realpolitik import folders
from realpolitik.errors import RealpolitikError

DESCRIPTION = "void.ttl"
CONTEXT = "context.jsonld"


class ReleaseError(RealpolitikError):
    pass


def issued_date() -> str:
    """The release date: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    from realpolitik.settings import current

    epoch = current().source_date_epoch
    seconds = epoch if epoch is not None else time.time()
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


@dataclass
class Built:
    out: Path
    files: list[dict] = field(default_factory=list)
    triples: dict = field(default_factory=dict)  # product -> count
    graphs: dict = field(default_factory=dict)  # graph IRI -> count
    seconds: float = 0.0


def build(out: Path, root=None, reason: bool = True) -> Built:
    """Write the release into ``out``, whole or not at all: it is written in a folder
    beside ``out`` and swapped in at the end, so an interrupted build leaves the
    previous release as it was."""
    out = Path(out)
    _refuse_to_replace(out, root)
    built = folders.replace(out, lambda staging: _build_into(staging, root, reason))
    built.out = out
    return built


def _refuse_to_replace(out: Path, root) -> None:
    """A build replaces ``out`` whole: never a part of the dataset, and only a folder
    that holds exactly a release (its description and the files it lists) and sites
    (``folders.nested_outputs``, carried over); anything else, and nothing is touched."""
    try:
        folders.refuse_dataset(out, root, "a release", "build")
    except folders.FolderError as exc:
        raise ReleaseError(str(exc)) from None
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise ReleaseError(f"{out}: is {'a link' if out.is_symlink() else 'a file'}, not a folder")
    if not out.is_dir():
        return
    entries = sorted(out.iterdir())
    kept = set(folders.nested_outputs(out))
    description = out / DESCRIPTION
    if any(e not in kept for e in entries) and not _is_regular(description):
        raise ReleaseError(f"{out}: not empty and not a release (no {DESCRIPTION}); build will not replace it")
    listed = _listed(description) if _is_regular(description) else set()
    for entry in entries:
        if entry in kept or entry == description:
            continue
        if entry.name not in listed or not _is_regular(entry):
            raise ReleaseError(f"{out}: holds {entry.name}, which is not part of the release; build will not replace it")


def _is_regular(path: Path) -> bool:
    import stat

    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _listed(description: Path) -> set[str]:
    """The file names a release's description lists."""
    from rdflib.namespace import DCAT, DCTERMS

    g = _read_description(description)
    return {str(g.value(dist, DCTERMS.title)) for dist in g.objects(None, DCAT.distribution)}


def _read_description(description: Path):
    """A release's description as a graph, read as a regular file; ReleaseError if not."""
    from rdflib import Graph

    from realpolitik.inputs import Refused, read_regular

    g = Graph()
    try:
        g.parse(data=read_regular(description), format="turtle")
    except Refused as exc:
        raise ReleaseError(f"{description}: {exc}") from None
    except Exception as exc:  # rdflib raises many kinds; all mean the same here
        raise ReleaseError(f"{description}: cannot read it: {str(exc).splitlines()[0]}") from None
    return g


_recover = folders.recover


def _build_into(out: Path, root, reason: bool) -> Built:
    from realpolitik import __version__
    from realpolitik.querying.catalog import named
    from realpolitik.release import formats
    from realpolitik.release.describe import describe
    from realpolitik.release.graphs import COUNTED, PRODUCTS, assemble, in_product

    start = time.perf_counter()
    assembled = assemble(root, __version__, reason=reason)
    built = Built(out)
    by_product = {}
    for product in PRODUCTS:
        quads = formats.canonical([q for q in assembled.quads if in_product(q.graph_name.value, product)])
        by_product[product] = quads
        built.triples[product] = len({(q.subject, q.predicate, q.object) for q in quads})
        for ext, media_type in formats.EXTENSIONS.items():
            name = f"realpolitik-{product}.{ext}"
            data = formats.write(quads, ext, with_graphs=True)
            folders.write_file(out / name, data)
            built.files.append({"file": name, "media_type": media_type, "bytes": len(data),
                                "sha256": hashlib.sha256(data).hexdigest()})
    context = (json.dumps(formats.context(), indent=1) + "\n").encode("utf-8")
    folders.write_file(out / CONTEXT, context)
    built.files.append({"file": CONTEXT, "media_type": "application/ld+json", "bytes": len(context),
                        "sha256": hashlib.sha256(context).hexdigest()})
    for q in (q for product in COUNTED for q in by_product[product]):
        built.graphs[q.graph_name.value] = built.graphs.get(q.graph_name.value, 0) + 1
    description = describe(__version__, issued_date(), by_product, built.files, named().values())
    folders.write_file(out / DESCRIPTION, description.serialize(format="turtle", encoding="utf-8"))
    built.seconds = time.perf_counter() - start
    return built


def check(directory: Path) -> list[str]:
    """What in ``directory`` does not match its description; empty when all is well."""
    from rdflib import Namespace
    from rdflib.namespace import DCAT, DCTERMS, VOID

    from realpolitik.inputs import Refused
    from realpolitik.store import engine as ox

    spdx = Namespace("http://spdx.org/rdf/terms#")
    problems = []
    description = directory / DESCRIPTION
    if not description.is_file():
        raise ReleaseError(f"{description}: no release description here")
    g = _read_description(description)
    listed = set()
    for dist in g.objects(None, DCAT.distribution):
        name = str(g.value(dist, DCTERMS.title))
        listed.add(name)
        size = _number(g.value(dist, DCAT.byteSize))
        digest = g.value(g.value(dist, spdx.checksum), spdx.checksumValue)
        if size is None or digest is None:
            raise ReleaseError(f"{description}: {name}: no {'dcat:byteSize' if size is None else 'SHA-256'} given")
        try:
            length, actual = _measure(directory / name)
        except FileNotFoundError:
            problems.append(f"{name}: missing")
            continue
        except Refused as exc:
            problems.append(f"{name}: {exc}")
            continue
        if length != size:
            problems.append(f"{name}: {length} bytes, the description says {size}")
        if actual != str(digest):
            problems.append(f"{name}: SHA-256 {actual}, the description says {digest}")
    for path in sorted(directory.iterdir()):
        if _is_regular(path) and path.name not in listed and path.name != DESCRIPTION:
            problems.append(f"{path.name}: not in the description")
    from realpolitik.release.graphs import COUNTED

    parts = [directory / f"realpolitik-{product}.nq" for product in COUNTED]
    if all(path.is_file() for path in parts) and not problems:
        counts: dict[str, int] = {}
        for path in parts:
            for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
                counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
        for graph in g.objects(None, VOID.subset):
            expected = int(g.value(graph, VOID.triples))
            if counts.get(str(graph), 0) != expected:
                problems.append(f"graph <{graph}>: {counts.get(str(graph), 0)} triples, the description says {expected}")
    return problems


def _number(term) -> int | None:
    try:
        return int(str(term)) if term is not None else None
    except ValueError:
        return None


def _measure(path: Path) -> tuple[int, str]:
    """A release file's size and SHA-256, read without following a link."""
    from realpolitik.inputs import measure, open_regular

    with open_regular(path) as handle:
        return measure(handle)
