"""The named queries: ``.rq`` files in the package, each documented by its header.

A header is the comment block at the top of the file::

    # transfers: who supplied what to whom, with status, dates and the evidence.
    #
    # Longer description ...
    #
    # @param supplier  actor                      The supplier: a name, CURIE or IRI.
    # @param category  concept weapon-categories  A weapon category.
    # @param actor     actor required             ...
    # @list categories
    # @example realpolitik query transfers --recipient Iran

A parameter has a name (also the query variable it binds), a type (actor, claimant,
source, fact, concept <scheme>, integer, string), ``required`` if it must be given, and
a description. ``@list`` names the columns that hold lists joined with "; "
(GROUP_CONCAT), which come back sorted: SPARQL leaves their order to the store.
Reading the catalog needs no RDF library, so ``--help`` stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from realpolitik.errors import RealpolitikError

TYPES = ("actor", "claimant", "source", "fact", "concept", "integer", "string")
_PARAM = re.compile(r"^#\s*@param\s+(\w+)\s+(\w+)(?:\s+([a-z][a-z-]*))?(\s+required)?\s+(.*)$")


class CatalogError(RealpolitikError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    required: bool = False
    scheme: str | None = None  # for concept parameters: the SKOS scheme's local name


@dataclass
class NamedQuery:
    name: str
    summary: str
    description: str
    params: list[Param]
    examples: list[str]
    text: str = field(repr=False)
    lists: tuple[str, ...] = ()
    check: bool = False  # a QC query: must return no rows

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse(name: str, text: str, check: bool = False) -> NamedQuery:
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    if not header or ":" not in header[0]:
        raise CatalogError(f"{name}.rq: the first line must be '# {name}: what it answers'")
    title, _, summary = header[0].lstrip("# ").partition(":")
    if title.strip() != name:
        raise CatalogError(f"{name}.rq: its header names it {title.strip()!r}")
    params, examples, description, lists = [], [], [], []
    for line in header[1:]:
        if line.startswith("# @param") or line.startswith("#@param"):
            m = _PARAM.match(line)
            if not m:
                raise CatalogError(f"{name}.rq: cannot read {line!r}")
            pname, ptype, scheme, required, text_ = m.groups()
            if ptype not in TYPES:
                raise CatalogError(f"{name}.rq: parameter {pname} has unknown type {ptype}")
            if ptype == "concept" and not scheme:
                raise CatalogError(f"{name}.rq: concept parameter {pname} needs its scheme")
            if ptype != "concept" and scheme and scheme != "required":
                raise CatalogError(f"{name}.rq: cannot read {line!r}")
            params.append(
                Param(pname, ptype, text_.strip(), bool(required) or scheme == "required", scheme if ptype == "concept" else None)
            )
        elif line.startswith("# @list"):
            lists += line.split("@list", 1)[1].split()
        elif line.startswith("# @example"):
            examples.append(line.split("@example", 1)[1].strip())
        else:
            description.append(line[1:].strip())
    return NamedQuery(
        name=name,
        summary=summary.strip(),
        description="\n".join(description).strip(),
        params=params,
        examples=examples,
        text=text,
        lists=tuple(lists),
        check=check,
    )


def _folder(*parts: str):
    node = files("realpolitik").joinpath("queries")
    for part in parts:
        node = node.joinpath(part)
    return node


@lru_cache(maxsize=None)
def named() -> dict[str, NamedQuery]:
    """Every named query, by name."""
    found = {}
    for entry in sorted(_folder().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            found[name] = parse(name, entry.read_text(encoding="utf-8"))
    return found


@lru_cache(maxsize=None)
def checks() -> dict[str, NamedQuery]:
    """The QC queries (``qc/*-violation.rq``): each must return no rows."""
    found = {}
    for entry in sorted(_folder("qc").iterdir(), key=lambda e: e.name):
        if entry.name.endswith("-violation.rq"):
            name = entry.name[:-3]
            found[name] = parse(name, entry.read_text(encoding="utf-8"), check=True)
    return found


def get(name: str) -> NamedQuery:
    queries = named()
    if name not in queries:
        import difflib

        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; the queries are {', '.join(queries)}"
        raise CatalogError(f"no named query {name!r}{hint}")
    return queries[name]
