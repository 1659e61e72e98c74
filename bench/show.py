"""Benchmark: `siglint show --all` against `saved_model_cli show --all`, from one run.

1. each of TF Serving's test models;
2. a SavedModel whose saved_model.pb is about 1 GiB (bench.py's TF1 graph with one large
   constant), generated with TensorFlow in a temporary folder.

Fresh processes, wall time and the child's peak RSS, the median over --repeat runs, as bench.py
measures `siglint check` (its helpers are reused); siglint is installed as a user gets it (not
editable) into a throwaway virtual environment, unless --in-place. Prints the ratios and the
targets: small models >= 25x faster and >= 15x less memory; the 1 GiB model >= 40x faster and at
most 60 MiB. Needs TensorFlow installed here. Usage: python bench/show.py [--repeat N]
[--in-place] [--skip-large] [DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import (
    MAKE_LARGE_MODEL,
    bench_arguments,
    installed_siglint,
    median_of,
    model_dirs,
    saved_model_cli,
)


def main() -> int:
    args = bench_arguments(__doc__, 3, "the 1 GiB model").parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        return run(args, Path(workdir))


def run(args: argparse.Namespace, workdir: Path) -> int:
    cli = saved_model_cli()
    if cli is None:
        return 2
    siglint = [sys.executable, "-m", "siglint"] if args.in_place else installed_siglint(workdir)[:1]
    print(f"siglint: {'this environment' if args.in_place else 'clean install in a fresh venv'}")
    models = model_dirs(args.testdata)
    for command in ([*siglint, "show", "--all", "--dir"], [cli, "show", "--all", "--dir"]):
        median_of([*command, str(models[0])], 1)  # warm the file cache: the first run pays for it
    print(f"{'model':<60} {'siglint s':>9} {'MiB':>6} {'smcli s':>8} {'MiB':>6} {'speed':>7} {'memory':>7}")
    speed, memory, times, peaks = [], [], [], []
    for model in models:
        ours = median_of([*siglint, "show", "--all", "--dir", str(model)], args.repeat)
        theirs = median_of([cli, "show", "--all", "--dir", str(model)], args.repeat)
        speed.append(theirs[0] / ours[0])
        memory.append(theirs[1] / ours[1])
        times.append(ours[0])
        peaks.append(ours[1])
        print(
            f"{model.relative_to(args.testdata)!s:<60} {ours[0]:>9.3f} {ours[1]:>6.1f} {theirs[0]:>8.3f}"
            f" {theirs[1]:>6.1f} {speed[-1]:>6.1f}x {memory[-1]:>6.1f}x"
        )
    print()
    print(f"models: {len(models)}, median of {args.repeat} fresh processes each")
    print(f"speed ratio (saved_model_cli / siglint show --all): min {min(speed):.1f}x, median {statistics.median(speed):.1f}x (target >= 25x)")
    print(f"memory ratio: min {min(memory):.1f}x, median {statistics.median(memory):.1f}x (target >= 15x)")
    print(f"siglint show --all of one small model: median {statistics.median(times) * 1000:.0f} ms, {statistics.median(peaks):.1f} MiB")
    if not args.skip_large:
        large(args, workdir, siglint, cli)
    return 0


def large(args: argparse.Namespace, workdir: Path, siglint: list[str], cli: str) -> None:
    export_dir = workdir / "large" / "1"
    floats = int(args.large_gib * 2**30) // 4
    subprocess.run([sys.executable, "-c", MAKE_LARGE_MODEL, str(export_dir), str(floats)], check=True, capture_output=True)
    size = (export_dir / "saved_model.pb").stat().st_size
    print()
    print(f"large model: saved_model.pb of {size / 2**30:.2f} GiB (one constant), median of {args.repeat} fresh processes")
    ours = median_of([*siglint, "show", "--all", "--dir", str(export_dir)], args.repeat)
    theirs = median_of([cli, "show", "--all", "--dir", str(export_dir)], args.repeat)
    for label, result in (("siglint show --all", ours), ("saved_model_cli show --all", theirs)):
        print(f"  {label:<34} {result[0]:>8.3f} s {result[1]:>8.1f} MiB")
    print(f"  siglint vs saved_model_cli: {theirs[0] / ours[0]:.0f}x faster (target >= 40x), {theirs[1] / ours[1]:.0f}x less memory")
    print(f"  target: <= 60 MiB: {'met' if ours[1] <= 60 else 'NOT met'}")
    same = subprocess.run([*siglint, "show", "--all", "--dir", str(export_dir)], capture_output=True, text=True, check=True)
    print(f"  siglint's ops line: {same.stdout.splitlines()[-1][:120]}")
    shutil.rmtree(export_dir.parent)


if __name__ == "__main__":
    raise SystemExit(main())
