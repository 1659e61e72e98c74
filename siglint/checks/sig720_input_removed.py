"""An input of a signature is gone from the new version.

## What it does
Reports each input key of a signature both versions serve that the new version lacks. When one
added input has its dtype, shape and encoding (or its tensor name), the message says the input
was probably renamed to it.

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
Clients still send it. On the TF runtime, a gRPC Predict request with an input the signature
does not have fails: `input size does not match signature: 2!=1 len({a,b}) != len({a}). Sent
extra: {b}. Missing but required: {}.` (or `Inputs contains invalid name` when defaults make
the counts agree). TFRT ignores extra gRPC inputs, so there only REST breaks: an `instances`
object naming it fails with `JSON object: does not have named input: b` (a `--level rest`
finding). A renamed input is also a required input added (SIG721).

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"age": {"dtype": "DT_INT64", "shape": [-1]}, "country": {"dtype": "DT_STRING", "shape": [-1]}},
   "outputs": {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"age": {"dtype": "DT_INT64", "shape": [-1]}},
   "outputs": {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (keep taking it, and ignore it in the graph, until no client sends it):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"age": {"dtype": "DT_INT64", "shape": [-1]}, "country": {"dtype": "DT_STRING", "shape": [-1]}},
   "outputs": {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"age": {"dtype": "DT_INT64", "shape": [-1]}, "country": {"dtype": "DT_STRING", "shape": [-1]}},
   "outputs": {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## Options
`--runtime tfrt` reports it at `--level rest` only (TFRT ignores extra gRPC inputs).

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (`VerifyRequestInputsSize`)
- tensorflow/cc/saved_model/util.cc (`GetInputValues`)
- tensorflow_serving/servables/tensorflow/tfrt_predict_util.cc
- tensorflow_serving/util/json_tensor.cc (`FillTensorMapFromInstancesList`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import ABSENT, rename_hint, renames, request_input_errors
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC


def check(pair: SignaturePair) -> Iterator[Problem]:
    old, new = pair.old, pair.new
    grpc = request_input_errors(set(old.inputs), new, pair.profile)
    found = renames(old.inputs, new.inputs)
    for key, tensor in old.inputs.items():
        if key in new.inputs:
            continue
        if grpc is not None:
            failure = f"gRPC requests that still send it fail with {grpc}"
        elif pair.level.holds(Level.REST):
            failure = (
                "TFRT ignores it over gRPC, but REST row-format requests that name it fail with JSON "
                f"object: does not have named input: {key}"
            )
        else:
            continue
        yield Problem(
            f"input {key!r} is gone{rename_hint(key, found, old.inputs, new.inputs)}: {failure}",
            tensor=key, io="input", expected=f"{tensor.dtype_name} {tensor.shape_text}", actual=ABSENT,
        )


RULE = Rule("SIG720", "input-removed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
