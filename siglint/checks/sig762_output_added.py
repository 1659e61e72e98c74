"""A signature has an output the old version did not have.

## What it does
Reports each output key of a signature both versions serve that only the new version has.

Level: `strict`.

## Why is this bad?
gRPC clients read the outputs they know and ignore the others. REST clients may not: a
signature that goes from one output to two changes the form of every REST response (SIG751, at
`rest`), and a new output without the batch dimension breaks the row format (SIG752). At
`strict`, any new output is a change of the contract.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}, "z": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}, "z": {"dtype": "DT_FLOAT", "shape": [-1, 1]},
     "debug": {"dtype": "DT_FLOAT", "shape": [-1, 64]}}}}}}
```

Use instead (serve the new output under a new signature key, or diff at `--level grpc`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}, "z": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}, "z": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow_serving/util/json_tensor.cc (`MakeJsonFromTensors`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import ABSENT
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.STRICT


def check(pair: SignaturePair) -> Iterator[Problem]:
    for key, tensor in pair.new.outputs.items():
        if key not in pair.old.outputs:
            yield Problem(
                f"output {key!r} is new ({tensor.dtype_name} {tensor.shape_text})",
                tensor=key, io="output", expected=ABSENT, actual=f"{tensor.dtype_name} {tensor.shape_text}",
            )


RULE = Rule("SIG762", "output-added", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
