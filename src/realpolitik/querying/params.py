"""Typed query parameters, resolved against the data and substituted into the query.

What a user types never reaches a query as text: it is resolved to an RDF term (an
actor named "Tehran" becomes <https://w3id.org/realpolitik/id/state-irn>, "declined"
becomes rpv:declined, "2016" an xsd:integer), and the term, serialized by pyoxigraph,
is substituted for the parameter's variable in the query (``substitute``). A name that
matches nothing, or more than one thing, is an error that lists what is close.

Substitution rather than a ``VALUES`` block: a term in the query's patterns reaches
every UNION branch and subquery, where a store's planner starts from it; a ``VALUES``
block at the top is joined only after the branches have read the whole register
(``ties`` on a million-triple register: 3.1 s against 65 ms). The semantics are SPARQL's
substitution (SEP-0007): ``BOUND(?param)`` becomes true; a parameter that is not given
stays a free variable, so a query is written to mean "any" then. ``with_values`` stays
for the resolving lookups below, one of which projects the node it is given.
"""

from __future__ import annotations

import difflib
import re

from realpolitik.store import engine as ox
from realpolitik.errors import RealpolitikError
from realpolitik.namespaces import PREFIXES, RP, RPV, curie
from realpolitik.querying.catalog import NamedQuery, Param

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
MAX_LENGTH = 500

# What a name may stand for, by parameter type.
TOPS = {
    "actor": ("Actor",),
    "claimant": ("Actor", "Source"),
    "source": ("Source",),
    "fact": ("Fact",),
}

_CANDIDATES = """
PREFIX rp: <https://w3id.org/realpolitik/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?node ?name WHERE {
  ?node rdf:type/rdfs:subClassOf* ?top .
  OPTIONAL {
    { ?node rdfs:label ?name } UNION { ?node skos:altLabel ?name }
    UNION { ?node rp:textFile ?file . BIND (REPLACE(STR(?file), "^texts/|[.]txt$", "") AS ?name) }
  }
}
"""

# The fast paths: a node named by IRI, or by its exact label or alias, found through the
# store's indexes; only when they find nothing are all candidates listed.
_IS_A = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?node WHERE { ?node rdf:type/rdfs:subClassOf* ?top . }
"""

_BY_NAME = """
PREFIX rp: <https://w3id.org/realpolitik/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?node ?label WHERE {
  { ?node rdfs:label ?name } UNION { ?node skos:altLabel ?name }
  ?node rdf:type/rdfs:subClassOf* ?top .
  OPTIONAL { ?node rdfs:label ?label }
}
"""

_CONCEPTS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?node ?name WHERE {
  ?node skos:inScheme ?scheme ; skos:prefLabel ?name .
}
"""


class ParamError(RealpolitikError):
    """A parameter value that cannot be used, said in one line. ``parameter`` is the
    parameter's name and ``mentions`` the names the problem speaks of (its ``{}``), each
    spelled as the caller spells it: ``recipient`` in Python, ``--recipient`` on the
    command line."""

    def __init__(self, problem: str, parameter: str | None = None, mentions: tuple = ()):
        self.problem, self.parameter, self.mentions = problem, parameter, mentions
        super().__init__(self.worded(lambda name: name))

    def worded(self, spell) -> str:
        def spelled(names):
            return ", ".join(map(spell, names)) if isinstance(names, (list, tuple)) else spell(names)

        text = self.problem.format(*map(spelled, self.mentions)) if self.mentions else self.problem
        return f"{spell(self.parameter)}: {text}" if self.parameter else text

    def for_command_line(self) -> str:
        return self.worded(lambda name: f"--{name}")


