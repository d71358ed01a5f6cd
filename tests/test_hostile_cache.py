"""The store cache against what disks, killed runs and careless hands leave in it.

Each case warms a cache, harms it (or the dataset), then runs a command against it: the
answers must equal those of a fresh cache (with the one line on stderr the case expects,
or none), or the command must end with a one-line error and its exit code. Never a
traceback, and nothing half-written is left in the cache folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import PREFIXES, permissions_holding
from realpolitik import cache

TRANSFERS = ("query", "transfers", "--format", "tsv")
STATES_QUERY = ("query", "claims", "--format", "tsv")
EXPORT = ("export", "--format", "nq")  # to standard output, from the kept copy if there is one
KEEP_EXPORT = ("export", "--format", "nq", "--out", "exported.nq")  # written to a file: a copy is kept
MEMORY = {"REALPOLITIK_STORE": "memory"}
STATES = "data/shared/states.ttl"
DAMAGED = r"cache: {folder}/{name} was damaged, rebuilt\n"
IN_MEMORY = r"cache: {folder} cannot be written \({reason}\): the dataset is read into memory\n"


@dataclass
class Place:
    """Where a case happens: the dataset, the cache's base folder, and its folder for the
    dataset (``folder``)."""

    root: Path
    base: Path
    tmp: Path

    @property
    def folder(self) -> Path:
        return self.base / cache.folder_for(self.root).name

    def manifest(self) -> dict:
        return json.loads((self.folder / "manifest.json").read_text())

    def write_manifest(self, manifest) -> None:
        (self.folder / "manifest.json").write_text(json.dumps(manifest))

    def edit_manifest(self, change: Callable[[dict], None]) -> None:
        manifest = self.manifest()
        change(manifest)
        self.write_manifest(manifest)

    def largest_sst(self) -> Path:
        return max((self.folder / "store").glob("*.sst"), key=lambda p: p.stat().st_size)

    def one(self, pattern: str) -> Path:
        found = list(self.folder.glob(pattern))
        assert len(found) == 1, found
        return found[0]


@dataclass
class Case:
    name: str
    harm: Callable[[Place], None]
    command: tuple = TRANSFERS
    env: dict = field(default_factory=dict)
    warm: tuple = (TRANSFERS,)  # the commands that fill the cache before the harm
    note: str | None = None  # the line expected on stderr (a regex with {folder}, {name}, {reason})
    name_in_note: str = ""
    reason: str = ""
    code: int = 0  # non-zero: the command must fail with one line matching `error`
    error: str = ""
    dropping_permissions: bool = False  # run as root without the capabilities that override them
    limit_bytes: int | None = None  # a write past this size fails (EFBIG), as on a full disk
    writable_after: bool = True  # the cache is left whole (its manifest names its store)


# ---- harms ----------------------------------------------------------------------------


def truncate(path: Path) -> None:
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 10])


def same_size_garbage(path: Path) -> None:
    path.write_bytes(bytes((b * 7 + 13) % 256 for b in path.read_bytes()))


def flip_middle(path: Path) -> None:
    content = bytearray(path.read_bytes())
    for i in range(len(content) // 3, 2 * len(content) // 3, 509):
        content[i] ^= 0xFF
    path.write_bytes(bytes(content))


def edit_keeping_size(path: Path, mtime_ns: int | None = None) -> None:
    """'Iran' to 'Irna' (same size), the modification time kept, or set to ``mtime_ns``."""
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(b'"Iran"@en', b'"Irna"@en', 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns if mtime_ns is None else mtime_ns))


def outside_names(place: Place) -> None:
    victim = place.tmp / "victim.txt"
    victim.write_text("untouched")

    def change(manifest):
        entry = next(iter(manifest["files"].values()))
        manifest["files"]["../../victim.txt"] = dict(entry)
        manifest["files"]["/etc/passwd"] = dict(entry)
        manifest["products"]["../../victim.txt"] = {"size": 9, "sha256": "0" * 64}
        manifest["products"]["/etc/passwd"] = {"size": 9, "sha256": "0" * 64}

    place.edit_manifest(change)


def huge_number(place: Place) -> None:
    text = (place.folder / "manifest.json").read_text()
    text = re.sub(r'"size": \d+', '"size": 1' + "0" * 400, text, count=1)
    (place.folder / "manifest.json").write_text(text)


def infinity(place: Place) -> None:
    text = (place.folder / "manifest.json").read_text()
    (place.folder / "manifest.json").write_text(re.sub(r'"rewritten": \d+', '"rewritten": Infinity', text, count=1))


def set_in_manifest(key: str, value) -> Callable[[Place], None]:
    return lambda place: place.edit_manifest(lambda m: m.__setitem__(key, value))


def lie_about_a_file(place: Place) -> None:
    place.edit_manifest(lambda m: m["files"][STATES].__setitem__("sha256", "0" * 64))


def lie_about_the_store(place: Place) -> None:
    place.edit_manifest(lambda m: m["store"].__setitem__(next(iter(m["store"])), 1))


def wrong_type(place: Place) -> None:
    place.edit_manifest(lambda m: m["files"][STATES].__setitem__("sha256", 12))


def replace_by_folder(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() else path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")


def replace_by_file(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() else path.unlink()
    path.write_text("not a folder")


def staging_left_by_killed_runs(place: Place) -> None:
    for pid in (111, 222):
        shutil.copytree(place.folder / "store", place.folder / f"store.new-{pid}")


def snapshot_blank_node_clash(place: Place) -> None:
    """Every blank node of the snapshot given one label: graphs' nodes merge."""
    snapshot = place.one("snapshot-*.trig")
    snapshot.write_bytes(re.sub(rb"_:[A-Za-z0-9_]+", b"_:clash", snapshot.read_bytes()))


