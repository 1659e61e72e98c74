"""An input or output now names another graph tensor.

## What it does
Compares the graph tensor names behind each input and output of a signature both versions serve
(`x:0` re-exported as `serving_default_x:0`; each component of a sparse or composite tensor).
Only models whose tensors are graph tensors (SavedModels, GetModelMetadata responses) are
compared this way.

Level: `strict`.

## Why is this bad?
No TF Serving client breaks: they address tensors by key. But code that runs the graph itself
(`session.run("x:0")`, a TF1 `Session` fed by name, a converter pinned to tensor names) does,
and every TF1 to TF2 re-export renames every tensor.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3], "name": "x:0"}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1], "name": "y:0"}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3], "name": "serving_default_x:0"}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1], "name": "StatefulPartitionedCall:0"}}}}}}
```

Use instead (diff at `--level grpc` or `rest` when no client uses tensor names):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3], "name": "x:0"}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1], "name": "y:0"}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3], "name": "x:0"}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1], "name": "y:0"}}}}}}
```

## References
- tensorflow/core/protobuf/meta_graph.proto (`TensorInfo.name`, `CooSparse`, `CompositeTensor`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import common_tensors
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.STRICT


def check(pair: SignaturePair) -> Iterator[Problem]:
    if not pair.graph_names:
        return
    for io, key, old, new in common_tensors(pair.old, pair.new):
        if old.tensor_names != new.tensor_names:
            was, now = ", ".join(old.tensor_names) or "none", ", ".join(new.tensor_names) or "none"
            yield Problem(
                f"{io} {key!r} names graph tensor {now} where it named {was}",
                tensor=key, io=io, expected=was, actual=now,
            )


RULE = Rule("SIG760", "tensor-name-changed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
