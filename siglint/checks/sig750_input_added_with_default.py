"""A signature has a new input with a default: gRPC clients may omit it, REST ones may not.

## What it does
Reports each input key of a signature both versions serve that only the new version has and that
has a default value (`SignatureDef.defaults`). Without a default it is SIG721's.

Level: `rest` (and so `strict`).

## Why is this bad?
gRPC Predict honours defaults, so gRPC clients keep working. TF Serving's REST API ignores them:
every input of the signature must be in the request. REST requests built for the old version
fail with `Missing named input: <key> in 'inputs' object.` (columnar) or `... keys must be
equal to: <keys>` (row format); when the old signature had one input, clients that sent a plain
list get `instances is a plain list, but expecting list of objects as multiple input tensors
required as per tensorinfo_map`.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "temperature": {"dtype": "DT_FLOAT", "shape": []}},
   "defaults": ["temperature"], "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (serve the option under a new signature key, which old clients never call):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}},
   "serving_tempered": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "temperature": {"dtype": "DT_FLOAT", "shape": []}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow_serving/util/json_tensor.cc (`FillTensorMapFromInputsMap`, `FillTensorMapFromInstancesList`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import ABSENT, keys
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.REST


def check(pair: SignaturePair) -> Iterator[Problem]:
    old, new = pair.old, pair.new
    row = None
    for key, tensor in new.inputs.items():
        if key in old.inputs or key not in new.defaults:
            continue
        if row is None and len(old.inputs) == 1:
            row = (
                "instances is a plain list, but expecting list of objects as multiple input tensors required "
                "as per tensorinfo_map"
            )
        elif row is None:
            row = f"keys must be equal to: {keys(new.inputs)}"
        yield Problem(
            f"input {key!r} is new: gRPC clients may leave it out (it has a default), but REST ignores "
            f"defaults and fails requests built for the old version. Columnar: Missing named input: {key} in "
            f"'inputs' object. Row: {row}",
            tensor=key, io="input", expected=ABSENT, actual=f"{tensor.dtype_name} {tensor.shape_text}",
        )


RULE = Rule("SIG750", "input-added-with-default", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
