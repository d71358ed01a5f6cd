"""Every setting the environment can give has its effect, is documented, and a value
that cannot be used is a one-line error naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PREFIXES
from realpolitik import settings

CARTESIAN = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"


def _root(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_ROOT", str(tmp_path))
    run = cli("query", "transfers")
    assert run.exit_code == 2 and f"{tmp_path}: not a realpolitik dataset" in run.output


def _cache(cli, tmp_path, monkeypatch):
    import os
    import subprocess
    import sys

    # A process of its own: this one may hold a store opened before.
    done = subprocess.run([sys.executable, "-m", "realpolitik", "query", "transfers"], capture_output=True,
                          env={**os.environ, "REALPOLITIK_CACHE": str(tmp_path / "here")}, timeout=300)
    assert done.returncode == 0
    assert any((tmp_path / "here").rglob("manifest.json"))


def _xdg_cache_home(cli, tmp_path, monkeypatch):
    from realpolitik import cache

    monkeypatch.delenv("REALPOLITIK_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.base_dir() == tmp_path / "realpolitik"


def _store(cli, tmp_path, monkeypatch):
    from realpolitik import cache

    monkeypatch.setenv("REALPOLITIK_STORE", "memory")
    assert cache.memory_wanted()
    monkeypatch.setenv("REALPOLITIK_STORE", "ram")
    run = cli("query", "transfers")
    assert run.exit_code == 2 and run.output == "Error: REALPOLITIK_STORE is 'ram': it must be 'disk' or 'memory'\n"


def _shacl(cli, tmp_path, monkeypatch):
    from realpolitik.validation import shacl

    ran = []
    real = shacl.run
    monkeypatch.setattr(shacl, "run", lambda *a, **k: ran.append(1) or real(*a, **k))
    monkeypatch.setenv("REALPOLITIK_SHACL", "pyshacl")
    path = tmp_path / "x.ttl"
    path.write_text(PREFIXES + 'rpd:org-x a rp:Organization ; rdfs:label "X"@en .\n', encoding="utf-8")
    assert cli("validate", "--standalone", "--skip", "qc", path).exit_code == 0
    assert ran == [1]


def _reasoner(cli, tmp_path, monkeypatch):
    from rdflib import Graph

    from realpolitik.reasoning import reason

    monkeypatch.setenv("REALPOLITIK_REASONER", "owlrl")
    assert reason(Graph(), Graph()).engine == "owlrl"


def _max_file_bytes(cli, tmp_path, monkeypatch):
    from test_hostile import LIMIT  # above every file the package ships

    monkeypatch.setenv("REALPOLITIK_MAX_FILE_BYTES", str(LIMIT))
    path = tmp_path / "x.ttl"
    path.write_text(PREFIXES + "#" * LIMIT, encoding="utf-8")
    run = cli("validate", "--standalone", path)
    assert run.exit_code == 2 and f"x.ttl: error: [syntax] {path.stat().st_size:,} bytes, more than the limit of {LIMIT:,}" in run.stdout


def _max_literal_chars(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_MAX_LITERAL_CHARS", "5")
    path = tmp_path / "x.ttl"
    path.write_text(PREFIXES + 'rpd:x rdfs:label "longer than five" .\n', encoding="utf-8")
    run = cli("validate", "--standalone", path)
    assert run.exit_code == 2 and "more than the limit of 5 (REALPOLITIK_MAX_LITERAL_CHARS)" in run.stdout


def _query_seconds(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("REALPOLITIK_QUERY_SECONDS", "1")
    run = cli("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert run.exit_code == 2 and "ran longer than 1 s" in run.output


def _query_memory_mb(cli, tmp_path, monkeypatch):
    import os
    import subprocess
    import sys

    # A process of its own: what the query's child process prints reaches its stderr.
    done = subprocess.run([sys.executable, "-m", "realpolitik", "sparql", CARTESIAN], capture_output=True, text=True,
                          env={**os.environ, "REALPOLITIK_QUERY_MEMORY_MB": "64"}, timeout=120)
    assert done.returncode == 2
    assert done.stderr == "Error: the query was stopped: it needed more than 64 MiB (REALPOLITIK_QUERY_MEMORY_MB)\n"


def _max_response_bytes(cli, tmp_path, monkeypatch):
    from realpolitik import limits

    monkeypatch.setenv("REALPOLITIK_MAX_RESPONSE_BYTES", "1000")
    assert limits.max_response_bytes() == 1000  # a body past it: tests/test_hostile_network.py


def _inferred_per_statement(cli, tmp_path, monkeypatch):
    from realpolitik import limits

    monkeypatch.setenv("REALPOLITIK_INFERRED_PER_STATEMENT", "1000")
    assert limits.max_inferred(1000) == 1_000_000  # a chain past it: tests/test_ownership.py


def _serve_max_results(cli, tmp_path, monkeypatch):
    from realpolitik.querying import embedded
    from realpolitik.serving import endpoint

    monkeypatch.setenv("REALPOLITIK_SERVE_MAX_RESULTS", "2")
    asked = endpoint.Asked("SELECT ?s WHERE { ?s a rp:State }", None, None)
    assert endpoint.run(embedded(), asked).status == 422
    assert endpoint.run(embedded(), endpoint.Asked("SELECT ?s WHERE { ?s a rp:State } LIMIT 2", None, None)).status == 200


def _serve_queries_at_once(cli, tmp_path, monkeypatch):
    from realpolitik.querying import embedded
    from realpolitik.serving.app import create

    monkeypatch.setenv("REALPOLITIK_SERVE_QUERIES_AT_ONCE", "2")
    slots = create(embedded()).state.slots
    assert [slots.take(), slots.take(), slots.take()] == [True, True, False]  # over them: tests/test_serve.py


def _endpoint_user(cli, tmp_path, monkeypatch):
    from realpolitik.http import credentials

    monkeypatch.setenv("REALPOLITIK_ENDPOINT_USER", "dba")
    assert credentials("http://127.0.0.1:1/sparql") == ("dba", "")


def _endpoint_password(cli, tmp_path, monkeypatch):
    from realpolitik.http import credentials

    monkeypatch.setenv("REALPOLITIK_ENDPOINT_USER", "dba")
    monkeypatch.setenv("REALPOLITIK_ENDPOINT_PASSWORD", "secret")
    assert credentials("http://127.0.0.1:1/sparql") == ("dba", "secret")


def _source_date_epoch(cli, tmp_path, monkeypatch):
    from realpolitik.release import issued_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert issued_date() == "1970-01-02"


EFFECTS = {name: globals()[f"_{field}"] for field, (name, _) in settings.VARIABLES.items()}


@pytest.mark.parametrize("variable", sorted(EFFECTS))
def test_every_variable_has_its_effect(variable, cli, tmp_path, monkeypatch):
    EFFECTS[variable](cli, tmp_path, monkeypatch)


def test_every_variable_is_documented():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert [name for name in EFFECTS if f"`{name}`" not in readme] == []


@pytest.mark.parametrize("variable", [name for field, (name, parse) in settings.VARIABLES.items()
                                      if parse is not settings._text])
def test_a_value_that_cannot_be_used_is_a_one_line_error_naming_it(variable, cli, monkeypatch):
    monkeypatch.setenv(variable, "lots")
    run = cli("query", "transfers")
    assert run.exit_code == 2
    assert run.output.startswith(f"Error: {variable} is 'lots': ") and run.output.count("\n") == 1


def test_the_environment_is_read_again_only_when_it_changes(monkeypatch):
    first = settings.current()
    assert settings.current() is first
    monkeypatch.setenv("REALPOLITIK_QUERY_SECONDS", "7")
    assert settings.current() is not first and settings.current().query_seconds == 7
