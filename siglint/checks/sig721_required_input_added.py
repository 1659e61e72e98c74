"""A signature has a new input without a default: old clients do not send it.

## What it does
Reports each input key of a signature both versions serve that only the new version has, and
that has no default value (`SignatureDef.defaults`, a TF2 function's Python default).

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
Every request built for the old version lacks it. A gRPC Predict request fails with `input size
does not match signature: 1!=2 len({a}) != len({a,b}). Sent extra: {}. Missing but required:
{b}.` (`Signature input alias: b(feed name: ...) not found in request and no default value
provided` when other defaults make the counts agree; `Request inputs do not match required
inputs` on TFRT), and a REST one with `Missing named input: b in 'inputs' object.` A renamed
input (keras-team/keras#19458: `x` re-exported as `inputs`) is an input removed (SIG720) and
one added.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"age": {"dtype": "DT_INT64", "shape": [-1]}}, "outputs": {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"age": {"dtype": "DT_INT64", "shape": [-1]}, "country": {"dtype": "DT_STRING", "shape": [-1]}},
   "outputs": {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (give the new input a default: `def serve(age, country=tf.constant([""]))`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"age": {"dtype": "DT_INT64", "shape": [-1]}}, "outputs": {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"age": {"dtype": "DT_INT64", "shape": [-1]}, "country": {"dtype": "DT_STRING", "shape": [-1]}},
   "defaults": ["country"],
   "outputs": {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (`VerifyRequestInputsSize`)
- tensorflow/cc/saved_model/util.cc (`GetInputValues`)
- tensorflow_serving/util/json_tensor.cc (`FillTensorMapFromInputsMap`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import ABSENT, request_input_errors, sentences
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC


def check(pair: SignaturePair) -> Iterator[Problem]:
    old, new = pair.old, pair.new
    grpc = request_input_errors(set(old.inputs), new, pair.profile)
    for key, tensor in new.inputs.items():
        if key in old.inputs or key in new.defaults:
            continue
        rest = f"REST requests fail with Missing named input: {key} in 'inputs' object." if pair.profile.rest else ""
        yield Problem(
            sentences(f"input {key!r} is new and has no default, so old clients do not send it.", rest, f"gRPC requests fail with {grpc}"),
            tensor=key, io="input", expected=ABSENT, actual=f"{tensor.dtype_name} {tensor.shape_text}",
        )


RULE = Rule("SIG721", "required-input-added", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
