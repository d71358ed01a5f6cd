"""The ontology's reference: every class, property, datatype and controlled vocabulary
with its label, definition, domain and range, the shapes that apply to it, and examples
from the data, linked to their pages.

Written here rather than by pyLODE: pyLODE documents an ontology alone, and this page
needs the data (examples linked into the site) and the SHACL shapes beside each term;
a few templates do that without a dependency pinned to an old release."""

from __future__ import annotations

from collections import defaultdict

from realpolitik.store import engine as ox
from realpolitik.namespaces import PREFIXES, RP, RPV, curie
from realpolitik.site.html import esc, page
from realpolitik.site.model import RDF_TYPE, RDFS, SKOS, Model
from realpolitik.site.pages import Site, term_anchor

OWL = PREFIXES["owl"]
SH = PREFIXES["sh"]
HERE = "ontology/index.html"
EXAMPLES = 3
# Constraint parameters not worth a word in the summary: the message says them.
QUIET = {SH + "path", SH + "message", SH + "name", SH + "description", SH + "severity", SH + "sparql",
         SH + "select", SH + "prefixes", RDFS + "label", RDF_TYPE}


class Reference:
    def __init__(self, site: Site, shapes: Model):
        self.site = site
        self.m = site.m
        self.shapes = shapes
        self.uses: dict[str, list] = defaultdict(list)  # predicate -> (subject, object) in the data
        for subject in sorted(self.m.path):
            for predicate, objects in self.m.out[ox.NamedNode(subject)].items():
                for obj in sorted(objects, key=str):
                    self.uses[predicate].append((subject, obj))

    def terms(self, *types: str) -> list[str]:
        found = set()
        for t in types:
            found |= {s.value for s in self.m.subjects(RDF_TYPE, t)
                      if isinstance(s, ox.NamedNode) and s.value.startswith((RP, RPV))}
        return sorted(found, key=lambda i: curie(i).casefold())

    def link(self, node) -> str:
        return self.site.link(HERE, node)

    def _term(self, node) -> str:
        if isinstance(node, ox.NamedNode):
            return curie(node.value)
        if isinstance(node, ox.BlankNode):  # a list, or a nested constraint: said by its content
            members = self.shapes.items(node)
            return "(" + " ".join(self._term(x) for x in members) + ")" if members else "[" + self._parts(node) + "]"
        return node.value

    def _parts(self, node) -> str:
        parts = []
        for predicate in sorted(self.shapes.out.get(node, {})):
            if predicate in QUIET:
                continue
            values = sorted(self._term(v) for v in self.shapes.values(node, predicate))
            parts.append(f"{predicate[len(SH):] if predicate.startswith(SH) else curie(predicate)} {' '.join(values)}")
        return "; ".join(parts)

    def _constraint(self, node) -> str:
        message = self.shapes.text(node, SH + "message")
        return esc(self._parts(node)) + (f" — <q>{esc(message)}</q>" if message else "")

    def shapes_for_class(self, cls: str) -> list[str]:
        out = []
        for target_class in sorted(self.m.supers(cls)):
            for shape in self.shapes.subjects(SH + "targetClass", target_class):
                name = curie(shape.value) if isinstance(shape, ox.NamedNode) else "a shape"
                via = "" if target_class == cls else f" (through {esc(curie(target_class))})"
                rules = [self.shapes.text(q, SH + "message") for q in self.shapes.values(shape, SH + "sparql")]
                extra = "".join(f"<li>{esc(r)}</li>" for r in sorted(filter(None, rules)))
                count = len(self.shapes.values(shape, SH + "property"))
                out.append(f"<li><code>{esc(name)}</code>{via}: {count} property constraints"
                           + (f"<ul>{extra}</ul>" if extra else "") + "</li>")
        return out

    def shapes_for_property(self, prop: str) -> list[str]:
        out = []
        for constraint in self.shapes.subjects(SH + "path", prop):
            for shape in self.shapes.subjects(SH + "property", constraint) or [constraint]:
                name = curie(shape.value) if isinstance(shape, ox.NamedNode) else "a shape"
                out.append(f"<li><code>{esc(name)}</code>: {self._constraint(constraint)}</li>")
        return sorted(set(out))

    def examples(self, term: str, kinds: set[str]) -> list[str]:
        m = self.m
        if OWL + "Class" in kinds:
            found = [i for i in sorted(m.path) if term in m.classes(i)]
            return [self.link(ox.NamedNode(i)) for i in found[:EXAMPLES]]
        if kinds & {OWL + "ObjectProperty", OWL + "DatatypeProperty"}:
            return [f"{self.link(ox.NamedNode(s))} → {self.site.value_html(HERE, term, o)}"
                    for s, o in self.uses.get(term, [])[:EXAMPLES]]
        users = sorted({s.value for s, _ in m.into.get(ox.NamedNode(term), ()) if isinstance(s, ox.NamedNode)
                        and s.value in m.path})
        return [self.link(ox.NamedNode(s)) for s in users[:EXAMPLES]]

    def entry(self, term: str) -> str:
        m = self.m
        kinds = {t.value for t in m.values(term, RDF_TYPE) if isinstance(t, ox.NamedNode)}
        rows = [("types", ", ".join(esc(curie(k)) for k in sorted(kinds)))]
        for predicate, name in ((RDFS + "subClassOf", "subclass of"), (RDFS + "subPropertyOf", "subproperty of"),
                                (RDFS + "domain", "domain"), (RDFS + "range", "range"),
                                (SKOS + "inScheme", "in scheme"), (SKOS + "hasTopConcept", "concepts"),
                                (RDFS + "isDefinedBy", "defined by"), (OWL + "equivalentClass", "equivalent to")):
            values = [v for v in m.values(term, predicate) if isinstance(v, ox.NamedNode)]
            if values:
                rows.append((name, ", ".join(self.link(v) for v in values)))
        subclasses = [s for s in m.subjects(RDFS + "subClassOf", term) if isinstance(s, ox.NamedNode)]
        if subclasses:
            rows.append(("subclasses", ", ".join(self.link(s) for s in subclasses)))
        shapes = self.shapes_for_class(term) if OWL + "Class" in kinds else self.shapes_for_property(term)
        examples = self.examples(term, kinds)
        table = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
        definition = m.text(term, SKOS + "definition") or m.text(term, RDFS + "comment") or ""
        return (f'<section class="term" id="{esc(term_anchor(term))}"><h3>{esc(m.label(term))} '
                f"<code>{esc(curie(term))}</code></h3>\n<p>{esc(definition)}</p>\n<table class=\"statements\">{table}</table>\n"
                + (f"<p>Shapes that apply:</p><ul>{''.join(shapes)}</ul>\n" if shapes else "")
                + (f"<p>In the data:</p><ul>{''.join(f'<li>{e}</li>' for e in examples)}</ul>\n" if examples else "")
                + "</section>\n")

    def page(self) -> str:
        groups = (
            ("Classes", self.terms(OWL + "Class")),
            ("Object properties", self.terms(OWL + "ObjectProperty")),
            ("Datatype properties", self.terms(OWL + "DatatypeProperty")),
            ("Datatypes", self.terms(RDFS + "Datatype")),
            ("Vocabularies", self.terms(SKOS + "ConceptScheme")),
            ("Concepts", self.terms(SKOS + "Concept")),
        )
        contents = "".join(
            f"<li>{esc(title)}: " + ", ".join(f'<a href="#{esc(term_anchor(t))}">{esc(curie(t))}</a>' for t in terms) + "</li>"
            for title, terms in groups)
        sections = "".join(f"<h2>{esc(title)}</h2>\n" + "".join(self.entry(t) for t in terms) for title, terms in groups)
        intro = ("<p>Every term of the realpolitik ontology (<code>rp:</code>) and its controlled vocabularies "
                 "(<code>rpv:</code>), with the SHACL shapes that check it and examples from the data.</p>\n")
        return page(HERE, "Ontology reference", intro + f"<ul class=\"contents\">{contents}</ul>\n" + sections)
