"""Benchmark: `siglint check` against `saved_model_cli show --all` and a full protobuf parse, and
`siglint scan` and the graph rules against `saved_model_cli scan`.

Three parts, from one run:
1. each of TF Serving's test models;
2. a SavedModel whose saved_model.pb is about 1 GiB (a TF1 graph holding one large constant),
   generated with TensorFlow in a temporary folder outside the repository;
3. a tree of 1,000 small models (copies of the test models), also generated there.

Every command runs in a fresh process; wall time and the child's peak RSS (ru_maxrss from
wait4) are measured, the median over --repeat runs is kept, and ratios are printed. Needs
TensorFlow installed in this environment (for saved_model_cli and to generate the large model).
siglint is measured as a user gets it: installed (not editable) into a throwaway virtual
environment, unless --in-place asks for the `python -m siglint` of this environment (slower to
start: editable finder, TF's .pth files). --large-only measures the 1 GiB model alone. The "full parse" is siglint's own reading of the
whole file with protobuf (`siglint.model.load.parse_full`), the way siglint read every model before
its seek reader. Usage: python bench/bench.py [--repeat N] [--in-place] [--skip-large | --large-only] [DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "tf-serving"


def measure(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024


def median_of(argv: list[str], repeat: int) -> tuple[float, float]:
    runs = [measure(argv) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def installed_siglint(workdir: Path) -> list[str]:
    """`siglint` from a fresh venv with this project installed (not editable)."""
    venv = workdir / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    project = Path(__file__).resolve().parents[1]
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(project)],
        capture_output=True, text=True,
    )
    if install.returncode:
        raise SystemExit(f"pip install of siglint failed:\n{install.stderr}")
    return [str(venv / "bin" / "siglint"), "check", "-q"]


def model_dirs(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/*/saved_model.pb"))


def saved_model_cli() -> str | None:
    """TensorFlow's saved_model_cli beside this interpreter or on PATH; None (said) without it."""
    cli = shutil.which("saved_model_cli", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if cli is None:
        print("saved_model_cli not found: install tensorflow-cpu", file=sys.stderr)
    return cli


def bench_arguments(doc: str, repeat: int, large: str) -> argparse.ArgumentParser:
    """The options the benchmarks against saved_model_cli share (bench, show, diff): the test
    models, how many runs, where siglint comes from, and the large model(s) built for them."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("testdata", nargs="?", type=Path, default=DEFAULT_TESTDATA)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--in-place", action="store_true", help="measure this environment's siglint")
    parser.add_argument("--skip-large", action="store_true", help=f"skip {large}")
    parser.add_argument("--large-gib", type=float, default=1.0, help="size of each large model's constant (GiB)")
    return parser


def main() -> int:
    parser = bench_arguments(__doc__, 3, "the 1 GiB model and the 1,000-model tree")
    parser.add_argument("--large-only", action="store_true", help="measure the 1 GiB model only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        return run(args, Path(workdir))


def run(args: argparse.Namespace, workdir: Path) -> int:
    cli = saved_model_cli()
    if cli is None:
        return 2
    in_place = [sys.executable, "-m", "siglint", "check", "-q"]
    siglint = in_place if args.in_place else installed_siglint(workdir)
    print(f"siglint: {'this environment' if args.in_place else 'clean install in a fresh venv'}")
    models = model_dirs(args.testdata)
    if args.large_only:
        python = sys.executable if args.in_place else str(Path(siglint[0]).with_name("python"))
        large(args, workdir, siglint, [python, "-c", FULL_PARSE], cli)
        return 0
    print(f"{'model':<60} {'siglint s':>9} {'MiB':>6} {'smcli s':>8} {'MiB':>6} {'speed':>7} {'memory':>7}")
    speed, memory, times = [], [], []
    for model in models:
        ours = median_of([*siglint, str(model)], args.repeat)
        theirs = median_of([cli, "show", "--all", "--dir", str(model)], args.repeat)
        speed.append(theirs[0] / ours[0])
        memory.append(theirs[1] / ours[1])
        times.append(ours[0])
        name = str(model.relative_to(args.testdata))
        print(
            f"{name:<60} {ours[0]:>9.3f} {ours[1]:>6.1f} {theirs[0]:>8.3f} {theirs[1]:>6.1f}"
            f" {speed[-1]:>6.1f}x {memory[-1]:>6.1f}x"
        )
    whole = median_of([*siglint, str(args.testdata)], args.repeat)
    baseline = median_of([sys.executable, "-c", "pass"], args.repeat)
    print()
    print(f"models: {len(models)}, median of {args.repeat} fresh processes each")
    print(f"speed ratio (saved_model_cli / siglint): min {min(speed):.1f}x, median {statistics.median(speed):.1f}x (target >= 25x)")
    print(f"memory ratio (saved_model_cli / siglint): min {min(memory):.1f}x, median {statistics.median(memory):.1f}x (target >= 15x)")
    print(f"siglint check of one small model: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms (target <= 80 ms)")
    print(f"siglint check of the whole testdata tree: {whole[0] * 1000:.0f} ms, {whole[1]:.1f} MiB")
    print(f"python -c pass: {baseline[0] * 1000:.0f} ms, {baseline[1]:.1f} MiB")
    if not args.skip_large:
        python = sys.executable if args.in_place else str(Path(siglint[0]).with_name("python"))
        full_parse = [python, "-c", FULL_PARSE]
        large(args, workdir, siglint, full_parse, cli)
        tree(args, workdir, siglint, full_parse, models)
    return 0


FULL_PARSE = (
    "import sys\n"
    "from siglint.model.discover import discover\n"
    "from siglint.model.load import model_file, parse_full\n"
    "for target in discover(sys.argv[1:]).models:\n"
    "    parse_full(model_file(target.path))\n"
)

MAKE_LARGE_MODEL = """
import sys
import numpy as np
import tensorflow as tf

export_dir, floats = sys.argv[1], int(sys.argv[2])
v1 = tf.compat.v1
with tf.Graph().as_default() as graph, v1.Session(graph=graph) as session:
    x = v1.placeholder(tf.float32, [None, 4], name="x")
    table = tf.constant(np.ones([floats // 4, 4], np.float32), name="table")
    y = tf.identity(tf.matmul(x, table[:4]), name="y")
    builder = v1.saved_model.Builder(export_dir)
    builder.add_meta_graph_and_variables(
        session,
        [tf.saved_model.SERVING],
        signature_def_map={"serving_default": v1.saved_model.predict_signature_def({"x": x}, {"y": y})},
    )
    builder.save()
"""


def _row(label: str, result: tuple[float, float]) -> None:
    print(f"  {label:<34} {result[0]:>8.3f} s {result[1]:>8.1f} MiB")


def large(args: argparse.Namespace, workdir: Path, siglint: list[str], full_parse: list[str], cli: str) -> None:
    export_dir = workdir / "large" / "1"
    floats = int(args.large_gib * 2**30) // 4
    subprocess.run([sys.executable, "-c", MAKE_LARGE_MODEL, str(export_dir), str(floats)], check=True, capture_output=True)
    size = (export_dir / "saved_model.pb").stat().st_size
    print()
    print(f"large model: saved_model.pb of {size / 2**30:.2f} GiB (one constant), median of {args.repeat} fresh processes")
    ours = median_of([*siglint, str(export_dir)], args.repeat)
    no_graph = median_of([*siglint, "--ignore", "SIG8", str(export_dir)], args.repeat)
    full = median_of([*full_parse, str(export_dir)], args.repeat)
    theirs = median_of([cli, "show", "--all", "--dir", str(export_dir)], args.repeat)
    our_scan = median_of([siglint[0], "scan", str(export_dir)], args.repeat)
    their_scan = median_of([cli, "scan", "--dir", str(export_dir)], args.repeat)
    _row("siglint check (graph rules on)", ours)
    _row("siglint check --ignore SIG8", no_graph)
    _row("siglint scan", our_scan)
    _row("full protobuf parse", full)
    _row("saved_model_cli show --all", theirs)
    _row("saved_model_cli scan", their_scan)
    print(f"  siglint vs saved_model_cli: {theirs[0] / ours[0]:.0f}x faster (target >= 40x), {theirs[1] / ours[1]:.0f}x less memory (target >= 80x)")
    print(f"  siglint check vs saved_model_cli scan: {their_scan[0] / ours[0]:.0f}x faster, {their_scan[1] / ours[1]:.0f}x less memory")
    print(f"  siglint scan vs saved_model_cli scan: {their_scan[0] / our_scan[0]:.0f}x faster, {their_scan[1] / our_scan[1]:.0f}x less memory")
    print(f"  siglint vs full parse: {full[0] / ours[0]:.0f}x faster, {full[1] / ours[1]:.0f}x less memory")
    print(f"  targets without graph rules, <= 0.1 s and <= 40 MiB: {'met' if no_graph[0] <= 0.1 and no_graph[1] <= 40 else 'NOT met'}")
    print(f"  targets with graph rules, <= 0.15 s and <= 60 MiB: {'met' if ours[0] <= 0.15 and ours[1] <= 60 else 'NOT met'}")
    shutil.rmtree(export_dir.parent)


def tree(args: argparse.Namespace, workdir: Path, siglint: list[str], full_parse: list[str], models: list[Path]) -> None:
    root = workdir / "tree"
    for number in range(1000):
        version = root / f"model_{number:04d}" / "1"
        version.mkdir(parents=True)
        shutil.copy(models[number % len(models)] / "saved_model.pb", version / "saved_model.pb")
    print()
    print(f"tree of 1,000 small models, median of {args.repeat} fresh processes ({os.cpu_count()} CPUs)")
    ours = median_of([*siglint, str(root)], args.repeat)
    serial = median_of([*siglint, "--jobs", "1", str(root)], args.repeat)
    full = median_of([*full_parse, str(root)], args.repeat)
    _row("siglint check", ours)
    _row("siglint check --jobs 1", serial)
    _row("full protobuf parse (no checks)", full)
    print("  saved_model_cli: not run on 1,000 models (about 1,000 x its per-model time above)")
    print(f"  target: <= 2 s: {'met' if ours[0] <= 2 else 'NOT met'}")


if __name__ == "__main__":
    raise SystemExit(main())
