"""The package as users get it: a console script that starts instantly, `python -m`,
and a wheel that carries the dataset and works from any folder in a fresh virtual
environment."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import REPO

HEAVY = ("rdflib", "pyshacl", "owlrl", "pyoxigraph")


def heavy_modules_after(*args: str) -> tuple[list[str], str]:
    """Run the command with ``args`` in a fresh interpreter; which RDF libraries did it
    import, and what did it print?"""
    code = (
        "import sys\n"
        "from realpolitik.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    *printed, imported = out.stdout.strip().splitlines()
    return ast.literal_eval(imported), "\n".join(printed)


def test_help_imports_no_rdf_library():
    imported, printed = heavy_modules_after("--help")
    assert imported == []
    assert "validate" in printed and "Exit codes" in printed


def test_validate_help_imports_no_rdf_library():
    imported, printed = heavy_modules_after("validate", "--help")
    assert imported == []
    assert "--standalone" in printed


def imports_of(path) -> set[str]:
    """The top-level packages a module imports, wherever in it the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_store_package_imports_pyoxigraph():
    package = REPO / "src" / "realpolitik"
    importing = {path.relative_to(package).as_posix() for path in package.rglob("*.py") if "pyoxigraph" in imports_of(path)}
    assert "store/engine.py" in importing
    assert {name for name in importing if not name.startswith("store/")} == set()


# Keywords of pyoxigraph's Store.query that Dataset.query does not take: a call with one
# of them queries an engine's store directly.
ENGINE_QUERY_KEYWORDS = {"use_default_graph_as_union", "default_graph", "named_graphs", "base_iri"}


def raw_store_queries(path) -> list[int]:
    """The lines of a module's ``.query(`` calls that query a pyoxigraph store directly:
    on a receiver named as a store (``store``, ``self.store``, ``memory_store``), or with
    a keyword only the engine's query takes. Everything else queries a store through
    the store package (``Dataset.query``, ``View``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "query"):
            continue
        receiver = node.func.value
        name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
        if "store" in name.lower() or {k.arg for k in node.keywords} & ENGINE_QUERY_KEYWORDS:
            found.append(node.lineno)
    return found


def test_only_the_store_package_queries_a_store():
    package = REPO / "src" / "realpolitik"
    raw = {(path.relative_to(package).as_posix(), line) for path in package.rglob("*.py")
           if not path.relative_to(package).as_posix().startswith("store/") for line in raw_store_queries(path)}
    assert raw == set()
    # The modules that query the dataset still query it, through the store package.
    for name in ("querying/backends.py", "querying/text_index.py", "validation/changed.py"):
        assert ".query(" in (package / name).read_text(encoding="utf-8")


def test_the_query_scan_sees_a_raw_store_query(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "def f(store, s, dataset):\n"
        "    store.query('ASK {}')\n"
        "    self.store.query('ASK {}')\n"
        "    s.query('ASK {}', use_default_graph_as_union=True)\n"
        "    dataset.query('ASK {}')\n"
        "    realpolitik.query('agreements')\n",
        encoding="utf-8")
    assert raw_store_queries(module) == [2, 3, 4]


def test_the_import_scan_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    import pyoxigraph as ox\n\ndef g():\n    from pyoxigraph import Store\n",
                      encoding="utf-8")
    assert imports_of(module) == {"pyoxigraph"}


def test_python_dash_m(tmp_path):
    out = subprocess.run([sys.executable, "-m", "realpolitik", "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.startswith("realpolitik, version ")


@pytest.mark.slow
def test_wheel_in_a_fresh_virtual_environment_from_another_folder(tmp_path):
    from realpolitik.serving.query_page import STATIC

    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    [wheel] = list(wheels.glob("realpolitik-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "realpolitik/_dataset/ontology/realpolitik.ttl",
        "realpolitik/_dataset/ontology/catalog-v001.xml",
        "realpolitik/_dataset/shapes/claims.ttl",
        "realpolitik/_dataset/data/texts/russia-quiet-on-saving-iran.txt",
        "realpolitik/_dataset/data/sources/russia-quiet-on-saving-iran.ttl",
        "realpolitik/site/style.css",
        *(f"realpolitik/serving/static/{name}" for name in STATIC),
    ):
        assert expected in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("REALPOLITIK_ROOT", "PYTHONPATH")}
    run = subprocess.run(
        [str(env_dir / "bin" / "realpolitik"), "validate"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == "conforms: 0 violation(s), 0 warning(s)"

    where = subprocess.run(
        [str(python), "-c", "import realpolitik; print(realpolitik.dataset_root())"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True,
    )
    assert "site-packages/realpolitik/_dataset" in where.stdout

    broken = elsewhere / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b <http://example.org/a b> .\n", encoding="utf-8")
    run = subprocess.run(
        [str(env_dir / "bin" / "realpolitik"), "validate", "broken.ttl"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert run.returncode == 2
    assert run.stdout.startswith("broken.ttl:2:11: error: [syntax]")
    assert "Traceback" not in run.stderr


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line.strip() for line in readme.splitlines() if "pytest" in line and line.strip().startswith("python"))
    assert command in ci


FOUNDATION = {"rdf", "store", "cache", "dataset", "inputs", "limits", "settings", "errors", "paths", "namespaces"}
FEATURES = {"validation", "querying", "release", "site", "pictures", "export", "loading", "text", "reasoning", "serving"}


def realpolitik_imports(path) -> set[str]:
    """The package's own top-level modules a module imports (``realpolitik.X``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("realpolitik.")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] == "realpolitik":
                found |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names}
    return found


def unit_of(path) -> str:
    return path.relative_to(REPO / "src" / "realpolitik").parts[0].removesuffix(".py")


def test_the_foundation_imports_no_feature_and_no_feature_the_command_line():
    upward = set()
    for path in (REPO / "src" / "realpolitik").rglob("*.py"):
        unit, imported = unit_of(path), realpolitik_imports(path)
        if unit in FOUNDATION:
            upward |= {(unit, name) for name in imported & (FEATURES | {"cli"})}
        elif unit in FEATURES:
            upward |= {(unit, name) for name in imported & {"cli"}}
    assert upward == set()
