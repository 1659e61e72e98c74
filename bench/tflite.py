"""Benchmark: reading a 200 MiB `.tflite` costs what reading a small one costs.

siglint reads a TF Lite model's tables through the Source seam a page at a time and never its
weights, so the time and memory of a read do not grow with the file. This script writes, in a
temporary folder, a model of --mib MiB (default 200): one subgraph with a constant tensor whose
buffer holds the bytes, a native signature table and TF Serving's signature_defs_metadata, laid
out as the converter lays them out (the root table, signatures and metadata before the weights,
the subgraph's tensors after them), with siglint's fixture writer; and a copy of the same
model without the weights. It measures, in fresh processes, median of --repeat:

1. the read itself: `siglint.model.load.load_model` on the file, timed inside the process, with
   the process's peak RSS and the bytes read from the file;
2. `siglint check -q` of each (installed as a user gets it into a throwaway virtual environment,
   or with --in-place this environment's `python -m siglint`).

Targets: the read of the large model in at most 0.1 s and 40 MiB. Usage:
python bench/tflite.py [--mib N] [--repeat N] [--in-place]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import installed_siglint, measure

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hostile"))

from generators import tflite_bytes_with_weights

READ = """
import sys, time
from siglint.io.source import LocalSource
from siglint.model.load import load_model
read = []
original = LocalSource.read
def counted(self, offset, length):
    read.append(length)
    return original(self, offset, length)
LocalSource.read = counted
start = time.perf_counter()
model = load_model(sys.argv[1], None, "tflite")
elapsed = time.perf_counter() - start
assert model.tflite is not None and model.meta_graphs, model
print(elapsed, sum(read))
"""


def main() -> int:
    if sys.argv[1:2] == ["--write"]:  # in a child: this process stays small, and so do the ones it measures
        Path(sys.argv[2]).write_bytes(tflite_bytes_with_weights(int(sys.argv[3])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--in-place", action="store_true", help="measure this environment's siglint")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        return run(args, Path(workdir))


def run(args: argparse.Namespace, workdir: Path) -> int:
    large, small = workdir / "large.tflite", workdir / "small.tflite"
    for path, size in ((large, args.mib << 20), (small, 16)):
        subprocess.run([sys.executable, __file__, "--write", str(path), str(size)], check=True)
    print(f"large: {large.stat().st_size / 2**20:.1f} MiB; small: {small.stat().st_size} bytes")
    python = [sys.executable] if args.in_place else [str(workdir / "venv" / "bin" / "python")]
    siglint = [sys.executable, "-m", "siglint", "check", "-q"] if args.in_place else installed_siglint(workdir)
    figures = {}
    for name, path in (("small", small), ("large", large)):
        reads, peaks, read_bytes = [], [], 0
        for _ in range(args.repeat):
            done = subprocess.run([*python, "-c", READ, str(path)], capture_output=True, text=True, check=True)
            seconds, read_bytes = done.stdout.split()
            reads.append(float(seconds))
            peaks.append(measure([*python, "-c", READ, str(path)])[1])
        check = [measure([*siglint, str(path)]) for _ in range(args.repeat)]
        figures[name] = (
            statistics.median(reads), statistics.median(peaks), int(read_bytes),
            statistics.median(c[0] for c in check), statistics.median(c[1] for c in check),
        )
        read, peak, count, check_s, check_mib = figures[name]
        print(f"{name}: read {read * 1000:.1f} ms, peak {peak:.1f} MiB, {count:,} bytes read; "
              f"siglint check {check_s * 1000:.0f} ms, {check_mib:.1f} MiB")
    (read, peak, *_), small_figures = figures["large"], figures["small"]
    print(f"large vs small: read {read / small_figures[0]:.2f}x, check {figures['large'][3] / small_figures[3]:.2f}x time, "
          f"{figures['large'][4] / small_figures[4]:.2f}x memory")
    print(f"target: read <= 0.1 s and <= 40 MiB: {'met' if read <= 0.1 and peak <= 40 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
