"""Value type constraint components (SHACL 4.1): sh:class, sh:datatype, sh:nodeKind."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from realpolitik import _compat as compat
from realpolitik.validation.shacl_store.results import each


def _class(engine, c, value_nodes):
    out = []
    for rule in compat.rules(c):
        out += each(engine, c, value_nodes, lambda v: not isinstance(v, Literal) and engine.types.is_a(v, rule))
    return out


def _datatype(engine, c, value_nodes):
    RDF_langString, RDFS_Datatype, RDFS_Literal, XSD_string = RDF.langString, RDFS.Datatype, RDFS.Literal, XSD.string
    rule = compat.rules(c)

    def ok(v):
        if not isinstance(v, Literal):
            return False
        if v.datatype == rule:
            return getattr(v, "ill_typed", None) is not True and compat.datatype_holds(c, v, rule)
        if rule == RDFS_Literal or (rule == RDFS_Datatype and v.datatype):
            return True
        if v.datatype is None and v.language is None and rule == XSD_string:
            return compat.datatype_holds(c, v, rule)
        if rule == RDF_langString and v.language:
            return compat.datatype_holds(c, v, rule)
        return False

    return each(engine, c, value_nodes, ok)


def _node_kind(engine, c, value_nodes):
    kinds = {BNode: (SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI),
             Literal: (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral),
             URIRef: (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI)}
    rule = compat.rules(c)
    return each(engine, c, value_nodes, lambda v: rule in kinds[type(v)])


CHECKS = {
    "ClassConstraintComponent": _class,
    "DatatypeConstraintComponent": _datatype,
    "NodeKindConstraintComponent": _node_kind,
}
