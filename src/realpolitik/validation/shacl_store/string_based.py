"""String-based constraint components (SHACL 4.4): sh:minLength, sh:maxLength,
sh:pattern, sh:languageIn, sh:uniqueLang."""

from __future__ import annotations

from rdflib import BNode, Literal

from realpolitik import _compat as compat
from realpolitik.validation.shacl_store.results import each


def _pattern(engine, c, value_nodes):
    out = []
    for rule in compat.rules(c):
        matcher = compat.compiled_pattern(c, rule)
        out += each(engine, c, value_nodes,
                    lambda v: not isinstance(v, BNode) and matcher.search(compat.string_of(c, v)))
    return out


def _min_length(engine, c, value_nodes):
    least = int(compat.rules(c)[0].value)
    return each(engine, c, value_nodes,  # a length of at least 0 holds even of a blank node
                lambda v: least == 0 or (not isinstance(v, BNode) and len(compat.string_of(c, v)) >= least))


def _max_length(engine, c, value_nodes):
    most = int(compat.rules(c)[0].value)
    return each(engine, c, value_nodes,
                lambda v: not isinstance(v, BNode) and len(compat.string_of(c, v)) <= most)


def _language_in(engine, c, value_nodes):
    """As pyshacl matches: the tag, or its first subtag, among the listed (any case);
    "*" any tag."""
    wanted = {str(tag).lower() for tag in engine.sg.graph.items(compat.rules(c)[0])}

    def ok(v):
        tag = v.language if isinstance(v, Literal) else None
        return bool(tag) and ("*" in wanted or tag.lower() in wanted or tag.split("-")[0].lower() in wanted)

    return each(engine, c, value_nodes, ok)


def _unique_lang(engine, c, value_nodes):
    """A result (with no value, as pyshacl reports it) for each language tag that more
    than one value of a focus node has."""
    if not next(iter(compat.rules(c))):
        return []
    out = []
    for f, vs in value_nodes.items():
        seen, repeated = set(), []
        for v in vs:
            tag = v.language.lower() if isinstance(v, Literal) and v.language else None
            if tag and tag in seen and tag not in repeated:
                repeated.append(tag)
            seen.add(tag)
        out += [engine.result(c, f) for _ in repeated]
    return out


CHECKS = {
    "PatternConstraintComponent": _pattern,
    "MinLengthConstraintComponent": _min_length,
    "MaxLengthConstraintComponent": _max_length,
    "LanguageInConstraintComponent": _language_in,
    "UniqueLangConstraintComponent": _unique_lang,
}
