"""An output of a signature is gone from the new version, or was renamed.

## What it does
Reports each output key of a signature both versions serve that the new version lacks. When one
added output has its dtype, shape and encoding (or its tensor name), the message says the output
was probably renamed to it: `y` re-exported as `output_0` (keras-team/keras#19458).

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
Clients read outputs by key: `response.outputs["y"]` no longer exists. Requests that ask for it
in `output_filter` fail with `output tensor alias not found in signature: y Outputs expected to
be in the set {output_0}.` (`output_filter contains non-existed output names` on TFRT). A
Classify signature that loses `classes` or `scores` returns results without labels or scores.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"output_0": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (name the serving function's outputs: `return {"y": y}`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (`PreProcessPrediction`: the output filter)
- tensorflow_serving/servables/tensorflow/tfrt_predict_util.cc
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import ABSENT, keys, rename_hint, renames
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.profile import TFRT
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.serving import messages

LEVEL = Level.GRPC


def check(pair: SignaturePair) -> Iterator[Problem]:
    old, new = pair.old.outputs, pair.new.outputs
    found, known = renames(old, new), None
    for key, tensor in old.items():
        if key in new:
            continue
        if pair.profile.runtime == TFRT:
            filtered = f"output_filter contains non-existed output names. output_filter: {key}"
        else:
            known = keys(new) if known is None else known
            filtered = messages.output_alias_not_found(key, known)
        yield Problem(
            f"output {key!r} is gone{rename_hint(key, found, old, new)}: clients that read it find nothing, and "
            f"requests that ask for it fail with {filtered}",
            tensor=key, io="output", expected=f"{tensor.dtype_name} {tensor.shape_text}", actual=ABSENT,
        )


RULE = Rule("SIG740", "output-removed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
