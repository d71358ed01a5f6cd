"""The third-party versions whose internals realpolitik._compat relies on: pinned in
pyproject.toml as _compat states them, and any other refused in one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from realpolitik import _compat
from realpolitik.errors import RealpolitikError

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def test_the_pins_are_the_supported_ranges():
    pins = dict(re.findall(r'"([a-z]+)>=([^,"]+,<[^"]+)"', PYPROJECT.read_text(encoding="utf-8")))
    assert {name: pins[name] for name in _compat.SUPPORTED} == {
        name: f"{low},<{high}" for name, (low, high) in _compat.SUPPORTED.items()
    }


def test_the_installed_versions_are_supported():
    _compat.check_versions()  # what the environment holds: no error


@pytest.mark.parametrize(
    "name, found, message",
    [
        ("pyshacl", "0.41.0", "pyshacl 0.41.0 is installed; realpolitik supports pyshacl>=0.40.1,<0.41"),
        ("pyshacl", "0.40.0", "pyshacl 0.40.0 is installed; realpolitik supports pyshacl>=0.40.1,<0.41"),
        ("rdflib", "8.0.0", "rdflib 8.0.0 is installed; realpolitik supports rdflib>=7.6,<7.7"),
        ("owlrl", "7.6.1", "owlrl 7.6.1 is installed; realpolitik supports owlrl>=7.6.2,<7.7"),
    ],
)
def test_another_version_is_refused_in_one_line(name, found, message):
    installed = {"rdflib": "7.6.0", "pyshacl": "0.40.1", "owlrl": "7.6.2", name: found}
    with pytest.raises(RealpolitikError) as error:
        _compat.check_versions(installed)
    assert str(error.value) == message


def test_the_versions_in_range_pass():
    _compat.check_versions({"rdflib": "7.6.9", "pyshacl": "0.40.5", "owlrl": "7.6.2"})


def test_every_component_the_store_engine_implements_is_read_through_compat():
    from realpolitik.validation.shacl_store.engine import CHECKS

    own_readers = {"ClosedConstraintComponent", "QualifiedValueShapeConstraintComponent", "SPARQLBasedConstraint"}
    assert set(_compat._RULES) | own_readers == set(CHECKS)


def test_the_rdflib_stand_in_is_put_back_even_after_an_error():
    import sys

    import rdflib

    with pytest.raises(KeyError), _compat.rdflib_module_replaced({"URIRef": str}):
        assert sys.modules["rdflib"].URIRef is str and sys.modules["rdflib"].Graph is rdflib.Graph
        raise KeyError
    assert sys.modules["rdflib"] is rdflib
