"""Benchmark: `realpolitik validate` on synthetic registers of growing size.

For each size, a register is generated (bench/synthetic.py), then validated in a fresh
process several times; the report gives the median wall time, the peak memory of the
process, and the median time of each step. Results go to bench/results/validate.json
and bench/results/validate.md, with the machine described.

    python bench/run.py                          # 400 and 4,000 transfers (~10k, ~100k triples)
    python bench/run.py --transfers 400 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from realpolitik.synthetic import generate  # noqa: E402


def run_once(root: Path) -> dict:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "realpolitik", "--root", str(root), "validate", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    report = json.loads(stdout)
    return {"wall": wall, "exit": process.returncode, "report": report, "stderr": stderr.decode()}


def peak_rss_mb(root: Path) -> float:
    """Peak resident memory of one validate run, read from the kernel's rusage."""
    process = subprocess.Popen(
        [sys.executable, "-m", "realpolitik", "--root", str(root), "validate", "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pyoxigraph
    import pyshacl
    import rdflib

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "rdflib": rdflib.__version__,
        "pyshacl": pyshacl.__version__,
        "pyoxigraph": pyoxigraph.__version__,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transfers", type=int, nargs="+", default=[400, 4000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for transfers in args.transfers:
            root = Path(tmp) / f"register-{transfers}"
            generate(root, sources=max(1, transfers // 46))
            runs = [run_once(root) for _ in range(args.repeat)]
            for r in runs:
                if r["exit"] != 0:
                    raise SystemExit(f"validate exited {r['exit']} on {transfers} transfers: {r['stderr'][-500:]}")
            steps = runs[0]["report"]["timings"].keys()
            row = {
                "transfers": transfers,
                "triples": runs[0]["report"]["summary"]["triples"],
                "runs": args.repeat,
                "wall_s": round(statistics.median(r["wall"] for r in runs), 2),
                "peak_rss_mb": round(peak_rss_mb(root)),
                "steps_s": {s: round(statistics.median(r["report"]["timings"][s] for r in runs), 3) for s in steps},
            }
            rows.append(row)
            print(json.dumps(row))

    args.out.mkdir(parents=True, exist_ok=True)
    result = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "validate": rows}
    (args.out / "validate.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    steps = list(rows[0]["steps_s"])
    lines = [
        "# `realpolitik validate` on synthetic registers",
        "",
        f"Machine: {result['machine']['cpu']}, {result['machine']['cores']} cores; Python "
        f"{result['machine']['python']}, rdflib {result['machine']['rdflib']}, pyshacl "
        f"{result['machine']['pyshacl']}, pyoxigraph {result['machine']['pyoxigraph']}. {result['date']}.",
        f"Median of {args.repeat} runs in a fresh process; peak memory of one run. Produced by `python bench/run.py`.",
        "",
        "| transfers | triples | wall (s) | peak memory (MB) | " + " | ".join(steps) + " |",
        "|---:|---:|---:|---:|" + "---:|" * len(steps),
    ]
    for row in rows:
        lines.append(
            f"| {row['transfers']:,} | {row['triples']:,} | {row['wall_s']} | {row['peak_rss_mb']} | "
            + " | ".join(str(row["steps_s"][s]) for s in steps)
            + " |"
        )
    (args.out / "validate.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
