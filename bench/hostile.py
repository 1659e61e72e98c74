"""Benchmark: every hostile-input case of tests/hostile/cases.py, run by one or two siglint
installations, side by side: exit code, wall time and peak RSS (ru_maxrss of the siglint process,
taken by a small launcher so that this process's memory is not counted).

The cases are built once per installation in a temporary folder, at the sizes the issue reports
(a 148 MB .pbtxt, 10^6 inputs, 100,000 signatures, ...). A run over --timeout seconds is killed
and shown as such. Usage:

    python bench/hostile.py [--python PY] [--before PY] [--timeout S] [--only WORDS]

`--python` is the installation measured (default: this interpreter); `--before` another one to
compare with (an older siglint, installed in its own virtual environment). Needs no TensorFlow.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS / "hostile"), str(TESTS)]

from cases import CASES, Case, execute  # noqa: E402
from harness import Run  # noqa: E402


def _measure(case: Case, python: str, timeout: float) -> Run:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        try:
            return execute(case._replace(seconds=timeout / 3), root, python)
        finally:
            if case.cleanup is not None:
                case.cleanup(root)


def _cell(run: Run, case: Case) -> str:
    if run.code == -9:
        return f"killed after {run.seconds:.0f} s"
    verdict = "" if run.code == case.code and "Traceback" not in run.output and "internal error" not in run.output else " (wrong)"
    return f"exit {run.code}{verdict}, {run.seconds:.2f} s, {run.peak_mib:.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--before")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--only", default="", help="run only the cases whose name holds this")
    args = parser.parse_args()
    columns = [("before", args.before)] if args.before else []
    columns.append(("after" if args.before else "siglint", args.python))
    print("| item | case | limit | " + " | ".join(name for name, _ in columns) + " |")
    print("|---|---|---|" + "---|" * len(columns))
    for case in CASES:
        if args.only and args.only not in case.name:
            continue
        cells = [_cell(_measure(case, python, args.timeout), case) for _, python in columns]
        limit = f"{case.seconds:g} s, {case.mib:g} MiB"
        print(f"| {case.item} | {case.name} | {limit} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