def truncate_snapshot_at_a_graph(place: Place) -> None:
    snapshot = place.one("snapshot-*.trig")
    lines = snapshot.read_bytes().splitlines(keepends=True)
    snapshot.write_bytes(b"".join(lines[: lines.index(b"}\n") + 1]))


def snapshot_of_another_version(place: Place) -> None:
    (place.folder / f"snapshot-{'0' * 32}.trig").write_text("<urn:x> { <urn:a> <urn:b> <urn:c> . }\n")


def unrecord_products(place: Place) -> None:
    place.edit_manifest(lambda m: m.__setitem__("products", {}))


def parts_left_by_killed_runs(place: Place) -> None:
    (place.folder / "exports" / f".nq-{'0' * 32}.nq.999").write_text("half")
    (place.folder / f".snapshot-{'0' * 32}.trig.999").write_text("half")


def base_is_a_symlink(place: Place) -> None:
    target = place.tmp / "real-cache"
    shutil.move(place.base, target)
    place.base.symlink_to(target)


def base_is_a_dangling_symlink(place: Place) -> None:
    shutil.rmtree(place.base)
    place.base.symlink_to(place.tmp / "nowhere")


def delete_a_file(place: Place) -> None:
    (place.root / STATES).unlink()


def add_a_file(place: Place) -> None:
    (place.root / "data" / "shared" / "zedland.ttl").write_text(
        PREFIXES + 'rpd:state-zzz a rp:State ; rdfs:label "Zedland"@en ; rp:isoCode "ZZZ" .\n', encoding="utf-8")


def rename_a_file(place: Place) -> None:
    (place.root / STATES).rename(place.root / "data" / "shared" / "states-renamed.ttl")


def dangling_data_link(place: Place) -> None:
    (place.root / "data" / "shared" / "gone.ttl").symlink_to(place.tmp / "no-such-file.ttl")


def byte_order_mark(place: Place) -> None:
    path = place.root / STATES
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def read_only(path_of: Callable[[Place], Path]) -> Callable[[Place], None]:
    return lambda place: os.chmod(path_of(place), 0o555)


def unreadable_manifest(place: Place) -> None:
    os.chmod(place.folder / "manifest.json", 0)


def read_only_after_an_edit(place: Place) -> None:
    byte_order_mark(place)
    os.chmod(place.folder, 0o555)


YEAR_NS = 365 * 24 * 3600 * 10**9

