"""Deployment checks: what a warmup file, a models.config and `siglint request` cost, from one
run, in fresh processes (median of --runs), with the siglint of this interpreter. Prints the
times, the peak memory, and the ratio of each run to a plain `siglint check` of the same model.

1. a model without a warmup file (the baseline), with 1,000 Predict records, and with hostile
   files: a million records, and one record whose length field says 2^63 bytes;
2. a models.config listing 100 models (one small version each);
3. `siglint request` for a Classify signature (reads the graph for its features), and
   `siglint request check` of the request it writes.

Usage: python bench/deploy.py [--runs N]   (needs TF Serving's test models beside the checkout)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
TESTDATA = PROJECT.parent / "shared" / "testdata" / "tf-serving"
MODEL = TESTDATA / "saved_model_half_plus_two_cpu" / "00000123"
SMALL = TESTDATA / "matrix_half_plus_two" / "1"
SIGLINT = [sys.executable, "-m", "siglint"]
TIME = "/usr/bin/time"  # GNU time: the peak RSS of the process it runs, not of this one


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    """Median seconds and the largest peak RSS (MiB, as GNU time reports it) of `argv` over
    `runs` fresh processes."""
    times, peak = [], 0.0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([TIME, "-f", "%M", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        times.append(time.perf_counter() - start)
        peak = max(peak, int(done.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(times), peak


def _warmup(model: Path, data: bytes) -> Path:
    path = model / "assets.extra" / "tf_serving_warmup_requests"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def _predict_record() -> bytes:
    from siglint.io.tfrecord import frame
    from siglint.serving import proto

    log = proto.PredictionLog()
    tensor = log.predict_log.request.inputs["x"]
    tensor.dtype = 1
    tensor.tensor_shape.dim.add(size=1)
    tensor.tensor_shape.dim.add(size=1)
    tensor.float_val.append(1.0)
    log.predict_log.request.model_spec.signature_name = "serving_default"
    return frame(log.SerializeToString())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from siglint.io import crc32c
    from siglint.io.tfrecord import frame

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        model = root / "hp2" / "1"
        shutil.copytree(MODEL, model)
        check = [*SIGLINT, "check", "-q", "--isolated", str(model)]
        base, base_mem = measure(check, args.runs)
        rows.append(("check, no warmup file", base, base_mem))
        _warmup(model, _predict_record() * 1000)
        rows.append(("check, 1,000 warmup records", *measure(check, args.runs)))
        _warmup(model, frame(b"\x0c") * 1_000_000)
        rows.append(("check, 1,000,000 warmup records", *measure(check, args.runs)))
        length = struct.pack("<Q", 2**63)
        _warmup(model, length + struct.pack("<I", crc32c.masked_value(length)) + bytes(64))
        rows.append(("check, a record of length 2^63", *measure(check, args.runs)))
        _warmup(model, frame(bytes(31 * 2**20)))
        rows.append(("check, one 31 MiB record (CRC)", *measure(check, max(1, args.runs // 3))))
        (model / "assets.extra" / "tf_serving_warmup_requests").unlink()

        lines = ["model_config_list {"]
        for index in range(100):
            shutil.copytree(SMALL, root / "many" / f"m{index}" / "1")
            lines.append(f'  config {{ name: "m{index}" base_path: "{root}/many/m{index}" model_platform: "tensorflow" }}')
        (root / "models.config").write_text("\n".join(lines + ["}"]) + "\n")
        config = [*SIGLINT, "check", "-q", "--isolated", "-j", "1", "--model-config-file", str(root / "models.config")]
        plain = [*SIGLINT, "check", "-q", "--isolated", "-j", "1", str(root / "many")]
        rows.append(("check the 100 models' folder", *measure(plain, args.runs)))
        rows.append(("check a models.config of 100 models", *measure(config, args.runs)))

        request = [*SIGLINT, "request", str(model), "--signature", "classify_x_to_y", "--format", "grpc-text"]
        rows.append(("request (Classify: graph read)", *measure(request, args.runs)))
        body = root / "request.pbtxt"
        body.write_text(subprocess.run(request, capture_output=True, text=True, check=True).stdout)
        rows.append(("request check", *measure([*SIGLINT, "request", "check", str(model), str(body)], args.runs)))

    width = max(len(name) for name, _, _ in rows)
    print(f"{'run':<{width}}  median      peak RSS   vs check")
    for name, seconds, memory in rows:
        print(f"{name:<{width}}  {seconds * 1000:7.1f} ms  {memory:6.1f} MiB  {seconds / base:5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
