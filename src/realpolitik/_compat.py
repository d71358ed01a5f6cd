"""What the package uses of rdflib, pySHACL and owlrl beyond their documented API, in
one place: pySHACL's shapes graph, constraint map, path translation, the attributes its
constraint components keep their parameters in and its private methods; the
parse-once patch of rdflib's SPARQL processor and the stand-in for the ``rdflib``
module that ``reasonable`` reads; owlrl's blank-node list.

These hold for the versions in SUPPORTED (pyproject.toml pins the same ranges, and
tests prove both agree). Importing this module checks the installed versions and
raises UnsupportedVersion, in one line, for any other.
"""

from __future__ import annotations

import contextlib
import re

from realpolitik.errors import RealpolitikError

# package -> (lowest supported version, first version not supported)
SUPPORTED = {"rdflib": ("7.6", "7.7"), "pyshacl": ("0.40.1", "0.41"), "owlrl": ("7.6.2", "7.7")}


class UnsupportedVersion(RealpolitikError):
    """An installed library in a version whose internals the package was not written for."""


def _release(version: str) -> tuple:
    return tuple(int(part) for part in re.findall(r"\d+", re.match(r"[\d.]*", version).group(0)))


def check_versions(installed=None) -> None:
    """Raise UnsupportedVersion for the first package of SUPPORTED installed in a
    version outside its range. ``installed``: package -> version (the environment's by
    default)."""
    from importlib.metadata import PackageNotFoundError, version

    for name, (low, high) in SUPPORTED.items():
        try:
            found = installed[name] if installed is not None else version(name)
        except PackageNotFoundError:
            raise UnsupportedVersion(f"{name} is not installed; realpolitik needs {name}>={low},<{high}") from None
        if not _release(low) <= _release(found) < _release(high):
            raise UnsupportedVersion(f"{name} {found} is installed; realpolitik supports {name}>={low},<{high}")


check_versions()


# --- pySHACL ------------------------------------------------------------------------


def shapes_graph(graph):
    """pySHACL's reading of a shapes graph (its shapes, their targets and parameters)."""
    from pyshacl.shapes_graph import ShapesGraph

    return ShapesGraph(graph)


def constraint_parameters() -> dict:
    """Each constraint parameter (sh:minCount, ...) -> pySHACL's constraint component class."""
    from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP

    return CONSTRAINT_PARAMETERS_MAP


def sparql_path(shapes, path) -> str:
    """A SHACL path of ``shapes`` (a ShapesGraph) as a SPARQL property path, full IRIs."""
    from pyshacl.helper.path_helper import shacl_path_to_sparql_path

    return shacl_path_to_sparql_path(shapes, path, prefixes={})


def component_of(component_class, shape):
    """pySHACL's constraint component of ``shape``, or None where pySHACL leaves it out
    with a warning (a qualified count on a node shape, say)."""
    from pyshacl.errors import ConstraintLoadWarning

    try:
        return component_class(shape)
    except ConstraintLoadWarning:
        return None


# Where pySHACL's constraint components keep what they read of their parameter.
_RULES = {
    "ClassConstraintComponent": "class_rules",  # the classes
    "DatatypeConstraintComponent": "datatype_rule",  # the datatype
    "NodeKindConstraintComponent": "nodekind_rule",  # the node kind
    "MinCountConstraintComponent": "min_count",  # the count, a literal
    "MaxCountConstraintComponent": "max_count",
    "MinExclusiveConstraintComponent": "min_vals",  # the limits, literals
    "MinInclusiveConstraintComponent": "min_vals",
    "MaxExclusiveConstraintComponent": "max_vals",
    "MaxInclusiveConstraintComponent": "max_vals",
    "MinLengthConstraintComponent": "string_rules",  # [the length, a literal]
    "MaxLengthConstraintComponent": "string_rules",
    "PatternConstraintComponent": "string_rules",  # the patterns
    "LanguageInConstraintComponent": "string_rules",  # [the list node]
    "UniqueLangConstraintComponent": "string_rules",  # {True or False}
    "EqualsConstraintComponent": "property_compare_set",  # the other properties
    "DisjointConstraintComponent": "property_compare_set",
    "LessThanConstraintComponent": "property_compare_set",
    "LessThanOrEqualsConstraintComponent": "property_compare_set",
    "NotConstraintComponent": "not_list",  # the shapes
    "AndConstraintComponent": "and_list",  # the list nodes
    "OrConstraintComponent": "or_list",
    "XoneConstraintComponent": "xone_nodes",
    "NodeConstraintComponent": "node_shapes",  # the shapes
    "PropertyConstraintComponent": "property_shapes",  # the property shapes
    "InConstraintComponent": "in_vals",  # the values
    "HasValueConstraintComponent": "has_value_set",  # the values
}


