"""Shared test helpers: the repository's paths and the real CLI through click's runner."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from realpolitik.cli import main

REPO = Path(__file__).resolve().parent.parent
SHAPE_EXAMPLES = REPO / "tests" / "shapes"
BASE_EXAMPLE = SHAPE_EXAMPLES / "_base.ttl"

PREFIXES = """\
@prefix rp: <https://w3id.org/realpolitik/ontology#> .
@prefix rpd: <https://w3id.org/realpolitik/id/> .
@prefix rpv: <https://w3id.org/realpolitik/vocab/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
"""


def canonical(source, fmt=None, union: bool = False) -> set:
    """The quads of a file (``source`` a path, with its pyoxigraph format) or of an rdflib
    graph, with canonical blank-node labels (RDFC-1.0, pyoxigraph): two hold the same
    graph when these sets are equal. rdflib's isomorphism test takes minutes on the
    dataset, whose many claims have evidence that differs only by the claim it hangs
    from. ``union`` drops the graph names."""
    import pyoxigraph as ox

    if fmt is None:  # an rdflib graph
        quads = ox.parse(source.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    else:
        quads = ox.parse(path=str(source), format=fmt)
    dataset = ox.Dataset()
    for quad in quads:
        dataset.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()) if union else quad)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="Write the golden query results (tests/queries/*.tsv) from the current data instead of comparing.",
    )


class Run:
    def __init__(self, result):
        self.result = result
        self.exit_code = result.exit_code
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.output = result.output

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def cli():
    """Run the real ``realpolitik`` command in-process; never hide a crash."""
    runner = CliRunner()

    def run(*args, env=None):
        return Run(runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=False))

    return run


@pytest.fixture
def write(tmp_path):
    """Write a Turtle file (with the project's prefixes unless told not to)."""

    def make(name: str, body: str, prefixes: bool = True) -> Path:
        path = tmp_path / name
        path.write_text((PREFIXES if prefixes else "") + body, encoding="utf-8")
        return path

    return make


@pytest.fixture
def dataset_copy(tmp_path):
    """A copy of the shipped dataset to change freely, used with --root."""
    from realpolitik.paths import dataset_root

    root = tmp_path / "dataset"
    source = dataset_root()
    for part in ("ontology", "shapes", "data"):
        shutil.copytree(source / part, root / part)
    return root


@pytest.fixture(autouse=True, scope="session")
def _cache_in_a_temporary_folder(tmp_path_factory):
    """The store cache of every test run lives in a fresh folder, never in ~/.cache."""
    import os

    os.environ["REALPOLITIK_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield


# What no command may change: the dataset and the package's code.
PROTECTED = ("data", "ontology", "shapes", "src")


def digest(folder: Path) -> dict:
    """Each file under ``folder`` with its SHA-256 (compiled bytecode left out)."""
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def protected_digest() -> dict:
    from realpolitik.paths import dataset_root

    root = dataset_root()
    return {part: digest(root / part) for part in PROTECTED if (root / part).is_dir()}


@pytest.fixture(scope="module")
def dataset_before():
    """The digests of data/, ontology/, shapes/ and src/ before a module's tests run."""
    return protected_digest()


def permissions_holding() -> list[str]:
    """A command prefix under which file permissions hold: none for an ordinary user; for
    root, setpriv without the capabilities that override them (skipped where it cannot)."""
    import os
    import subprocess

    if os.geteuid() != 0:
        return []
    wrapper = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
    if shutil.which("setpriv") is None or subprocess.run([*wrapper, "true"], capture_output=True).returncode != 0:
        pytest.skip("running as root where setpriv cannot drop capabilities: permissions cannot be made to hold")
    return wrapper