CASES = [
    # The manifest.
    Case("manifest-not-json", lambda p: (p.folder / "manifest.json").write_text("{not json"),
         note=DAMAGED, name_in_note="manifest.json"),
    Case("manifest-empty", lambda p: (p.folder / "manifest.json").write_bytes(b""), note=DAMAGED, name_in_note="manifest.json"),
    Case("manifest-a-list", lambda p: p.write_manifest([1, 2, 3])),
    Case("manifest-nested-past-recursion", lambda p: (p.folder / "manifest.json").write_text("[" * 100_000 + "]" * 100_000),
         note=DAMAGED, name_in_note="manifest.json"),
    Case("manifest-not-utf8", lambda p: (p.folder / "manifest.json").write_bytes(b"\xff\xfe{\x00"),
         note=DAMAGED, name_in_note="manifest.json"),
    Case("manifest-names-files-outside-the-dataset", outside_names),
    Case("manifest-huge-number", huge_number, note=DAMAGED, name_in_note="manifest.json"),
    Case("manifest-infinity", infinity, note=DAMAGED, name_in_note="manifest.json"),
    Case("manifest-checksum-not-a-string", wrong_type, note=DAMAGED, name_in_note="manifest.json"),
    Case("manifest-from-a-newer-format", set_in_manifest("format", 99)),
    Case("manifest-from-an-older-package", set_in_manifest("package", "0.0.1")),
    Case("manifest-from-a-newer-package", set_in_manifest("package", "99.0.0")),
    Case("manifest-from-another-pyoxigraph", set_in_manifest("pyoxigraph", "0.1.0")),
    Case("manifest-left-updating", set_in_manifest("state", "updating")),
    Case("manifest-is-a-folder", lambda p: replace_by_folder(p.folder / "manifest.json"),
         note=DAMAGED, name_in_note="manifest.json"),
    Case("manifest-checksum-of-a-file-lies", lie_about_a_file),
    Case("manifest-store-sizes-lie", lie_about_the_store, note=DAMAGED, name_in_note="store"),
    Case("manifest-unreadable", unreadable_manifest, note=DAMAGED, name_in_note="manifest.json",
         dropping_permissions=True),
    # The store.
    Case("store-missing", lambda p: shutil.rmtree(p.folder / "store")),
    Case("store-is-a-file", lambda p: replace_by_file(p.folder / "store"), note=DAMAGED, name_in_note="store"),
    Case("store-file-truncated", lambda p: truncate(p.largest_sst()), note=DAMAGED, name_in_note="store"),
    Case("store-file-removed", lambda p: p.largest_sst().unlink(), note=DAMAGED, name_in_note="store"),
    Case("store-file-added", lambda p: (p.folder / "store" / "000999.sst").write_bytes(b"junk"),
         note=DAMAGED, name_in_note="store"),
    Case("store-every-file-flipped-in-place", lambda p: [flip_middle(f) for f in (p.folder / "store").glob("*.sst")],
         note=DAMAGED, name_in_note="store"),
    Case("store-current-garbage", lambda p: same_size_garbage(p.folder / "store" / "CURRENT"),
         note=DAMAGED, name_in_note="store"),
    Case("store-two-staging-copies-left-by-killed-runs", staging_left_by_killed_runs),
    # The snapshot (the store copied into memory).
    Case("snapshot-truncated-at-a-graph", truncate_snapshot_at_a_graph, env=MEMORY, warm=(TRANSFERS,),
         note=DAMAGED, name_in_note="snapshot-[0-9a-f]{32}.trig"),
    Case("snapshot-truncated-mid-statement", lambda p: truncate(p.one("snapshot-*.trig")), env=MEMORY,
         note=DAMAGED, name_in_note="snapshot-[0-9a-f]{32}.trig"),
    Case("snapshot-blank-node-clash", snapshot_blank_node_clash, env=MEMORY,
         note=DAMAGED, name_in_note="snapshot-[0-9a-f]{32}.trig"),
    Case("snapshot-is-a-folder", lambda p: replace_by_folder(p.one("snapshot-*.trig")), env=MEMORY),
    Case("snapshot-of-another-version-left", snapshot_of_another_version, env=MEMORY),
    Case("snapshot-not-recorded", unrecord_products, env=MEMORY),
    # Exports kept in the cache.
    Case("export-truncated", lambda p: truncate(p.one("exports/nq-*.nq")), command=EXPORT, warm=(KEEP_EXPORT,),
         note=DAMAGED, name_in_note="exports/nq-[0-9a-f]{32}.nq"),
    Case("export-same-size-garbage", lambda p: same_size_garbage(p.one("exports/nq-*.nq")), command=EXPORT,
         warm=(KEEP_EXPORT,), note=DAMAGED, name_in_note="exports/nq-[0-9a-f]{32}.nq"),
    Case("export-not-recorded", unrecord_products, command=EXPORT, warm=(KEEP_EXPORT,)),
    Case("exports-folder-is-a-file", lambda p: replace_by_file(p.folder / "exports"), command=KEEP_EXPORT,
         warm=(KEEP_EXPORT,)),
    Case("products-half-written-by-killed-runs", parts_left_by_killed_runs, command=EXPORT, warm=(KEEP_EXPORT,)),
    # The cache folder.
    Case("cache-folder-a-symlink-to-a-folder", base_is_a_symlink),
    Case("cache-folder-a-dangling-symlink", base_is_a_dangling_symlink, note=IN_MEMORY, reason="File exists",
         writable_after=False),
    Case("cache-folder-a-file", lambda p: replace_by_file(p.base), note=IN_MEMORY, reason="Not a directory",
         writable_after=False),
    Case("dataset-folder-a-file", lambda p: replace_by_file(p.folder), note=IN_MEMORY, reason="File exists",
         writable_after=False),
    Case("lock-a-folder", lambda p: replace_by_folder(p.folder / "lock"), note=IN_MEMORY, reason="Is a directory",
         writable_after=False),
    Case("dataset-folder-read-only-unchanged", read_only(lambda p: p.folder), dropping_permissions=True),
    Case("dataset-folder-read-only-after-an-edit", read_only_after_an_edit, note=IN_MEMORY,
         reason="Permission denied", dropping_permissions=True, writable_after=False),
    Case("store-folder-read-only-after-an-edit",
         lambda p: (byte_order_mark(p), [os.chmod(f, 0o444) for f in (p.folder / "store").iterdir()],
                    os.chmod(p.folder / "store", 0o555)),
         note=IN_MEMORY, reason=".*", dropping_permissions=True, writable_after=False),
    # A full disk (RLIMIT_FSIZE) under a warm cache.
    Case("disk-full-while-updating", byte_order_mark, limit_bytes=1000, note=IN_MEMORY, reason="File too large",
         writable_after=False),
    Case("disk-full-while-keeping-the-snapshot", lambda p: p.one("snapshot-*.trig").unlink(), env=MEMORY,
         limit_bytes=1000),
    # The dataset's files between opens.
    Case("data-file-deleted", delete_a_file),
    Case("data-file-added", add_a_file),
    Case("data-file-renamed-same-content", rename_a_file),
    Case("data-file-replaced-by-a-folder", lambda p: replace_by_folder(p.root / STATES), code=2,
         error=r"Error: dataset/data/shared/states\.ttl: is a directory, not a file\n"),
    Case("data-file-a-dangling-link", dangling_data_link, code=2,
         error=r"Error: dataset/data/shared/gone\.ttl: is a symbolic link; give the file it points to\n"),  # refused before reading
    Case("data-file-edited-mtime-in-the-future", lambda p: edit_keeping_size(p.root / STATES, time.time_ns() + YEAR_NS)),
    Case("data-file-edited-mtime-in-1970", lambda p: edit_keeping_size(p.root / STATES, 0)),
    Case("data-file-edited-size-and-mtime-kept", lambda p: edit_keeping_size(p.root / STATES)),
    Case("data-file-given-a-byte-order-mark", byte_order_mark),
]


