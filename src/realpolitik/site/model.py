"""The dataset as the site reads it: every statement of the embedded store, indexed by
subject and by object, with each described data node's category and page path."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from realpolitik.store import engine as ox
from realpolitik.namespaces import PREFIXES, RP, RPD, RPV, curie

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
OA = PREFIXES["oa"]

# Folder by the most telling class; the first that matches wins.
CATEGORIES = (
    ("claims", RP + "Claim"),
    ("sources", RP + "Source"),
    ("actors", RP + "Actor"),
    ("agreements", RP + "LegalInstrument"),
    ("transfers", RP + "WeaponsTransfer"),
    ("events", RP + "Event"),
    ("facts", RP + "Fact"),
)
OTHER = "entities"
TITLES = {
    "actors": "Actors", "agreements": "Agreements and legal instruments", "transfers": "Weapons transfers",
    "events": "Events", "facts": "Offices and memberships", "claims": "Claims", "sources": "Sources",
    "entities": "Places, offices and military items",
}
FOLDERS = tuple(name for name, _ in CATEGORIES) + (OTHER,)


def slug(text: str) -> str:
    """A file name from an IRI's local name: lower-case letters, digits and hyphens
    only, so nothing can climb out of its folder."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120] or "node"


class Model:
    def __init__(self, on):
        self.out: dict = defaultdict(lambda: defaultdict(set))  # subject -> predicate IRI -> objects
        self.into: dict = defaultdict(set)  # object -> (subject, predicate IRI)
        for s, p, o in on.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows:
            self.out[s][p.value].add(o)
            if not isinstance(o, ox.Literal):
                self.into[o].add((s, p.value))
        self._supers: dict[str, set[str]] = {}
        self.category: dict[str, str] = {}
        self.path: dict[str, str] = {}  # data IRI -> page path, without extension
        taken: set[str] = set()
        nodes = sorted(s.value for s in self.out if isinstance(s, ox.NamedNode) and s.value.startswith(RPD)
                       and self.values(s.value, RDF_TYPE))
        for iri in nodes:
            folder = self._category(iri)
            name = slug(iri[len(RPD):])
            if f"{folder}/{name}" in taken:  # two IRIs, one slug: the hash tells them apart
                name = f"{name}-{hashlib.sha256(iri.encode()).hexdigest()[:8]}"
            taken.add(f"{folder}/{name}")
            self.category[iri] = folder
            self.path[iri] = f"{folder}/{name}"

    # --- reading -------------------------------------------------------------------

    def values(self, node, predicate: str) -> list:
        """The objects of ``node``'s ``predicate``, sorted."""
        key = ox.NamedNode(node) if isinstance(node, str) else node
        return sorted(self.out.get(key, {}).get(predicate, ()), key=str)

    def value(self, node, predicate: str):
        found = self.values(node, predicate)
        return found[0] if found else None

    def text(self, node, predicate: str) -> str | None:
        """A literal value, English first."""
        found = [v for v in self.values(node, predicate) if isinstance(v, ox.Literal)]
        found.sort(key=lambda v: (v.language not in ("en", None), str(v)))
        return found[0].value if found else None

    def subjects(self, predicate: str, obj) -> list:
        key = ox.NamedNode(obj) if isinstance(obj, str) else obj
        return sorted((s for s, p in self.into.get(key, ()) if p == predicate), key=str)

    def incoming(self, iri: str) -> list[tuple]:
        return sorted(self.into.get(ox.NamedNode(iri), ()), key=lambda sp: (sp[1], str(sp[0])))

    def items(self, node) -> list:
        """The members of an RDF list, in order."""
        found, seen = [], set()
        while node is not None and str(node) not in seen and str(node) != f"<{PREFIXES['rdf']}nil>":
            seen.add(str(node))
            first = self.value(node, PREFIXES["rdf"] + "first")
            if first is None:
                break
            found.append(first)
            node = self.value(node, PREFIXES["rdf"] + "rest")
        return found

    def supers(self, cls: str) -> set[str]:
        if cls not in self._supers:
            found, pending = {cls}, [cls]
            while pending:
                for parent in self.values(pending.pop(), RDFS + "subClassOf"):
                    if isinstance(parent, ox.NamedNode) and parent.value not in found:
                        found.add(parent.value)
                        pending.append(parent.value)
            self._supers[cls] = found
        return self._supers[cls]

    def classes(self, iri: str) -> set[str]:
        found = set()
        for cls in self.values(iri, RDF_TYPE):
            if isinstance(cls, ox.NamedNode):
                found |= self.supers(cls.value)
        return found

    def _category(self, iri: str) -> str:
        classes = self.classes(iri)
        return next((name for name, cls in CATEGORIES if cls in classes), OTHER)

    def is_a(self, iri: str, cls: str) -> bool:
        return cls in self.classes(iri)

    def label(self, node) -> str:
        """What a reader calls the node."""
        if isinstance(node, ox.Literal):
            return node.value
        if isinstance(node, ox.BlankNode):
            return "(unnamed)"
        iri = node.value if isinstance(node, ox.NamedNode) else node
        for predicate in (RDFS + "label", SKOS + "prefLabel", RP + "statement", RP + "itemDescription", RP + "title"):
            text = self.text(iri, predicate)
            if text:
                return text
        holder, office = self.value(iri, RP + "holder"), self.value(iri, RP + "office")
        if holder is not None and office is not None:
            return f"{self.label(holder)}, {self.label(office)}"
        member, of = self.value(iri, RP + "member"), self.value(iri, RP + "memberOf")
        if member is not None and of is not None:
            return f"{self.label(member)}, member of {self.label(of)}"
        return curie(iri)

    def kind(self, iri: str) -> str:
        """The label of the node's most specific class."""
        classes = [c.value for c in self.values(iri, RDF_TYPE) if isinstance(c, ox.NamedNode)]
        specific = [c for c in classes if not any(c != o and c in self.supers(o) for o in classes)]
        names = sorted(self.label(c) for c in specific or classes)
        return ", ".join(names) or "thing"

    def pages(self, folder: str) -> list[str]:
        return sorted((iri for iri, f in self.category.items() if f == folder), key=lambda i: (self.label(i).casefold(), i))

    # --- claims ------------------------------------------------------------------

    def evidence(self, claim: str) -> list[dict]:
        """Each quote of a claim: its source, and the selector's exact, prefix, suffix."""
        found = []
        for ev in self.values(claim, RP + "evidence"):
            source = self.value(ev, OA + "hasSource")
            for selector in self.values(ev, OA + "hasSelector"):
                exact = self.text(selector, OA + "exact")
                if exact:
                    found.append({"source": source.value if isinstance(source, ox.NamedNode) else None,
                                  "exact": exact, "prefix": self.text(selector, OA + "prefix"),
                                  "suffix": self.text(selector, OA + "suffix")})
        return sorted(found, key=lambda e: (e["source"] or "", e["exact"]))

    def claims_backing(self, iri: str) -> list[str]:
        return [s.value for s in self.subjects(RP + "supports", iri) if isinstance(s, ox.NamedNode)]

    def is_concept(self, node) -> bool:
        return isinstance(node, ox.NamedNode) and node.value.startswith(RPV)
