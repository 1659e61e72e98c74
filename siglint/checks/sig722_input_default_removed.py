"""An input that had a default value no longer has one: gRPC clients that left it out fail.

## What it does
Reports each input of a signature both versions serve that is in the old signature's `defaults`
(a TF2 function's Python default, `SignatureDef.defaults`) and not in the new one's.

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
gRPC Predict honours defaults, so clients may leave such an input out; once the default is gone
they fail with `Signature input alias: <key>(feed name: ...) not found in request and no default
value provided` (or `input size does not match signature: ...`; `Request inputs do not match
required inputs` on TFRT). REST ignores defaults and always sends every input, so REST clients
do not notice.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "temperature": {"dtype": "DT_FLOAT", "shape": []}},
   "defaults": ["temperature"], "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "temperature": {"dtype": "DT_FLOAT", "shape": []}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (keep the Python default of the serving function's argument):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "temperature": {"dtype": "DT_FLOAT", "shape": []}},
   "defaults": ["temperature"], "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "temperature": {"dtype": "DT_FLOAT", "shape": []}},
   "defaults": ["temperature"], "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow/cc/saved_model/util.cc (`GetInputValues`)
- tensorflow_serving/servables/tensorflow/predict_util.cc (`VerifyRequestInputsSize`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import request_input_errors
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC


def check(pair: SignaturePair) -> Iterator[Problem]:
    old, new = pair.old, pair.new
    # A client relying on the defaults sends the other inputs only.
    removed = sorted(old.defaults & set(old.inputs) & set(new.inputs) - new.defaults)
    failure = request_input_errors(set(old.inputs) - old.defaults, new, pair.profile) if removed else None
    for key in removed:
        yield Problem(
            f"input {key!r} no longer has a default: gRPC requests that leave it out fail with {failure}",
            tensor=key, io="input", expected="has a default", actual="required",
        )


RULE = Rule("SIG722", "input-default-removed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