def values_block(bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    return "".join(f"  VALUES ?{name} {{ {term} }}\n" for name, term in sorted(bindings.items()))


# Where a variable cannot hide: strings, IRIs and comments.
NOT_CODE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


def substitute(text: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with each bound parameter's variable replaced by its term, outside
    strings, IRIs and comments; ``BOUND(?name)`` becomes ``true``."""
    if not bindings:
        return text
    names = "|".join(re.escape(name) for name in sorted(bindings, key=len, reverse=True))
    variable = re.compile(rf"\b(?i:BOUND)\s*\(\s*[?$]({names})\s*\)|[?$]({names})(?![\w\u00B7\u0300-\u036F\u203F-\u2040])")

    def replace(match: re.Match) -> str:
        if match.group(1):
            return "true"
        return str(bindings[match.group(2)])

    out, last = [], 0
    for skipped in NOT_CODE.finditer(text):
        out.append(variable.sub(replace, text[last : skipped.start()]))
        out.append(skipped.group(0))
        last = skipped.end()
    out.append(variable.sub(replace, text[last:]))
    return "".join(out)


def with_values(text: str, bindings: dict) -> str:
    """The query with ``bindings`` as VALUES blocks opening its (first) WHERE clause."""
    if not bindings:
        return text
    match = re.search(r"\bWHERE\s*\{", text)
    if match is None:
        raise ParamError("the query has no WHERE clause to bind parameters in")
    return text[: match.end()] + "\n" + values_block(bindings) + text[match.end() :]


def _iri(raw: str) -> str | None:
    """The IRI a CURIE or an <IRI> or http(s) IRI names, or None for a plain name."""
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^https?://", text):
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and " " not in local:
        return PREFIXES[prefix] + local
    return None


def _named(text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise ParamError(f"{text!r} is not a valid IRI ({exc})") from None


def _choose(raw: str, kind: str, candidates: list[tuple[ox.NamedNode, str]]) -> ox.NamedNode:
    """The one candidate ``raw`` names (an IRI, a CURIE, or a label, case aside)."""
    iri = _iri(raw)
    nodes = {node.value: node for node, _ in candidates}
    if iri is not None:
        node = _named(iri)
        if node.value in nodes:
            return node
        raise ParamError(f"{curie(node.value)} is not {_article(kind)} in the dataset")
    wanted = raw.strip().casefold()
    matches = sorted({node.value for node, name in candidates if name is not None and name.casefold() == wanted})
    if len(matches) == 1:
        return nodes[matches[0]]
    labels = {}
    for node, name in candidates:
        if name is not None:
            labels.setdefault(node.value, name)
    if len(matches) > 1:
        listed = ", ".join(f"{labels[m]} ({curie(m)})" for m in matches)
        raise ParamError(f"{raw!r} is ambiguous: {listed}; give a CURIE")
    names = sorted({name for _, name in candidates if name is not None})
    close = difflib.get_close_matches(raw.strip(), names, n=5, cutoff=0.6)
    if not close:
        folded = {n.casefold(): n for n in names}
        close = [folded[n] for n in difflib.get_close_matches(wanted, list(folded), n=5, cutoff=0.6)]
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ParamError(f"no {kind} is called {raw!r}{hint}")


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def resolve(param: Param, raw: str, backend) -> ox.NamedNode | ox.Literal:
    """The RDF term ``raw`` stands for, for ``param``."""
    if not isinstance(raw, str):
        raw = str(raw)
    if len(raw) > MAX_LENGTH:
        raise ParamError(f"longer than {MAX_LENGTH} characters", param.name)
    if "\x00" in raw:
        raise ParamError("contains a NUL character", param.name)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,9}", raw.strip()):
            raise ParamError(f"{raw!r} is not a whole number", param.name)
        return ox.Literal(str(int(raw)), datatype=XSD_INTEGER)
    if param.type == "string":
        if len(raw.strip()) < 2:
            raise ParamError("give at least two characters", param.name)
        return ox.Literal(raw)
    if param.type == "concept":
        scheme = ox.NamedNode(RPV + param.scheme)
        rows = backend.select(_with_term(_CONCEPTS, "scheme", scheme)).rows
        candidates = [(node, str(name.value)) for node, name in rows]
        local = raw.strip()
        for node, _ in candidates:  # the concept's own name, "declined" for rpv:declined
            if node.value == RPV + local:
                return node
        wanted = local.casefold()
        for node, name in candidates:
            if name.casefold() == wanted:
                return node
        allowed = ", ".join(sorted(node.value[len(RPV) :] for node, _ in candidates))
        raise ParamError(f"{raw!r} is not one of {param.scheme}: {allowed}", param.name)
    tops = [ox.NamedNode(RP + top) for top in TOPS[param.type]]
    iri = _iri(raw)
    if iri is not None:  # a CURIE or IRI: is it of the right kind?
        try:
            node = _named(iri)
        except ParamError as exc:
            raise ParamError(exc.problem, param.name) from None
        for top in tops:
            if backend.select(with_values(_IS_A, {"node": node, "top": top})).rows:
                return node
        raise ParamError(f"{curie(node.value)} is not {_article(param.type)} in the dataset", param.name)
    exact = {}
    for top in tops:
        for name in (ox.Literal(raw.strip(), language="en"), ox.Literal(raw.strip())):
            for node, label in backend.select(with_values(_BY_NAME, {"name": name, "top": top})).rows:
                exact[node.value] = (node, label.value if label is not None else None)
    if len(exact) == 1:
        return next(iter(exact.values()))[0]
    candidates = []
    for top in tops:  # the slow path: every candidate, to match case-blind or to suggest
        rows = backend.select(_with_term(_CANDIDATES, "top", top)).rows
        candidates += [(node, name.value if name is not None else None) for node, name in rows if isinstance(node, ox.NamedNode)]
    try:
        return _choose(raw, param.type, candidates)
    except ParamError as exc:
        raise ParamError(exc.problem, param.name) from None


def _with_term(text: str, name: str, term) -> str:
    return with_values(text, {name: term})


def bind(query: NamedQuery, given: dict[str, str], backend) -> dict:
    """Resolve every parameter given for ``query``; check the required ones are there."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        names = [p.name for p in query.params]
        raise ParamError(f"{query.name} has no parameter {{}} (its parameters: {{}})" if names
                         else f"{query.name} has no parameter {{}} (it has none)", mentions=(unknown[0], names))
    bound = {}
    for param in query.params:
        raw = given.get(param.name)
        if raw is None:
            if param.required:
                description = param.description.replace("{", "{{").replace("}", "}}")
                raise ParamError(f"{query.name} needs {{}}: {description}", mentions=(param.name,))
            continue
        bound[param.name] = resolve(param, raw, backend)
    return bound
