"""No network unless the user asks for it.

Every command runs in a subprocess whose outbound connections all fail: inside a fresh
network namespace where the machine allows one (``unshare -rn``: nothing is reachable,
not even loopback, whatever language opens the socket), and always with Python's socket
functions replaced by ones that note the attempt and fail. The commands work on the
shipped data without trying the network once, and the hostile variants (SERVICE, remote
imports, remote JSON-LD contexts) are refused before anything is tried.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from conftest import PREFIXES
from realpolitik.paths import dataset_root

# Loaded by Python at start-up (it is on PYTHONPATH): every connection attempt is noted in
# the file named by REALPOLITIK_TEST_NET_LOG, then fails as a machine without network would.
SITECUSTOMIZE = '''
import errno, os, socket

def _refuse(*args, **kwargs):
    with open(os.environ["REALPOLITIK_TEST_NET_LOG"], "a") as log:
        log.write(repr(args[:2]) + "\\n")
    raise OSError(errno.ENETUNREACH, "Network is unreachable")

socket.socket.connect = socket.socket.connect_ex = _refuse
socket.create_connection = socket.getaddrinfo = _refuse
'''


@cache
def _namespace_prefix() -> list[str]:
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn"]
    return []


@pytest.fixture
def offline(tmp_path):
    """Run ``realpolitik ARGS`` with no network; return (exit code, output, attempts)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "connections.log"

    def run(*args, cwd=None):
        log.write_text("")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
                   REALPOLITIK_TEST_NET_LOG=str(log), PYTHONWARNINGS="ignore")
        done = subprocess.run(
            [*_namespace_prefix(), sys.executable, "-m", "realpolitik", *map(str, args)],
            capture_output=True, text=True, env=env, cwd=cwd or tmp_path, timeout=300,
        )
        output = done.stdout + done.stderr
        assert "Traceback" not in output, output
        return done.returncode, output, log.read_text().splitlines()

    return run


