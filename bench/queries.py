"""Benchmark: every named query on the embedded store, on the shipped data and on
synthetic registers (bench/synthetic.py), median of several runs, with the time to load
each dataset into the store. Results go to bench/results/queries.json and .md.

    python bench/queries.py                          # shipped data, 4,000 and 40,000 transfers
    python bench/queries.py --transfers 400 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from realpolitik.synthetic import code as _code, generate  # noqa: E402

from realpolitik.querying import named, run_named  # noqa: E402
from realpolitik.querying.backends import Embedded  # noqa: E402


def shipped_params() -> dict[str, dict]:
    out = {}
    for name, query in named().items():
        args = shlex.split(query.examples[0])[3:]
        out[name] = {flag[2:]: value for flag, value in zip(args[::2], args[1::2])}
    return out


def synthetic_params() -> dict[str, dict]:
    """Parameters that exist in a synthetic register: its states are "State AMM", ..."""
    a, b = f"State {_code(1000)}", f"State {_code(1001)}"
    return {
        "agreements": {"actor": a},
        "claims": {"about": a},
        "disputes": {"about": a},
        "evidence": {"fact": "rpd:transfer-" + _code(1000).lower()},  # replaced below by a real transfer
        "offices": {"officeOf": a},
        "predictions": {"about": a},
        "relations": {"a": a, "b": b},
        "search": {"text": "Transfer 12"},
        "timeline": {"actor": a},
        "transfers": {"recipient": a},
    }


def measure(store: Embedded, params: dict[str, dict], repeat: int) -> dict:
    out = {}
    for name in sorted(named()):
        times, rows = [], 0
        for _ in range(repeat):
            start = time.perf_counter()
            rows = len(run_named(name, params[name], on=store).rows)
            times.append(time.perf_counter() - start)
        out[name] = {"median_ms": round(statistics.median(times) * 1000, 2), "rows": rows}
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transfers", type=int, nargs="*", default=[4000, 40000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)

    from realpolitik.dataset import files

    dataset = files()
    start = time.perf_counter()
    store = Embedded(dataset.ontology_files() + dataset.data_files())
    runs = [{"dataset": "shipped", "load_s": round(time.perf_counter() - start, 3),
             "triples": len(store.store), "queries": measure(store, shipped_params(), args.repeat)}]
    print(json.dumps(runs[-1]))
    with tempfile.TemporaryDirectory() as tmp:
        for transfers in args.transfers:
            root = Path(tmp) / f"register-{transfers}"
            generate(root, sources=max(1, transfers // 46))
            paths = files(root).ontology_files() + files(root).data_files()
            start = time.perf_counter()
            store = Embedded(paths)
            load = time.perf_counter() - start
            params = synthetic_params()
            first = next(iter(store.store.quads_for_pattern(None, None, None)), None)  # noqa: F841 (warm)
            transfer = store.select(
                "SELECT ?t WHERE { ?t a <https://w3id.org/realpolitik/ontology#WeaponsTransfer> } LIMIT 1"
            ).rows[0][0]
            params["evidence"] = {"fact": transfer.value}
            runs.append({"dataset": f"synthetic, {transfers:,} transfers", "load_s": round(load, 3),
                         "triples": len(store.store), "queries": measure(store, params, args.repeat)})
            print(json.dumps(runs[-1]))
            del store

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "queries.json").write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "runs": runs}, indent=2) + "\n")
    names = sorted(named())
    lines = [
        "# Named queries on the embedded store",
        "",
        f"Median of {args.repeat} runs of each query (parameters resolved and bound each time), on the",
        "shipped data with each query's example parameters, and on synthetic registers with parameters",
        "that exist there. Produced by `python bench/queries.py`. Times in milliseconds; rows returned",
        "in brackets.",
        "",
        "| query | " + " | ".join(f"{r['dataset']} ({r['triples']:,} triples, load {r['load_s']} s)" for r in runs) + " |",
        "|---|" + "---:|" * len(runs),
    ]
    for name in names:
        lines.append(
            f"| {name} | "
            + " | ".join(f"{r['queries'][name]['median_ms']} ({r['queries'][name]['rows']})" for r in runs)
            + " |"
        )
    (args.out / "queries.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
