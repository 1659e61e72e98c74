"""A renamed string output gained or lost the `_bytes` suffix: REST writes its values otherwise.

## What it does
Pairs each output gone from a signature with the added output it was most likely renamed to
(same dtype, shape and encoding, or the same tensor name), and reports a DT_STRING pair where
one key ends in `_bytes` and the other does not.

Level: `rest` (and so `strict`).

## Why is this bad?
TF Serving's REST API writes the strings of an output whose key ends in `_bytes` as base64,
`{"b64": "iVBORw0..."}`, and those of any other as JSON strings. A single-output signature's key
never shows in a REST response, so a re-export that renames `image_bytes` to `output_0` looks
harmless there, but REST clients that decoded `{"b64": ...}` now get raw bytes as a JSON string
(or the other way round). gRPC clients see the rename itself (SIG740).

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"image_bytes": {"dtype": "DT_STRING", "shape": [-1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"output_0": {"dtype": "DT_STRING", "shape": [-1]}}}}}}
```

Use instead (keep the key, or at least its `_bytes` suffix: `return {"image_bytes": png}`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"image_bytes": {"dtype": "DT_STRING", "shape": [-1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"image_bytes": {"dtype": "DT_STRING", "shape": [-1]}}}}}}
```

## References
- tensorflow_serving/util/json_tensor.cc (`IsNamedTensorBytes`, `AddSingleValueAndAdvance`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import is_bytes_key, renames
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.REST


def _form(key: str, bytes_: bool) -> str:
    return f'{key!r} as base64 ({{"b64": ...}})' if bytes_ else f"{key!r} as JSON strings"


def check(pair: SignaturePair) -> Iterator[Problem]:
    old, new = pair.old.outputs, pair.new.outputs
    for key, target in renames(old, new).items():
        tensor = old[key]
        was, now = is_bytes_key(key, tensor), is_bytes_key(target, new[target])
        if was == now:
            continue
        yield Problem(
            f"output {key!r}, renamed to {target!r}?, changes its REST encoding: REST wrote "
            f"{_form(key, was)} and writes {_form(target, now)}",
            tensor=key, io="output", expected=key, actual=target,
        )


RULE = Rule("SIG753", "rest-bytes-output-changed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
