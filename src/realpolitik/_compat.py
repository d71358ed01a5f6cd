"""What the package uses of rdflib, pySHACL and owlrl beyond their documented API, in
one place: pySHACL's shapes graph, constraint map, path translation and private
methods, the parse-once patch of rdflib's SPARQL processor, the stand-in for the
``rdflib`` module that ``reasonable`` reads, and owlrl's blank-node list.

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
