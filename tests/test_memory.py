"""A conforming data file of 60 MB validates within 3 GB: the peak memory of validating
one file, measured at two sizes a test can afford and drawn out in a line to 60 MB."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from realpolitik import synthetic

PROMISED_FILE_BYTES = 60_000_000
PROMISED_PEAK_BYTES = 3_000_000_000

# A parent of its own, so that the peak memory read is this validation's alone.
MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run([sys.executable, '-m', 'realpolitik', '--root', sys.argv[1], 'validate', sys.argv[2]],"
    " capture_output=True, text=True)\n"
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def one_file_contribution(folder: Path, sources: int) -> tuple[Path, Path]:
    """A synthetic register whose sources' files are one contribution file: the dataset
    root (its shared entities and texts) and the file."""
    root = folder / "register"
    synthetic.generate(root, sources=sources)
    prefixes, bodies = [], []
    for path in sorted((root / "data" / "sources").glob("*.ttl")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        prefixes = prefixes or [line for line in lines if line.startswith("@prefix")]
        bodies += [line for line in lines if not line.startswith("@prefix")]
        path.unlink()
    contribution = folder / "contribution.ttl"
    contribution.write_text("".join(prefixes + ["\n"] + bodies), encoding="utf-8")
    return root, contribution


def peak_bytes(root: Path, contribution: Path) -> int:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(root), str(contribution)],
                          capture_output=True, text=True, timeout=600)
    code, peak_kb = map(int, done.stdout.split())
    assert code == 0  # conforming: every check ran
    return peak_kb * 1024


def test_a_60_mb_file_validates_within_3_gb(tmp_path):
    measured = []
    for sources in (50, 100):
        root, contribution = one_file_contribution(tmp_path / str(sources), sources)
        measured.append((contribution.stat().st_size, peak_bytes(root, contribution)))
    (small, small_peak), (large, large_peak) = measured
    assert large > 2 * 1024 * 1024
    per_byte = max(large_peak - small_peak, 0) / (large - small)
    at_promise = large_peak + per_byte * (PROMISED_FILE_BYTES - large)
    assert at_promise < PROMISED_PEAK_BYTES, (measured, f"{per_byte:.1f} bytes of memory a byte of input")


def test_a_whole_run_builds_no_data_graph_and_lets_the_store_go(tmp_path):
    from realpolitik.validation import context, runner

    root, contribution = one_file_contribution(tmp_path, 3)
    built = context.for_dataset([contribution], root=root)
    assert built.opened is not None
    report = runner.run(built)
    assert report.findings == [] and report.summary["claims"] > 0
    assert built.graph.cache_info().currsize == 0  # the checks read the files' statements
    assert built.opened is None  # let go before the consistency check
    assert len(built.data) == report.summary["triples"]  # still there for whoever asks