def test_the_guard_itself_stops_a_connection(offline, tmp_path):
    # Python code in the subprocess that opens a socket is refused and noted.
    site = tmp_path / "site"
    env = dict(os.environ, PYTHONPATH=str(site), REALPOLITIK_TEST_NET_LOG=str(tmp_path / "net.log"))
    offline("--version")  # writes the sitecustomize
    probe = "import urllib.request\ntry:\n    urllib.request.urlopen('http://127.0.0.1:9/', timeout=2)\nexcept OSError as e:\n    print(type(e).__name__)"
    done = subprocess.run([*_namespace_prefix(), sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "URLError"
    assert "127.0.0.1" in (tmp_path / "net.log").read_text()


TEXT = "data/texts/russia-quiet-on-saving-iran.txt"
WORKS_OFFLINE = [
    (["validate"], "conforms: 0 violation(s)"),
    (["coverage"], "russia-quiet-on-saving-iran"),
    (["disputes"], "structural"),
    (["query", "transfers", "--recipient", "Iran"], " row"),
    (["query", "agreements", "--actor", "Russia"], " row"),
    (["query", "claims", "--modality", "likely"], " row"),
    (["query", "disputes"], " row"),
    (["query", "evidence", "--fact", "rpd:transfer-rus-irn-advanced-fighter-aircraft"], " row"),
    (["query", "offices", "--holder", "Putin"], " row"),
    (["query", "predictions"], " row"),
    (["query", "relations", "--a", "Russia", "--b", "Iran"], " row"),
    (["query", "search", "--text", "fighter aircraft"], " row"),
    (["query", "timeline", "--actor", "Iran"], " row"),
    (["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"], "n"),
    (["text", "quote", TEXT, "Russia"], "oa:TextQuoteSelector"),
    (["text", "clean", "--check"], "text(s) match their recipes"),
    (["export", "--format", "nq", "--data-only"], "<https://w3id.org/realpolitik/graph/shared>"),
    (["graph", "--around", "Iran", "--format", "dot"], '"rpd:state-rus" -> "rpd:state-irn"'),
    (["timeline", "--actor", "Iran"], "Russia–Iran cooperation treaty (2001)"),
]


@pytest.mark.parametrize("args, expected", WORKS_OFFLINE, ids=[" ".join(a[:2]) for a, _ in WORKS_OFFLINE])
def test_commands_work_on_the_shipped_data_without_the_network(offline, args, expected):
    code, output, attempts = offline(*args, cwd=dataset_root())
    assert code == 0, output
    assert expected in output
    assert "(0 rows)" not in output
    assert attempts == []


def test_a_synthetic_register_is_written_and_validated_without_the_network(offline, tmp_path):
    code, output, attempts = offline("synthetic", "--sources", "1", "--defects", "13", "--out", tmp_path / "r")
    assert code == 0, output
    code, output, more = offline("--root", tmp_path / "r", "validate")
    assert code == 1 and "OWL inconsistency" in output
    assert attempts == more == []


def test_build_and_its_check_work_without_the_network(offline, tmp_path):
    code, output, attempts = offline("build", "--out", tmp_path / "dist", cwd=dataset_root())
    assert (code, attempts) == (0, []), output
    code, output, attempts = offline("build", "--check", tmp_path / "dist")
    assert (code, attempts) == (0, []), output
    assert "matches its description" in output


def test_the_site_is_built_without_the_network(offline, tmp_path):
    code, output, attempts = offline("site", "--out", tmp_path / "web", cwd=dataset_root())
    assert (code, attempts) == (0, []), output
    assert (tmp_path / "web" / "actors" / "state-irn.html").is_file()


NEEDS_THE_NETWORK = [
    (["load", "--endpoint", "http://127.0.0.1:7878/store", "--retries", "1"], "nothing loaded"),
    (["query", "transfers", "--endpoint", "http://127.0.0.1:7878/query"], "http://127.0.0.1:7878/query: "),
]


@pytest.mark.parametrize("args, expected", NEEDS_THE_NETWORK, ids=["load", "query --endpoint"])
def test_commands_whose_work_is_the_network_fail_cleanly_without_it(offline, args, expected):
    code, output, _ = offline(*args)
    assert code == 2, output
    assert expected in output
    assert len(output.strip().splitlines()) == 1, output


def hostile_dataset(tmp_path: Path) -> Path:
    root = tmp_path / "dataset"
    for part in ("ontology", "shapes", "data"):
        shutil.copytree(dataset_root() / part, root / part)
    return root


def test_a_remote_import_in_the_ontology_is_refused(offline, tmp_path):
    root = hostile_dataset(tmp_path)
    core = root / "ontology" / "core.ttl"
    core.write_text(core.read_text() + "\n<https://w3id.org/realpolitik/ontology/core> "
                    "<http://www.w3.org/2002/07/owl#imports> <http://127.0.0.1:9/remote.ttl> .\n")
    code, output, attempts = offline("--root", root, "validate")
    assert code == 2, output
    assert "owl:imports <http://127.0.0.1:9/remote.ttl> is not in the catalog; remote imports are not fetched" in output
    assert attempts == []


HOSTILE_FILES = {
    "import.ttl": (PREFIXES + "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                   "rpd:state-irn owl:imports <http://127.0.0.1:9/remote.ttl> .\n",
                   1, "is not followed: data files do not import, and nothing is fetched"),
    "context.jsonld": ('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://e/a"}',
                       2, "a .jsonld file: contributions are Turtle (.ttl)"),
    "context.ttl": ('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://e/a"}', 2, "context.ttl:1:1: error: [syntax]"),
}


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_contributions_that_reach_out_are_refused(offline, tmp_path, name):
    content, expected_code, message = HOSTILE_FILES[name]
    (tmp_path / name).write_text(content)
    code, output, attempts = offline("validate", tmp_path / name)
    assert code == expected_code, output
    assert message in output
    assert attempts == []


SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"


def test_service_is_refused_without_being_tried(offline):
    code, output, attempts = offline("sparql", SERVICE)
    assert code == 2
    assert output.strip() == "Error: SERVICE is refused: a query does not reach the network unless you pass --allow-network"
    assert attempts == []


def test_service_with_allow_network_is_tried_and_fails_cleanly(offline):
    code, output, _ = offline("sparql", "--allow-network", SERVICE.replace(":9/", ":7879/"))
    assert code == 2, output
    assert output.startswith("Error: the query failed: ")
    assert len(output.strip().splitlines()) == 1, output
