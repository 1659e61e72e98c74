"""Benchmark: `siglint diff`, from one run.

1. TF Serving's saved_model_half_plus_two_2_versions (its base path: 123 against 124), and two
   of its models given by path;
2. two SavedModels whose saved_model.pb is about 1 GiB each (bench.py's TF1 graph with one large
   constant; the second renames the output, so the diff has a finding to report), generated
   with TensorFlow in a temporary folder, diffed as a base path at every level;
3. the same small models read from a git revision (`git:HEAD:...`) of a throwaway repository.

Fresh processes, wall time and the child's peak RSS, the median over --repeat runs, as bench.py
measures `siglint check` (its helpers are reused); siglint is installed as a user gets it (not
editable) into a throwaway virtual environment, unless --in-place. Prints the figures, the
ratio to `siglint check` of one of the models, and the targets: the diff of the two 1 GiB
models in under 0.3 s and 80 MiB. Needs TensorFlow installed here (for the 1 GiB models).
Usage: python bench/diff.py [--repeat N] [--in-place] [--skip-large] [DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import MAKE_LARGE_MODEL, bench_arguments, installed_siglint, median_of

TWO_VERSIONS = "saved_model_half_plus_two_2_versions"
TARGET_SECONDS, TARGET_MIB = 0.3, 80.0


def main() -> int:
    args = bench_arguments(__doc__, 5, "the two 1 GiB models").parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        return run(args, Path(workdir))


def _row(label: str, result: tuple[float, float], reference: tuple[float, float] | None = None) -> None:
    ratio = f"  ({result[0] / reference[0]:.2f}x the time of a check)" if reference else ""
    print(f"  {label:<60} {result[0]:>7.3f} s {result[1]:>7.1f} MiB{ratio}")


def run(args: argparse.Namespace, workdir: Path) -> int:
    siglint = [sys.executable, "-m", "siglint"] if args.in_place else installed_siglint(workdir)[:1]
    print(f"siglint: {'this environment' if args.in_place else 'clean install in a fresh venv'}, "
          f"median of {args.repeat} fresh processes")
    base = args.testdata / TWO_VERSIONS
    median_of([*siglint, "diff", str(base)], 1)  # warm the file cache
    print("TF Serving's models:")
    check = median_of([*siglint, "check", "-q", str(base / "00000124")], args.repeat)
    _row(f"check {TWO_VERSIONS}/00000124", check)
    _row(f"diff {TWO_VERSIONS} (123 -> 124)", median_of([*siglint, "diff", str(base)], args.repeat), check)
    tf1, tf2 = (args.testdata / name / "00000123" for name in ("saved_model_half_plus_two_cpu", "saved_model_half_plus_two_tf2_cpu"))
    _row("diff half_plus_two_cpu -> half_plus_two_tf2_cpu (findings)", median_of([*siglint, "diff", str(tf1), str(tf2)], args.repeat), check)
    git(args, workdir, siglint, check)
    if not args.skip_large:
        return large(args, workdir, siglint)
    return 0


def git(args: argparse.Namespace, workdir: Path, siglint: list[str], check: tuple[float, float]) -> None:
    repository = workdir / "repository"
    shutil.copytree(args.testdata / TWO_VERSIONS, repository / "model", ignore=shutil.ignore_patterns("variables"))
    for command in (["init", "-q"], ["add", "."], ["-c", "user.email=b@b", "-c", "user.name=b", "commit", "-q", "-m", "m"]):
        subprocess.run(["git", *command], cwd=repository, check=True)
    previous = os.getcwd()
    os.chdir(repository)  # git finds the repository from the current folder
    try:
        argv = [*siglint, "diff", "git:HEAD:model", "model"]
        _row("diff git:HEAD:model model (git revision -> work tree)", median_of(argv, args.repeat), check)
    finally:
        os.chdir(previous)


def large(args: argparse.Namespace, workdir: Path, siglint: list[str]) -> int:
    base = workdir / "large"
    floats = int(args.large_gib * 2**30) // 4
    renamed = MAKE_LARGE_MODEL.replace('{"y": y}', '{"output_0": y}')
    for version, script in ((1, MAKE_LARGE_MODEL), (2, renamed)):
        subprocess.run([sys.executable, "-c", script, str(base / str(version)), str(floats)], check=True, capture_output=True)
    size = (base / "2" / "saved_model.pb").stat().st_size
    print(f"two models of {size / 2**30:.2f} GiB (saved_model.pb, one constant each), version 2 renames the output:")
    median_of([*siglint, "diff", str(base)], 1)  # warm the file cache
    check = median_of([*siglint, "check", "-q", str(base / "2")], args.repeat)
    _row("check large/2", check)
    worst = (0.0, 0.0)
    for level in ("grpc", "rest", "strict"):
        result = median_of([*siglint, "diff", "--level", level, str(base)], args.repeat)
        _row(f"diff large (1 -> 2) --level {level}", result, check)
        worst = max(worst, result)
    met = worst[0] < TARGET_SECONDS and worst[1] < TARGET_MIB
    print(f"target: under {TARGET_SECONDS} s and {TARGET_MIB:.0f} MiB: {'met' if met else 'NOT met'} "
          f"(slowest level {worst[0]:.3f} s, {worst[1]:.1f} MiB)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
