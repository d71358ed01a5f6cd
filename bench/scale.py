"""Benchmark: the package's fast path against the reference path (plain rdflib, pyshacl
and owlrl), on synthetic registers of growing size, with the results of both checked
equal in the same run.

    python bench/scale.py [--sizes 10k,100k,1M] [--repeat 5] [--reference-repeat N (0: fast path alone)]
                          [--out bench/results] [--timeout SECONDS] [--work FOLDER] [--ops LIST]

For each size (``2k``, ``10k``, ``1M``: about that many triples) a register is
generated once with ``realpolitik.synthetic.generate`` (seeded; ``--defects 26`` plants
every kind of defect twice) and kept in ``--work`` for the next run. Then each
operation runs ``--repeat`` times on the fast path and ``--reference-repeat`` times on
the reference path, every run in a fresh child process; the report gives the median wall
time and the median peak memory (the child's ``ru_maxrss``, from ``os.wait4``):

  help              ``realpolitik --help``                        (fast path only)
  validate-shipped  ``realpolitik validate`` on the shipped data  (fast path only)
  open-cold         ``cache.open_store`` on an empty cache  | rdflib ``Graph.parse`` of ontology and data
  open-warm         ``cache.open_store`` on a warm cache    | the same parse (rdflib keeps no cache)
  open-memory       the warm cache's store copied into memory (``REALPOLITIK_STORE=memory``;
                    its first run, which writes the snapshot it is read from, apart)
  validate          ``realpolitik validate --format json``  | ``pyshacl.validate`` after the parse
  contribution      ``realpolitik validate --changed FILE``  | pyshacl with ``focus_nodes`` and ``use_shapes``
  query:NAME        ``run_named`` on the warm store         | the same bound query text, ``Graph.query``
                    and again on the store copied into memory (its rows checked equal)
  closure           ``reasoning.reason``                    | ``reasoning.reference`` (owlrl)
  export-FMT        ``export.export`` (nt, nq, ttl, trig)   | rdflib ``serialize``

Command-line operations are timed end to end; the others inside the child
(``bench/ops.py``), parsing excluded and reported apart. A run that outlives
``--timeout`` is killed and reported as timed out; named queries have that budget each.

Equality checks, at every size: the fast run's SHACL findings equal pyshacl's; every
planted defect (``synthetic.json``) is found; the ``--changed`` findings equal the full
run's restricted to the nodes a change can affect (the changed file's nodes, the nodes
pointing at them and the nodes it points at, as ``validation/changed.py`` defines them) or
located in the file; pyshacl on those nodes finds what pyshacl on everything finds
there; the closure equals owlrl's; every named query gives the same rows on pyoxigraph
and rdflib, and on the store on disk and its copy in memory; every export parses back
to the statements the store holds. Any failure exits non-zero.

Results: ``scale.json`` (machine, every run, medians, ratios, checks) and ``scale.md``
(a table per size, and the targets for 1M) in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPS = HERE / "ops.py"


def _named_queries() -> tuple[str, ...]:
    # The catalog's files, read without importing the query engine: this process stays small.
    from importlib.resources import files

    return tuple(sorted(e.name[:-3] for e in files("realpolitik").joinpath("queries").iterdir() if e.name.endswith(".rq")))


QUERIES = _named_queries()
EXPORTS = ("nt", "nq", "ttl", "trig")
# Each operation: (name, what the fast path does, what the reference path does).
OPERATIONS = (
    [("help", "realpolitik --help", None),
     ("validate-shipped", "realpolitik validate (shipped data)", None),
     ("open-cold", "cache.open_store, empty cache", "rdflib Graph.parse"),
     ("open-warm", "cache.open_store, warm cache", "rdflib Graph.parse"),
     ("open-memory", "cache.open_dataset(memory=True), warm cache", "rdflib Graph.parse"),
     ("validate", "realpolitik validate", "pyshacl.validate"),
     ("contribution", "realpolitik validate --changed FILE", "pyshacl focus_nodes + use_shapes")]
    + [(f"query:{q}", "run_named", "rdflib Graph.query") for q in QUERIES]
    + [("closure", "reasoning.reason", "reasoning.reference (owlrl)")]
    + [(f"export-{f}", "export.export", "rdflib serialize") for f in EXPORTS]
)
TARGETS = [  # (label, operation or rule, seconds or MB)
    ("open, warm cache", "open-warm", 3.0), ("open, empty cache", "open-cold", 3.0),
    ("open, store copied into memory", "open-memory", 3.0),
    ("peak memory (fast path, any operation)", "peak", 3072), ("full validation", "validate", 30.0),
    ("contribution (~100 nodes)", "contribution", 2.0),
    ("each named query (median), store on disk", "queries", 0.020),
    ("each named query (median), store in memory", "queries-memory", 0.020),
    ("OWL RL closure", "closure", 15.0), ("NT export", "export-nt", 2.0), ("realpolitik --help", "help", 0.2),
    ("validate the shipped data", "validate-shipped", 2.0),
]


def log(message: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_size(text: str) -> int:
    text = text.strip()
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


# ---- child processes -----------------------------------------------------------------------


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("realpolitik")  # what a user runs
    return [str(script)] if script.exists() else [sys.executable, "-m", "realpolitik"]


def run_child(argv: list[str], env: dict, timeout: float, logs: Path) -> dict:
    """One child: wall time, peak memory (its own ru_maxrss: this process stays small,
    and Linux counts the parent's memory at exec into the child's), exit code, stdout."""
    logs.parent.mkdir(parents=True, exist_ok=True)
    with open(logs.with_suffix(".out"), "wb") as out, open(logs.with_suffix(".err"), "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, env=env, start_new_session=True)
        killed = threading.Event()

        def kill():
            killed.set()
            try:
                os.killpg(child.pid, signal.SIGKILL)  # the child's own group, started here
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
    stdout = logs.with_suffix(".out").read_text(encoding="utf-8", errors="replace")
    stderr = logs.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
    return {"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "exit": child.returncode, "timed_out": killed.is_set(),
            "stdout": stdout, "stderr_tail": stderr[-2000:]}


def last_json(stdout: str) -> dict | None:
    for line in reversed(stdout.strip().splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


class Runner:
    def __init__(self, args, work: Path):
        self.args, self.work = args, work
        self.base_env = {k: v for k, v in os.environ.items() if not k.startswith("REALPOLITIK_")}
        self.base_env["REALPOLITIK_CACHE"] = str(work / "cache")

    def env(self, **extra) -> dict:
        return {**self.base_env, **extra}

    def measure(self, key: str, argv: list[str], repeat: int, *, cli: bool, env=None, timeout=None, before=None) -> dict:
        """``repeat`` runs of one operation. ``cli``: the wall time is the process's, end to
        end; otherwise the time the child reports for the operation alone."""
        timeout = timeout or self.args.timeout
        runs = []
        for i in range(repeat):
            if before:
                before()
            run = run_child(argv, env or self.env(), timeout, self.work / "logs" / f"{key.replace(':', '-')}-{i}")
            result = None if run["timed_out"] or cli else last_json(run["stdout"])
            # A child that does more after its operation (digests for the checks) reports
            # its peak at the operation's end; otherwise the kernel's figure for the process.
            rss = (result or {}).get("peak_mb") or run["rss_mb"]
            runs.append({"wall": run["wall"], "rss_mb": rss, "process_rss_mb": run["rss_mb"], "exit": run["exit"],
                         "timed_out": run["timed_out"], "result": result,
                         "seconds": run["wall"] if cli else (result or {}).get("seconds")})
            if run["timed_out"]:
                log(f"  {key}: timed out after {timeout:g} s")
                break  # the next would too
            if not cli and result is None:
                log(f"  {key}: failed (exit {run['exit']}): {run['stderr_tail'][-600:]}")
                break
        ok = [r for r in runs if r["seconds"] is not None and not r["timed_out"]]
        out = {
            "runs": [{k: v for k, v in r.items() if k != "result"} for r in runs],
            "median_s": statistics.median(r["seconds"] for r in ok) if ok else None,
            "peak_mb": statistics.median(r["rss_mb"] for r in ok) if ok else None,
            "max_peak_mb": max((r["rss_mb"] for r in ok), default=None),
            "timed_out": any(r["timed_out"] for r in runs),
            "timeout_s": timeout,
        }
        if not ok and not out["timed_out"]:
            out["error"] = f"exit {runs[-1]['exit']}" if runs else "not run"
        parts = [r["result"].get("parts") for r in ok if r["result"] and r["result"].get("parts")]
        if parts:
            out["parts_median_s"] = {k: statistics.median(p[k] for p in parts) for k in parts[0]}
            # A part done once per cache (the first search building its index) shows in its first run.
            out["parts_max_s"] = {k: max(p[k] for p in parts) for k in parts[0]}
        out["_result"] = ok[0]["result"] if ok else (runs[-1]["result"] if runs else None)
        out["_stdout"] = None
        log(f"  {key}: {fmt_seconds(out)}, {fmt_mb(out['peak_mb'])} MB")
        return out

    def ops(self, key: str, op: str, path: str, root: Path, *extra, repeat: int, **kwargs) -> dict:
        if path == "reference" and self.args.reference_repeat == 0:  # timing the fast path alone
            return {"runs": [], "median_s": None, "peak_mb": None, "not_run": True}
        argv = [sys.executable, str(OPS), op, path, str(root), *map(str, extra)]
        return self.measure(key, argv, repeat, cli=False, **kwargs)

    def helper(self, op: str, root: Path, *extra, env=None) -> dict:
        """A helper child whose time does not count (generation, preparation, counting)."""
        run = run_child([sys.executable, str(OPS), op, "-", str(root), *map(str, extra)], env or self.env(),
                        max(self.args.timeout, 3600), self.work / "logs" / f"helper-{op}-{Path(str(root)).name}")
        result = last_json(run["stdout"])
        if run["exit"] != 0 or result is None:
            raise SystemExit(f"bench/ops.py {op} failed (exit {run['exit']}):\n{run['stderr_tail']}")
        return result


def fmt_seconds(m: dict | None) -> str:
    if m is None:
        return "—"
    if m.get("not_available"):
        return "not available"
    if m.get("not_run"):
        return "not run"
    if m.get("timed_out") and m.get("median_s") is None:
        return f"> {m['timeout_s']:g} s (timed out)"
    if m.get("median_s") is None:
        return f"failed ({m.get('error', '?')})"
    s = m["median_s"]
    return f"{s:.4f}" if s < 0.1 else f"{s:.3f}" if s < 10 else f"{s:.1f}"


def fmt_mb(mb) -> str:
    return "—" if mb is None else f"{mb:,.0f}"


# ---- one size ------------------------------------------------------------------------------


def register(runner: Runner, triples: int) -> Path:
    from realpolitik.synthetic import sources_for  # stdlib only: this process stays small

    args = runner.args
    sources = sources_for(triples)
    root = runner.work / f"register-{sources}s-{args.defects}d-seed{args.seed}"
    manifest = root / "synthetic.json"
    if manifest.is_file():
        known = json.loads(manifest.read_text(encoding="utf-8"))
        if (known.get("sources"), known.get("seed"), known.get("defects")) == (sources, args.seed, len(known.get("planted", []))):
            # The data is reused; the ontology and shapes are the package's as they are now.
            from realpolitik.paths import dataset_root

            for part in ("ontology", "shapes"):
                shutil.rmtree(root / part)
                shutil.copytree(dataset_root() / part, root / part)
            log(f"register of {sources} sources: reused {root}")
            return root
    log(f"generating a register of {sources} sources ({triples:,} triples asked) in {root}")
    runner.helper("generate", root, sources, args.defects, args.seed)
    return root


def changed_supported(runner: Runner) -> bool:
    run = subprocess.run(cli_command() + ["validate", "--help"], capture_output=True, text=True, env=runner.env())
    return "--changed" in run.stdout


def shacl_rows(findings: list[dict]) -> list[list]:
    keys = ("severity", "focus", "path", "component", "shape", "value", "message")
    rows = [[f.get(k) for k in keys] for f in findings if f.get("check") == "shacl"]
    return sorted(rows, key=lambda r: [x or "" for x in r])


def report_json(m: dict) -> dict | None:
    """The validation report a CLI run printed (its first run's), if it printed one."""
    stdout = m.pop("_stdout", None)
    try:
        return json.loads(stdout) if stdout else None
    except ValueError:
        return None


def bench_size(runner: Runner, label: str, triples: int, wanted) -> dict:
    args = runner.args
    root = register(runner, triples)
    planted = json.loads((root / "synthetic.json").read_text(encoding="utf-8"))["planted"]
    sizes_dir = runner.work / f"run-{label}"
    sizes_dir.mkdir(parents=True, exist_ok=True)
    runner.helper("open", root, env=runner.env())  # the warm cache every fast operation but open-cold uses
    prepared = runner.helper("prepare", root)
    prepared_file = sizes_dir / "prepared.json"
    prepared_file.write_text(json.dumps(prepared), encoding="utf-8")
    rel_file = Path(prepared["file"]).relative_to(root).as_posix()
    log(f"{label}: {prepared['statements']:,} statements; contribution {rel_file}: {len(prepared['nodes'])} nodes "
        f"(+{prepared['blank_nodes']} blank), {len(prepared['pointing'])} pointing at them, "
        f"{len(prepared['pointed'])} they point at")

    fast, ref, checks = {}, {}, {}
    rep, rrep = args.repeat, args.reference_repeat
    cli = cli_command()
    root_cli = cli + ["--root", str(root)]

    def want(name: str) -> bool:
        # A group names all its operations: "query", "export", "open".
        group = name.split(":")[0] if ":" in name else name.split("-")[0] if name.startswith(("export-", "open-")) else name
        return wanted is None or name in wanted or group in wanted

    def cli_measure(key, argv, repeat):
        subprocess.run(argv, capture_output=True, env=runner.env())  # warm-up: caches, page cache
        m = runner.measure(key, argv, repeat, cli=True)
        m["_stdout"] = (runner.work / "logs" / f"{key}-0.out").read_text(encoding="utf-8") if m["runs"] else None
        return m

    if want("help"):
        fast["help"] = cli_measure(f"{label}-help", cli + ["--help"], rep)
    if want("validate-shipped"):
        fast["validate-shipped"] = cli_measure(f"{label}-validate-shipped", cli + ["validate", "--format", "json"], rep)
        shipped = report_json(fast["validate-shipped"])
        fast["validate-shipped"]["exit_code"] = shipped["exit_code"] if shipped else None

    if want("open-cold"):
        cold = runner.work / "cold-cache"
        fast["open-cold"] = runner.ops(f"{label}-open-cold-fast", "open", "fast", root, repeat=rep,
                                       env=runner.env(REALPOLITIK_CACHE=str(cold)),
                                       before=lambda: shutil.rmtree(cold, ignore_errors=True))
        shutil.rmtree(cold, ignore_errors=True)
    if want("open-cold") or want("open-warm") or want("open-memory"):
        ref["open-cold"] = runner.ops(f"{label}-open-ref", "open", "reference", root, repeat=rrep)
    if want("open-warm"):
        fast["open-warm"] = runner.ops(f"{label}-open-warm-fast", "open", "fast", root, repeat=rep)
        ref["open-warm"] = dict(ref["open-cold"], shared_with="open-cold")
    if want("open-memory"):
        def drop_snapshots():
            for snapshot in (runner.work / "cache").glob("*/snapshot-*.trig"):
                snapshot.unlink()

        # The first run writes the snapshot the copy is read from: timed apart.
        first = runner.ops(f"{label}-open-memory-first", "open", "memory", root, repeat=1, before=drop_snapshots)
        fast["open-memory"] = runner.ops(f"{label}-open-memory-fast", "open", "memory", root, repeat=rep)
        fast["open-memory"]["first_s"] = first.get("median_s")
        ref["open-memory"] = dict(ref["open-cold"], shared_with="open-cold")

    full = None
    if want("validate"):
        fast["validate"] = cli_measure(f"{label}-validate-fast", root_cli + ["validate", "--format", "json"], rep)
        full = report_json(fast["validate"])
        ref["validate"] = runner.ops(f"{label}-validate-ref", "validate", "reference", root, repeat=rrep)
        reference_findings = (ref["validate"].get("_result") or {}).get("findings")
        checks["findings"] = unknown_if_timed_out(ref["validate"]) or check_findings(full, reference_findings)
        checks["planted"] = check_planted(full, planted)

    if want("contribution"):
        if changed_supported(runner):
            argv = root_cli + ["validate", "--changed", str(prepared["file"]), "--format", "json"]
            fast["contribution"] = cli_measure(f"{label}-contribution-fast", argv, rep)
            changed = report_json(fast["contribution"])
            if full is None:
                full = json.loads(run_child(root_cli + ["validate", "--format", "json"], runner.env(), args.timeout,
                                            runner.work / "logs" / f"{label}-validate-full")["stdout"])
            checks["contribution"] = check_contribution(full, changed, prepared, rel_file)
        else:
            fast["contribution"] = {"not_available": True, "median_s": None, "peak_mb": None}
            checks["contribution"] = {"equal": None, "detail": "realpolitik validate has no --changed option yet"}
        ref["contribution"] = runner.ops(f"{label}-contribution-ref", "contribution", "reference", root,
                                         prepared_file, repeat=rrep)
        if ref.get("validate"):
            checks["contribution-reference"] = unknown_if_timed_out(ref["validate"], ref["contribution"]) or check_reference_contribution(
                (ref["validate"].get("_result") or {}).get("findings"),
                (ref["contribution"].get("_result") or {}).get("findings"), prepared)
        fast["contribution"]["nodes"] = len(prepared["nodes"])
        fast["contribution"]["file"] = rel_file

    if any(want(f"query:{q}") for q in QUERIES) or want("query"):
        rows_fast, rows_ref = sizes_dir / "rows-fast.json", sizes_dir / "rows-reference.json"
        qf = runner.ops(f"{label}-queries-fast", "queries", "fast", root, prepared_file, rep, args.timeout, rows_fast,
                        repeat=1, timeout=args.timeout * (len(QUERIES) + 1))
        qr = runner.ops(f"{label}-queries-ref", "queries", "reference", root, prepared_file, rrep, args.timeout,
                        rows_ref, repeat=1, timeout=args.timeout * (len(QUERIES) + 1))
        rows_memory = sizes_dir / "rows-memory.json"
        qm = runner.ops(f"{label}-queries-memory", "queries", "memory", root, prepared_file, rep, args.timeout,
                        rows_memory, repeat=1, timeout=args.timeout * (len(QUERIES) + 1))
        per_fast = (qf.get("_result") or {}).get("queries", {})
        per_ref = (qr.get("_result") or {}).get("queries", {})
        per_memory = (qm.get("_result") or {}).get("queries", {})
        for q in QUERIES:
            fast[f"query:{q}"] = query_measure(qf, per_fast.get(q))
            ref[f"query:{q}"] = query_measure(qr, per_ref.get(q))
            fast[f"query-memory:{q}"] = query_measure(qm, per_memory.get(q))
        checks["queries"] = check_queries(per_fast, per_ref, rows_fast, rows_ref, prepared["params"],
                                          bool(qr.get("timed_out")))
        # The copy in memory against the store on disk: the same rows.
        checks["queries-memory"] = check_queries(per_memory, per_fast, rows_memory, rows_fast, prepared["params"])

    if want("closure"):
        fast["closure"] = runner.ops(f"{label}-closure-fast", "closure", "fast", root, sizes_dir / "closure-fast.nt",
                                     repeat=rep)
        ref["closure"] = runner.ops(f"{label}-closure-ref", "closure", "reference", root,
                                    sizes_dir / "closure-reference.nt", repeat=rrep)
        checks["closure"] = unknown_if_timed_out(ref["closure"]) or check_closure(
            fast["closure"].get("_result"), ref["closure"].get("_result"))

    exports = {}
    for fmt in EXPORTS:
        if not want(f"export-{fmt}"):
            continue
        out_fast, out_ref = sizes_dir / f"export-fast.{fmt}", sizes_dir / f"export-reference.{fmt}"
        fast[f"export-{fmt}"] = runner.ops(f"{label}-export-{fmt}-fast", "export", "fast", root, fmt, out_fast, repeat=rep)
        ref[f"export-{fmt}"] = runner.ops(f"{label}-export-{fmt}-ref", "export", "reference", root, fmt, out_ref,
                                          repeat=rrep)
        exports[fmt] = {
            "fast": runner.helper("count", out_fast, fmt) if out_fast.exists() else None,
            "reference": runner.helper("count", out_ref, fmt) if out_ref.exists() and ref[f"export-{fmt}"].get("median_s") is not None else None,
            "reference_timed_out": ref[f"export-{fmt}"].get("timed_out") or ref[f"export-{fmt}"].get("not_run"),
        }
        out_fast.unlink(missing_ok=True)
        out_ref.unlink(missing_ok=True)
    if exports:
        checks["exports"] = check_exports(exports, prepared["statements"])

    for m in list(fast.values()) + list(ref.values()):
        m.pop("_result", None)
        m.pop("_stdout", None)
    return {
        "label": label, "triples_asked": triples, "statements": prepared["statements"], "root": str(root),
        "sources": len(list((root / "data" / "sources").glob("*.ttl"))), "planted_defects": len(planted),
        "contribution": {"file": rel_file, "nodes": len(prepared["nodes"]), "blank_nodes": prepared["blank_nodes"],
                         "pointing": len(prepared["pointing"]), "pointed": len(prepared["pointed"]),
                         "planted_in_file": prepared["planted_in_file"]},
        "query_params": prepared["params"], "fast": fast, "reference": ref, "checks": checks,
        "ratios": {op: ratio(fast.get(op), ref.get(op)) for op, _, r in OPERATIONS if r and op in fast},
    }


def unknown_if_timed_out(*reference: dict) -> dict | None:
    """A check the reference could not finish in time is not known, not failed."""
    if any(m.get("not_run") for m in reference):
        return {"equal": None, "detail": "the reference was not run (--reference-repeat 0)"}
    if any(m.get("timed_out") and m.get("median_s") is None for m in reference):
        return {"equal": None, "detail": "the reference timed out"}
    return None


def combined(values) -> bool | None:
    values = list(values)
    return False if False in values else None if None in values else True


def query_measure(child: dict, one: dict | None) -> dict:
    if child.get("not_run"):
        return child
    if one is None:
        return {"median_s": None, "peak_mb": child.get("peak_mb"), "timed_out": child.get("timed_out"),
                "timeout_s": child.get("timeout_s"), "error": child.get("error", "not run")}
    out = {"median_s": one.get("seconds"), "runs_s": one.get("runs"), "rows": one.get("rows"),
           "peak_mb": child.get("peak_mb"), "timed_out": bool(one.get("timed_out")), "timeout_s": one.get("timeout")}
    if one.get("error"):
        out["error"] = one["error"]
    if one.get("workaround"):
        out["workaround"] = one["workaround"]
    if child.get("parts_median_s"):
        out["child_parts_s"] = child["parts_median_s"]
    return out


def ratio(fast: dict | None, ref: dict | None):
    if not fast or not ref or not fast.get("median_s") or ref.get("median_s") is None:
        return None
    return ref["median_s"] / fast["median_s"]


# ---- equality checks -----------------------------------------------------------------------


def check_findings(full: dict | None, reference: list | None) -> dict:
    if full is None or reference is None:
        return {"equal": False, "detail": "a run gave no findings" + ("" if full else " (fast)") + ("" if reference is not None else " (reference)")}
    mine = shacl_rows(full["findings"])
    theirs = sorted(reference, key=lambda r: [x or "" for x in r])
    equal = mine == theirs
    out = {"equal": equal, "fast": len(mine), "reference": len(theirs)}
    if not equal:
        out["only_fast"] = [r for r in mine if r not in theirs][:10]
        out["only_reference"] = [r for r in theirs if r not in mine][:10]
    return out


def check_planted(full: dict | None, planted: list[dict]) -> dict:
    if full is None:
        return {"equal": False, "detail": "the fast validation gave no report"}
    missing = []
    for defect in planted:
        found = any(
            f["check"] == defect["check"] and f.get("file") == defect["file"]
            and (defect["focus"] is None or (f.get("focus") or "").startswith(defect["focus"]))
            for f in full["findings"]
        )
        if not found:
            missing.append(defect)
    return {"equal": not missing, "planted": len(planted), "missing": missing}


def _head(focus: str | None) -> str | None:
    return focus.split("/")[0] if focus else None  # a blank node is described from its named node


def check_contribution(full: dict | None, changed: dict | None, prepared: dict, rel_file: str) -> dict:
    if full is None or changed is None:
        return {"equal": False, "detail": "a validation run gave no report"}
    nodes = set(prepared["curies"])

    def key(f):
        return json.dumps(f, sort_keys=True)

    expected = sorted((f for f in full["findings"] if _head(f.get("focus")) in nodes or f.get("file") == rel_file), key=key)
    got = sorted(changed["findings"], key=key)
    out = {"equal": expected == got, "expected": len(expected), "got": len(got)}
    if expected != got:
        out["only_full"] = [f for f in expected if f not in got][:10]
        out["only_changed"] = [f for f in got if f not in expected][:10]
    return out


def check_reference_contribution(full: list | None, focused: list | None, prepared: dict) -> dict:
    """pyshacl on the contribution's nodes finds what pyshacl on everything finds there."""
    if full is None or focused is None:
        return {"equal": False, "detail": "a reference run gave no findings"}
    nodes = set(prepared["curies"])
    expected = sorted((r for r in full if r[1] in nodes), key=lambda r: [x or "" for x in r])
    got = sorted(focused, key=lambda r: [x or "" for x in r])
    out = {"equal": expected == got, "expected": len(expected), "got": len(got)}
    if expected != got:
        out["only_full"] = [r for r in expected if r not in got][:10]
        out["only_focused"] = [r for r in got if r not in expected][:10]
    return out


def check_queries(fast: dict, ref: dict, rows_fast: Path, rows_ref: Path, params: dict,
                  ref_timed_out: bool = False) -> dict:
    out = {}
    all_fast = json.loads(rows_fast.read_text(encoding="utf-8")) if rows_fast.exists() else {}
    all_ref = json.loads(rows_ref.read_text(encoding="utf-8")) if rows_ref.exists() else {}
    for q in QUERIES:
        a, b = fast.get(q) or {}, ref.get(q) or {}
        same = bool(a.get("digest")) and a.get("digest") == b.get("digest")
        if b.get("timed_out") or (not b and ref_timed_out) or not ref:
            same = None
        entry = {"equal": same, "rows": a.get("rows"), "params": params.get(q)}
        if b.get("workaround"):
            entry["reference_workaround"] = b["workaround"]
        if same is False:
            entry["fast_rows"], entry["reference_rows"] = a.get("rows"), b.get("rows")
            entry["detail"] = b.get("error") or ("timed out" if b.get("timed_out") else None)
            x, y = all_fast.get(q, []), all_ref.get(q, [])
            entry["only_fast"] = [r for r in x if r not in y][:3]
            entry["only_reference"] = [r for r in y if r not in x][:3]
        out[q] = entry
    return {"equal": combined(e["equal"] for e in out.values()), "per_query": out}


def check_closure(fast: dict | None, ref: dict | None) -> dict:
    if not fast or not ref:
        return {"equal": False, "detail": "a closure did not finish"}
    out = {"equal": fast["digest"] == ref["digest"] and fast["messages"] == ref["messages"],
           "inferred_fast": fast["inferred"], "inferred_reference": ref["inferred"], "engine": fast["engine"],
           "inconsistencies": len(fast["messages"]), "messages_equal": fast["messages"] == ref["messages"]}
    return out


def check_exports(exports: dict, statements: int) -> dict:
    """The fast export holds every statement of the store; the reference's, once
    duplicates are merged, as many as the fast one's."""
    out = {}
    for fmt, counts in exports.items():
        f, r = counts["fast"], counts["reference"]
        same = bool(f) and f["statements"] == statements
        if same and r is None:
            same = None if counts.get("reference_timed_out") else False
        elif same:
            same = r["distinct"] == f["distinct"]
        out[fmt] = {"equal": same, "store": statements, "fast_written": f and f["statements"],
                    "fast_distinct": f and f["distinct"], "reference_distinct": r and r["distinct"]}
    return {"equal": combined(e["equal"] for e in out.values()), "per_format": out}


# ---- report --------------------------------------------------------------------------------


def machine() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    def cpu() -> str:
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or "unknown"

    def ram_gb():
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
        except OSError:
            return None

    def os_name() -> str:
        try:
            for line in Path("/etc/os-release").read_text().splitlines():
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip('"')
        except OSError:
            pass
        return platform.system()

    libraries = {}
    for name in ("realpolitik", "rdflib", "pyshacl", "owlrl", "pyoxigraph", "reasonable", "click"):
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = None
    return {"cpu": cpu(), "cores": os.cpu_count(), "ram_gb": ram_gb(), "os": os_name(),
            "kernel": platform.release(), "python": platform.python_version(), "libraries": libraries}


def mark(check: dict | None) -> str:
    if check is None:
        return ""
    return {True: "✓", False: "✗", None: "n/a"}[check.get("equal")]


def row_check(result: dict, op: str) -> str:
    checks = result["checks"]
    if op == "validate":
        a, b = checks.get("findings"), checks.get("planted")
        return f"{mark(a)} findings, {mark(b)} planted" if a else ""
    if op == "contribution":
        a, b = checks.get("contribution"), checks.get("contribution-reference")
        return ", ".join(x for x in (f"{mark(a)} vs full" if a else "", f"{mark(b)} reference" if b else "") if x)
    if op.startswith("query:"):
        q = (checks.get("queries") or {}).get("per_query", {}).get(op[6:])
        return mark(q) + (f" ({q['rows']} rows)" if q and q.get("rows") is not None else "")
    if op == "closure":
        return mark(checks.get("closure"))
    if op.startswith("export-"):
        e = (checks.get("exports") or {}).get("per_format", {}).get(op[7:])
        return mark(e)
    return ""


def markdown(results: dict) -> str:
    m, a = results["machine"], results["arguments"]
    lines = [
        "# Fast path against reference path, by size",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; {m['os']}; Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v) + f". {results['date']}.",
        "",
        f"Produced by `{results['command']}` in {results['total_s']:.0f} s. Fast path: the package "
        f"(median of {a['repeat']} runs); reference path: plain rdflib, pyshacl and owlrl (median of "
        f"{a['reference_repeat']}). Each run in a fresh process; peak memory is that process's peak "
        "resident set (median over runs; where the process goes on to compute digests for the "
        "equality checks, its peak when the operation ended). Command-line operations are timed end to end; the "
        "others inside the process, with the reference's parse apart (in brackets). The ratio is "
        "reference / fast. A named query's peak memory is that of the process that ran them all.",
        "",
    ]
    for r in results["sizes"]:
        c = r["contribution"]
        lines += [
            f"## {r['label']}: {r['statements']:,} statements, {r['sources']} sources, {r['planted_defects']} planted defects",
            "",
            f"Contribution: `{c['file']}`, {c['nodes']} nodes (+{c['blank_nodes']} blank), {c['pointing']} "
            f"nodes pointing at them, {c['pointed']} nodes they point at (what `validate --changed` checks, "
            "and the reference's focus nodes).",
            "",
            "| operation | fast (s) | fast peak MB | reference (s) | reference peak MB | ratio | equal |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for op, _, has_ref in OPERATIONS:
            if op not in r["fast"]:
                continue
            f, ref = r["fast"][op], r["reference"].get(op)
            ref_cell = "—" if not has_ref else fmt_seconds(ref)
            if ref and ref.get("parts_median_s", {}).get("parse") is not None and ref.get("median_s") is not None:
                ref_cell += f" (+{ref['parts_median_s']['parse']:.2f} parse)"
            if ref and ref.get("shared_with"):
                ref_cell += " (same parse)"
            if ref and ref.get("workaround"):
                ref_cell += " †"
            rat = r["ratios"].get(op)
            lines.append(
                f"| {op} | {fmt_seconds(f)} | {fmt_mb(f.get('peak_mb'))} | {ref_cell} | "
                f"{fmt_mb(ref.get('peak_mb')) if ref else '—'} | {'' if rat is None else f'{rat:,.1f}×'} | "
                f"{row_check(r, op)} |"
            )
        lines.append("")
        lines += memory_queries_md(r)
        lines += first_runs_md(r)
        if any((r["reference"].get(f"query:{q}") or {}).get("workaround") for q in QUERIES):
            lines += ["† rdflib raises NotBoundError on `GROUP_CONCAT(DISTINCT ?x)` when ?x is unbound in a group "
                      "(RDFLib/rdflib#716): the reference runs that query without DISTINCT and its list items are "
                      "compared as sets.", ""]
        failed = {k: v for k, v in r["checks"].items() if v.get("equal") is False}
        if failed:
            lines += ["**Failed checks:**", "", "```", json.dumps(failed, indent=1, ensure_ascii=False)[:4000], "```", ""]
        unknown = {k: v.get("detail") for k, v in r["checks"].items() if v.get("equal") is None}
        if unknown:
            lines += ["Not checked: " + "; ".join(f"{k} ({v or 'see scale.json'})" for k, v in unknown.items()) + ".", ""]
    lines += targets_md(results)
    return "\n".join(lines) + "\n"


def memory_queries_md(r: dict) -> list[str]:
    """The named queries on the store copied into memory, beside the same on disk."""
    rows = [(q, r["fast"].get(f"query:{q}"), r["fast"][f"query-memory:{q}"]) for q in QUERIES
            if f"query-memory:{q}" in r["fast"]]
    if not rows:
        return []
    per_query = (r["checks"].get("queries-memory") or {}).get("per_query", {})
    lines = ["The named queries again on the store copied into memory (`REALPOLITIK_STORE=memory`, for a process "
             "that runs many; it opens in the time of open-memory above), beside the store on disk "
             f"(peak memory of the process that ran them: {fmt_mb(rows[0][2].get('peak_mb'))} MB):", "",
             "| query | on disk (s) | in memory (s) | disk / memory | same rows |", "|---|---:|---:|---:|---|"]
    for q, disk, memory in rows:
        rat = ratio(memory, disk)
        lines.append(f"| {q} | {fmt_seconds(disk)} | {fmt_seconds(memory)} | {'' if rat is None else f'{rat:,.1f}×'} "
                     f"| {mark(per_query.get(q))} |")
    return lines + [""]


def first_runs_md(r: dict) -> list[str]:
    """What the medians leave out: work done once per version of the store (an export
    keeps its file in the cache, the first search builds the text index)."""
    exports = [(op, m["runs"][0].get("seconds")) for op, m in r["fast"].items()
               if op.startswith("export-") and m.get("runs") and m["runs"][0].get("seconds") is not None]
    search = next((m.get("child_parts_s", {}).get("first_search") for op, m in r["fast"].items()
                   if op.startswith("query:")), None)
    said = []
    snapshot = (r["fast"].get("open-memory") or {}).get("first_s")
    if snapshot is not None:
        said.append(f"The first open in memory writes the snapshot it reads: {snapshot:.3g} s, apart from the median.")
    if exports:
        said.append("The first export of each format reads the store and keeps its file in the cache ("
                    + ", ".join(f"{op[len('export-'):]} {seconds:.3g} s" for op, seconds in exports)
                    + "); the later runs, whose median is shown, copy it.")
    if search is not None:
        said.append(f"The first search builds the text index: {search:.3g} s, apart from the median.")
    return [" ".join(said), ""] if said else []


def targets_md(results: dict) -> list[str]:
    if not results["sizes"]:
        return []
    size = next((r for r in results["sizes"] if r["triples_asked"] >= 1_000_000), results["sizes"][-1])
    note = "" if size["triples_asked"] >= 1_000_000 else (
        f" The targets are for 1M triples; 1M was not run, so they are shown against {size['label']}.")
    lines = [f"## Targets ({size['label']}, fast path)", "", note.strip() or "", "",
             "| target | measured | limit | met |", "|---|---:|---:|---|"]
    for label, op, limit in TARGETS:
        if op == "peak":
            peaks = [(m.get("max_peak_mb") or m.get("peak_mb") or 0, k) for k, m in size["fast"].items()]
            value, which = max(peaks) if peaks else (None, None)
            measured = f"{value:,.0f} MB ({which})" if value else "—"
            met = value is not None and value <= limit
            lines.append(f"| {label} | {measured} | {limit / 1024:g} GB | {'met' if met else 'not met'} |")
            continue
        if op in ("queries", "queries-memory"):
            prefix = "query:" if op == "queries" else "query-memory:"
            times = [(size["fast"][prefix + q].get("median_s"), q) for q in QUERIES if prefix + q in size["fast"]]
            known = [(t, q) for t, q in times if t is not None]
            if not times:
                continue
            value, which = max(known) if known else (None, None)
            measured = f"{value * 1000:.1f} ms (slowest: {which})" if value is not None else "—"
            met = value is not None and len(known) == len(times) and value <= limit
            lines.append(f"| {label} | {measured} | {limit * 1000:g} ms | {'met' if met else 'not met'} |")
            continue
        m = size["fast"].get(op)
        if m is None:
            continue
        value = m.get("median_s")
        met = "n/a" if m.get("not_available") else ("met" if value is not None and value <= limit else "not met")
        measured = fmt_seconds(m) + (" s" if value is not None else "")
        lines.append(f"| {label} | {measured} | {limit:g} s | {met} |")
    return lines


# ---- main ----------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: 2k, 10k, 100k, 1M (triples)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each fast operation (median)")
    parser.add_argument("--reference-repeat", type=int, default=None, help="runs of each reference operation (0: none, and the checks against it are not made)")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds a run may take before it is killed")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "realpolitik-bench",
                        help="where registers and caches are kept between runs")
    parser.add_argument("--ops", default=None, help="only these operations (comma-separated), e.g. validate,closure")
    parser.add_argument("--defects", type=int, default=26)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.reference_repeat = args.repeat if args.reference_repeat is None else args.reference_repeat
    wanted = set(args.ops.split(",")) if args.ops else None
    started = time.perf_counter()
    args.work.mkdir(parents=True, exist_ok=True)
    runner = Runner(args, args.work.resolve())
    sizes = []
    for label in args.sizes.split(","):
        label = label.strip()
        log(f"size {label}")
        sizes.append(bench_size(runner, label, parse_size(label), wanted))
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "command": "python bench/scale.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "arguments": {"sizes": args.sizes, "repeat": args.repeat, "reference_repeat": args.reference_repeat,
                      "timeout": args.timeout, "defects": args.defects, "seed": args.seed, "ops": args.ops},
        "machine": machine(),
        "orchestrator_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "total_s": time.perf_counter() - started,
        "operations": [{"name": op, "fast": f, "reference": r} for op, f, r in OPERATIONS],
        "sizes": sizes,
    }
    failed = [(r["label"], name) for r in sizes for name, c in r["checks"].items() if c.get("equal") is False]
    results["all_equal"] = not failed
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n",
                                         encoding="utf-8")
    (args.out / "scale.md").write_text(markdown(results), encoding="utf-8")
    log(f"done in {results['total_s']:.0f} s: {args.out / 'scale.md'}")
    if failed:
        log("EQUALITY CHECKS FAILED: " + ", ".join(f"{label} {name}" for label, name in failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
