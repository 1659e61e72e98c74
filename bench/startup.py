"""Start-up: `siglint check` on one small model against the least a protobuf-based reader pays,
`python -c "from google.protobuf import descriptor_pool, message_factory"`, from one run.

Both run in fresh processes from the same throwaway virtual environment, where siglint is
installed as a user gets it (not editable), alternating A B A B ... so that a drift of the
machine's speed hits both; the ratio is taken pair by pair and its median printed with the
medians of each. The target is a ratio of at most 1.5. Usage:
python bench/startup.py [--runs N] [MODEL_DIR]  (default: a TF Serving test model, or the demo)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
TESTDATA_MODEL = PROJECT.parent / "shared" / "testdata" / "tf-serving" / "saved_model_half_plus_two_cpu" / "00000123"
DEMO_MODEL = PROJECT / "fixtures" / "demo" / "half_plus_two" / "1"
FLOOR = "from google.protobuf import descriptor_pool, message_factory"
TARGET = 1.5


def seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", type=Path, default=TESTDATA_MODEL if TESTDATA_MODEL.is_dir() else DEMO_MODEL)
    parser.add_argument("--runs", type=int, default=41)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        venv = Path(workdir) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "--quiet", str(PROJECT)], check=True)
        siglint = [str(venv / "bin" / "siglint"), "check", "-q", "--isolated", str(args.model)]
        floor = [python, "-c", FLOOR]
        for _ in range(3):  # warm the page cache and the bytecode
            seconds(siglint), seconds(floor)
        pairs = [(seconds(siglint), seconds(floor)) for _ in range(args.runs)]
    ours, theirs = (statistics.median(p[i] for p in pairs) for i in (0, 1))
    ratio = statistics.median(a / b for a, b in pairs)
    print(f"model: {args.model}")
    print(f"siglint check -q:      median {ours * 1000:.1f} ms over {args.runs} runs")
    print(f"protobuf import floor: median {theirs * 1000:.1f} ms")
    print(f"ratio (median of pairs): {ratio:.2f}  (target <= {TARGET})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
