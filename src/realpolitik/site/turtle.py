"""One node's statements as Turtle, for the page that shows it: the node as subject,
with its blank nodes (evidence, selectors, lists) written inline, so the labels a store
gives blank nodes never reach the file and the same data gives the same bytes."""

from __future__ import annotations

from realpolitik.store import engine as ox
from realpolitik.namespaces import PREFIXES, curie


def term(node) -> str:
    if isinstance(node, ox.NamedNode):
        short = curie(node.value)
        return short if not short.startswith("<") and not short.split(":", 1)[1][:1] in "-." else f"<{node.value}>"
    if isinstance(node, ox.Literal):
        text = node.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if node.language:
            return f'"{text}"@{node.language}'
        datatype = node.datatype.value if node.datatype else PREFIXES["xsd"] + "string"
        if datatype == PREFIXES["xsd"] + "string":
            return f'"{text}"'
        return f'"{text}"^^{term(ox.NamedNode(datatype))}'
    return "[]"


def _block(model, node, indent: str, seen: set) -> list[str]:
    lines = []
    predicates = sorted(model.out.get(node, {}), key=lambda p: term(ox.NamedNode(p)))
    for i, predicate in enumerate(predicates):
        objects = []
        for obj in sorted(model.out[node][predicate], key=lambda o: (isinstance(o, ox.BlankNode), term(o), str(o))):
            if isinstance(obj, ox.BlankNode) and obj not in seen:
                seen.add(obj)
                inner = _block(model, obj, indent + "    ", seen)
                objects.append("[\n" + "\n".join(inner) + "\n" + indent + "]")
            else:
                objects.append(term(obj))
        end = " ;" if i < len(predicates) - 1 else ""
        lines.append(f"{indent}{term(ox.NamedNode(predicate))} " + " , ".join(objects) + end)
    return lines


def describe(model, iri: str) -> str:
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    body = _block(model, ox.NamedNode(iri), "    ", set())
    return header + "\n" + term(ox.NamedNode(iri)) + "\n" + "\n".join(body) + " .\n"