# ---- kill -9 at points of the build, the update and the products -----------------------

KILLER = """
import os, signal, sys
from realpolitik import cache
owner, attribute, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
target = {"update": cache.update, "manifest": cache.manifest, "os": os, "batches": cache.update.Batches}[owner]
original, calls = getattr(target, attribute), []
def dying(*args, **kwargs):
    calls.append(1)
    if len(calls) == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(*args, **kwargs)
setattr(target, attribute, dying)
from realpolitik.cli import main
main(sys.argv[4:])
"""


@dataclass
class Kill:
    name: str
    owner: str
    attribute: str
    nth: int
    command: tuple = TRANSFERS
    env: dict = field(default_factory=dict)
    warm: tuple = ()
    before: Callable[[Place], None] = lambda place: None  # after warming, before the killed run
    check: tuple | None = None  # the command whose answers are compared afterwards (default: command)


KILLS = [
    Kill("while-reading-files-for-the-build", "update", "read_file", 5),
    Kill("before-the-bulk-load", "batches", "flush", 1),
    Kill("while-swapping-the-new-store-in", "os", "replace", 1),
    Kill("before-the-manifest-is-written", "manifest", "store_files", 1),
    Kill("while-updating-one-file", "update", "read_file", 1, warm=(TRANSFERS,), before=byte_order_mark),
    Kill("while-rebuilding-a-damaged-store", "update", "read_file", 3, warm=(TRANSFERS,),
         before=lambda p: truncate(p.largest_sst())),
    Kill("while-keeping-the-snapshot", "os", "replace", 1, env=MEMORY, warm=(TRANSFERS,)),
    Kill("while-keeping-an-export", "os", "replace", 1, command=KEEP_EXPORT, warm=(TRANSFERS,), check=EXPORT),
]


# ---- running them -----------------------------------------------------------------------


@pytest.fixture
def place(tmp_path) -> Place:
    from realpolitik.paths import dataset_root

    root = tmp_path / "dataset"
    for part in ("ontology", "shapes", "data"):
        shutil.copytree(dataset_root() / part, root / part)
    return Place(root, tmp_path / "cache", tmp_path)