def rules(component):
    """What pySHACL read of a constraint component's parameter (see _RULES)."""
    return getattr(component, _RULES[type(component).__name__])


def closed_rules(component) -> tuple:
    """sh:closed: (whether the shape is closed, sh:ignoredProperties, its property shapes)."""
    return component.is_closed, component.ignored_props, component.property_shapes


def qualified_rules(component) -> tuple:
    """sh:qualifiedValueShape: (the shapes, sh:qualifiedMinCount, sh:qualifiedMaxCount (each
    an int or None), sh:qualifiedValueShapesDisjoint)."""
    return component.value_shapes, component.min_count, component.max_count, component.is_disjoint


def sparql_queries(component, focus) -> list:
    """sh:sparql: for each SPARQL constraint, (its query with its prefixes, $this not yet
    bound: ``focus`` only stands in while pySHACL pre-binds; its own messages)."""
    out = []
    for helper in component.sparql_constraints:
        _, text = helper.pre_bind_variables(focus)
        out.append((helper.apply_prefixes(text), helper.messages))
    return out


def string_of(component, value) -> str:
    """A value node as text for the string-based components (a literal's lexical form)."""
    return component.value_node_to_string(value)


def component_iri(component):
    """The IRI of a constraint component (sh:MinCountConstraintComponent, ...)."""
    return component.shacl_constraint_component


def compare_literal(a, b) -> int:
    """pySHACL's ordering of two literals (sh:minInclusive and the like): negative,
    zero or positive; raises TypeError or NotImplementedError when they do not compare."""
    from pyshacl.rdfutil import compare_literal as compare

    return compare(a, b)


def datatype_holds(component, value, datatype) -> bool:
    """Whether ``value``'s lexical form is in ``datatype``'s lexical space, as pySHACL's
    sh:datatype component decides."""
    return component._assert_actual_datatype(value, datatype)


def compiled_pattern(component, rule):
    """The regular expression pySHACL compiled for one sh:pattern of ``component``."""
    return component.compiled_cache[rule]


def generic_messages(component, description, focus, value) -> list:
    """pySHACL's default message of ``component`` for a result (``description``: a graph
    describing the blank nodes it prints)."""
    return component.make_generic_messages(description, focus, value)


def sparql_message(component, text: str, bound) -> str:
    """A SHACL-SPARQL message with its {$this}, {?path}, {?value} and other variables
    filled in from ``bound`` (this, path, value, the rest of the row)."""
    return component._format_sparql_based_result_message(text, bound)


# --- rdflib -------------------------------------------------------------------------


@contextlib.contextmanager
def sparql_parsed_once():
    """pyshacl hands rdflib the text of a SHACL-SPARQL query once per focus node, and
    rdflib parses it anew each time (~30 ms). While validating, parse each text once:
    a translated query is reusable, as rdflib's own prepared queries are."""
    from rdflib.plugins.sparql import processor

    original = processor.translateQuery, processor.parseQuery
    cache: dict = {}

    def parse(text):
        return text  # parsed together with the translation below

    def translate(text, base=None, initNs=None):
        key = (text, base, tuple(sorted((initNs or {}).items())))
        if key not in cache:
            cache[key] = original[0](original[1](text), base, initNs)
        return cache[key]

    processor.translateQuery, processor.parseQuery = translate, parse
    try:
        yield
    finally:
        processor.translateQuery, processor.parseQuery = original


@contextlib.contextmanager
def rdflib_module_replaced(constructors: dict):
    """Inside ``with``, ``import rdflib`` gives a stand-in module whose ``constructors``
    (name -> function: URIRef, BNode, Literal) replace the real ones, everything else
    being the real module's. The real module is never changed, and is back in place
    when the block ends."""
    import sys
    import types

    real = sys.modules["rdflib"]

    class StandIn(types.ModuleType):
        def __getattr__(self, name):
            return getattr(real, name)

    stand_in = StandIn("rdflib")
    for name, make in constructors.items():
        setattr(stand_in, name, make)
    sys.modules["rdflib"] = stand_in
    try:
        yield real
    finally:
        sys.modules["rdflib"] = real


# --- owlrl --------------------------------------------------------------------------


def owl_rl_semantics(blank_nodes):
    """owlrl's OWL RL semantics with its list of the graph's blank nodes made by
    ``blank_nodes()`` (owlrl appends to it and asks whether a node is in it)."""
    from owlrl import OWLRL_Semantics

    class Semantics(OWLRL_Semantics):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.bnodes = blank_nodes()

    return Semantics
