"""An output may have another shape than it had: a fixed dimension changed or made unknown.

## What it does
Compares the shape of each output of a signature both versions serve. At the same rank, it
reports a dimension that was fixed and is now unknown (-1) or another size; and an output whose
rank was known and is now unknown. Ranks that differ are SIG731's; a dimension made fixed gives
clients nothing new to handle and is reported at `strict` only (SIG761).

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
Clients are written for the sizes the old signature promised: three class scores per example,
an embedding of 128. A re-export that returns `(-1, 5)` or `(-1, -1)` breaks every client that
reshapes, slices or zips the values with labels of the old size.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 5]}}}}}}
```

Use instead (serve the new classes under a new key, or a new signature):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "scores_v2": {"dtype": "DT_FLOAT", "shape": [-1, 5]}}}}}}
```

## References
- tensorflow/core/protobuf/meta_graph.proto (`TensorInfo.tensor_shape`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import dim_text, dims_widened
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC


def check(pair: SignaturePair) -> Iterator[Problem]:
    for key, old in pair.old.outputs.items():
        new = pair.new.outputs.get(key)
        if new is None or old.shape is None:
            continue
        if new.shape is None:
            change = f"its rank was {len(old.shape)} and is now unknown"
        else:
            widened = dims_widened(old, new)
            if not widened:
                continue
            change = "; ".join(
                f"dimension {i} was {dim_text(old.shape[i])} and is now {dim_text(new.shape[i])}" for i in widened
            )
        yield Problem(
            f"output {key!r} has shape {new.shape_text} where it had {old.shape_text} ({change}): "
            "clients written for the old sizes break",
            tensor=key, io="output", expected=old.shape_text, actual=new.shape_text,
        )


RULE = Rule("SIG741", "output-shape-changed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