def run(place: Place, command: tuple, env: dict, base: Path | None = None, dropping_permissions: bool = False,
        script: list | None = None, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    wrapper = permissions_holding() if dropping_permissions else []

    def full_disk():
        if limit_bytes is not None:
            import resource

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
    program = [sys.executable, "-c", KILLER, *script] if script else [sys.executable, "-m", "realpolitik"]
    return subprocess.run([*wrapper, *program, "--root", str(place.root), *command],
                          env={**os.environ, "REALPOLITIK_CACHE": str(base or place.base), **env},
                          capture_output=True, timeout=300, cwd=place.tmp, preexec_fn=full_disk)


_FRESH: dict = {}


def fresh(place: Place, command: tuple, env: dict) -> bytes:
    """The command's answer from a cache of its own, made for the dataset as it is now
    (remembered for a dataset of the same content)."""
    import hashlib

    content = hashlib.sha256()
    for path in sorted(p for p in place.root.rglob("*") if p.is_file()):
        content.update(path.relative_to(place.root).as_posix().encode() + b"\0" + path.read_bytes())
    key = (command, tuple(sorted(env.items())), content.hexdigest())
    if key not in _FRESH:
        done = run(place, command, env, base=place.tmp / f"fresh-{time.monotonic_ns()}")
        assert done.returncode == 0, done.stderr
        _FRESH[key] = done.stdout
    return _FRESH[key]


def same_answers(got: bytes, expected: bytes, command: tuple) -> bool:
    """Equal rows; for an export, the same statements, blank nodes compared canonically
    (their labels are made from the files' paths, and the fresh answer may be another
    dataset's of the same content)."""
    if command[0] != "export":
        return got == expected
    import pyoxigraph as ox

    def canonical(content: bytes) -> set:
        dataset = ox.Dataset(ox.parse(content, format=ox.RdfFormat.N_QUADS))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return {str(quad) for quad in dataset}

    return len(got.splitlines()) == len(expected.splitlines()) and canonical(got) == canonical(expected)


def assert_left_whole(place: Place) -> None:
    """Nothing half-written left, and a manifest that names the store as it is."""
    left = [p.name for p in place.folder.rglob("*")
            if p.name.startswith(("store.new-", ".", "manifest.json."))]
    assert left == []
    manifest = place.manifest()
    assert manifest["state"] == "ready" and manifest["store"] == cache.manifest.store_files(place.folder)


def restore_permissions(place: Place) -> None:
    for path in [place.folder, *place.folder.rglob("*")] if place.folder.is_dir() else []:
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_harmed_cache(place, case):
    for command in case.warm:
        warmed = run(place, command, case.env)
        assert warmed.returncode == 0 and warmed.stderr == b"", warmed.stderr
    case.harm(place)
    try:
        done = run(place, case.command, case.env, dropping_permissions=case.dropping_permissions,
                   limit_bytes=case.limit_bytes)
    finally:
        restore_permissions(place)
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr
    if case.code:
        assert done.returncode == case.code and done.stdout == b""
        assert re.fullmatch(case.error, stderr), stderr
        return
    assert done.returncode == 0, stderr
    assert same_answers(done.stdout, fresh(place, case.command, case.env), case.command)
    if case.note is None:
        assert stderr == ""
    else:
        expected = case.note.format(folder=re.escape(str(place.folder)), name=case.name_in_note, reason=case.reason)
        assert re.fullmatch(expected, stderr), stderr
    if case.writable_after:
        assert_left_whole(place)
    victim = place.tmp / "victim.txt"
    assert not victim.exists() or victim.read_text() == "untouched"


@pytest.mark.parametrize("kill", KILLS, ids=[k.name for k in KILLS])
def test_a_run_killed_midway(place, kill):
    for command in kill.warm:
        assert run(place, command, {}).returncode == 0
    kill.before(place)
    killed = run(place, kill.command, kill.env, script=[kill.owner, kill.attribute, str(kill.nth)])
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    check = kill.check or kill.command
    done = run(place, check, kill.env)
    assert done.returncode == 0, done.stderr
    assert same_answers(done.stdout, fresh(place, check, kill.env), check)
    assert b"Traceback" not in done.stderr
    assert_left_whole(place)


def test_there_are_at_least_thirty_cases():
    assert len(CASES) + len(KILLS) >= 30
    assert len({c.name for c in CASES} | {k.name for k in KILLS}) == len(CASES) + len(KILLS)
