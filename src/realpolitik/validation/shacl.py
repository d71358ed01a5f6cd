"""SHACL validation: on the store (validation.shacl_store), or by pyshacl, the
reference implementation (``evaluate`` chooses and says which ran).

The ontology goes in as pyshacl's ontology graph, so that ``sh:targetClass`` and
``sh:class`` see subclasses (a rp:Summit is checked as a rp:Event). No RDFS or OWL
inference runs on the data: a range axiom would turn "wrong class" findings into
misleading "missing field" ones.
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, SKOS

from realpolitik.namespaces import curie
from realpolitik.validation.findings import Engine, Finding, at
from realpolitik.validation.locate import Locator, describe

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


def term_text(term) -> str:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return curie(str(term))
    return term.n3() if hasattr(term, "n3") else str(term)


def _value_text(data: Graph, value) -> str | None:
    # A blank node's label is internal to one run: say where it is instead.
    return describe(data, value) if isinstance(value, BNode) else term_text(value)


def path_text(graph: Graph, path) -> str | None:
    """A SHACL property path in SPARQL property-path syntax, with the project's prefixes."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return curie(str(path))
    if graph.value(path, RDF.first) is not None:  # a sequence path
        return "/".join(path_text(graph, step) for step in Collection(graph, path))
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(path_text(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, step) for step in Collection(graph, alternatives)) + ")"
    return path.n3()


_IRI_IN_TEXT = re.compile(r"<?(https?://[^\s<>\"{}|^`,;()]+[^\s<>\"{}|^`,;().])>?")


def shorten_iris(message: str) -> str:
    return _IRI_IN_TEXT.sub(lambda m: curie(m.group(1)), message)


def vocabulary(ontology: Graph) -> Graph:
    """The SKOS concepts and schemes of the ontology: instances, not axioms, so pyshacl's
    ontology mix-in (which copies only RDFS and OWL axioms) leaves them out."""
    out = Graph()
    for kind in (SKOS.Concept, SKOS.ConceptScheme):
        for node in ontology.subjects(RDF.type, kind):
            for p, o in ontology.predicate_objects(node):
                out.add((node, p, o))
    return out


def evaluate(opened, data, shapes: Graph, ontology: Graph, locator: Locator,
             within=None) -> tuple[list[Finding], Engine]:
    """The SHACL findings, and the engine that found them: the store engine on
    ``opened`` (a cache.Opened), or pyshacl on ``data`` where that would not give
    pyshacl's results (or is asked for), with the reason why. ``data``: the data graph,
    or a function giving it, called only where pyshacl runs or a blank node is described.
    ``within``: only these focus nodes (the store engine's ``run``)."""
    from realpolitik.settings import current
    from realpolitik.validation.shacl_store import Unsupported

    if current().shacl == "pyshacl":
        why = "asked for by REALPOLITIK_SHACL=pyshacl"
    elif opened.rewritten_literals:
        n = opened.rewritten_literals
        why = f"the store holds {n} literal{'s' if n != 1 else ''} in another form than written"
    else:
        try:
            return run_on_store(opened.store, shapes, data, locator, union=True, within=within), Engine("store")
        except Unsupported as exc:
            why = str(exc)
    return run(data() if callable(data) else data, shapes, ontology, locator), Engine("pyshacl", why)


def run(data: Graph, shapes: Graph, ontology: Graph, locator: Locator) -> list[Finding]:
    """The findings of pyshacl, the reference."""
    from pyshacl import validate

    from realpolitik._compat import sparql_parsed_once

    data_and_vocabulary = data + vocabulary(ontology)
    with sparql_parsed_once():
        _, results, text = validate(
            data_and_vocabulary,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            allow_warnings=True,
        )
    if not isinstance(results, Graph):  # pyshacl could not run the shapes at all
        return [Finding(check="shacl", severity="error", message=f"the shapes cannot be applied: {text}")]
    return findings(report_results(results), shapes, data, locator, paths=results)


def report_results(results: Graph) -> list:
    """pyshacl's report graph as Results; only the report's own results: nested
    sh:detail results repeat them."""
    from realpolitik.validation.shacl_store import Result

    out = []
    report = results.value(None, RDF.type, SH.ValidationReport)
    for result in results.objects(report, SH.result):
        out.append(
            Result(
                focus=results.value(result, SH.focusNode),
                path=results.value(result, SH.resultPath),
                value=results.value(result, SH.value),
                component=results.value(result, SH.sourceConstraintComponent),
                shape=results.value(result, SH.sourceShape),
                severity=results.value(result, SH.resultSeverity),
                messages=tuple(str(m) for m in results.objects(result, SH.resultMessage)),
            )
        )
    return out


def run_on_store(store, shapes: Graph, data, locator: Locator, *, union: bool, within=None) -> list[Finding]:
    """The same findings as ``run``, from the store (validation.shacl_store)."""
    from realpolitik.validation.shacl_store import run as evaluate

    return findings(evaluate(store, shapes, union=union, within=within), shapes, data, locator)


def findings(results: list, shapes: Graph, data, locator: Locator, paths: Graph | None = None) -> list[Finding]:
    """Results as findings. ``data`` is what blank nodes are described from: the rdflib
    graph, or the store read through store.view.View; ``paths`` the graph that
    holds the results' SHACL paths (pyshacl copies them into its report)."""
    out = []
    for result in results:
        path = result.path
        # A blank property shape is reported as the node shape that holds it.
        owner = result.shape
        if not isinstance(owner, URIRef):
            owner = shapes.value(None, SH.property, owner) or owner
        messages = sorted(result.messages)
        parsed, position = locator.node(result.focus, path if isinstance(path, URIRef) else None)
        out.append(
            Finding(
                check="shacl",
                severity=_SEVERITY.get(result.severity, "violation"),
                message=shorten_iris(messages[0]) if messages else "SHACL constraint not met",
                **at(parsed, position),
                focus=describe(data, result.focus),
                path=path_text(shapes if paths is None else paths, path),
                value=_value_text(data, result.value),
                component=term_text(result.component),
                shape=term_text(owner) if isinstance(owner, URIRef) else None,
            )
        )
    return out
