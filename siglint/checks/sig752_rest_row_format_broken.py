"""A Predict signature no longer fits REST's row format: its tensors stopped sharing a batch.

## What it does
Runs SIG507's check (outputs of rank 1 or more, and one dimension 0 for all outputs, and for all
inputs) on both versions of a signature served by Predict, and reports what fails it in the new
version only: a new output without the batch dimension, an output made a scalar, an input whose
dimension 0 was fixed apart from the others.

Level: `rest` (and so `strict`).

## Why is this bad?
REST's row format (`"instances"` in, `"predictions"` out) splits every tensor along dimension 0,
one row per instance. Clients that used it fail with `Tensor name: <key> has no shape
information ` or `Tensor name: <key> has inconsistent batch size: <b> expecting: <a>`
(tensorflow/serving#1047; #450: a constant list of class names added beside the scores). gRPC
and the columnar format still work.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "labels": {"dtype": "DT_STRING", "shape": [-1, 3]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "labels": {"dtype": "DT_STRING", "shape": [3, 3]}}}}}}
```

Use instead (tile per-model constants along the batch: `tf.tile(labels[None], [tf.shape(x)[0], 1])`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "labels": {"dtype": "DT_STRING", "shape": [-1, 3]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "labels": {"dtype": "DT_STRING", "shape": [-1, 3]}}}}}}
```

## References
- tensorflow_serving/util/json_tensor.cc (`MakeRowFormatJsonFromTensors`, `FillTensorMapFromInstancesList`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks import sig507_rest_row_format_batch as row_format
from siglint.checks._diff import is_predict_like
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.intent import Intent
from siglint.engine.rule import Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity
from siglint.model.view import SignatureView

LEVEL = Level.REST


def _row_format_problems(pair: SignaturePair, signature: SignatureView) -> list[Problem]:
    profile = pair.profile._replace(rest=True)  # the level, not the profile, asks about REST here
    return list(row_format.check(SignatureContext(signature, frozenset({Intent.PREDICT}), profile)))


def check(pair: SignaturePair) -> Iterator[Problem]:
    if not is_predict_like(pair.new):
        return
    before = {(p.io, p.tensor) for p in _row_format_problems(pair, pair.old)}
    for problem in _row_format_problems(pair, pair.new):
        if (problem.io, problem.tensor) not in before:
            yield problem._replace(message=f"REST's row format no longer works: {problem.message}", severity=None)


RULE = Rule("SIG752", "rest-row-format-broken", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
