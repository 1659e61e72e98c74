"""A Predict signature went from one output to several, or back: REST responses change form.

## What it does
Reports a signature served by Predict (not declared Classify or Regress) whose number of outputs
goes from one to more, or from more to one.

Level: `rest` (and so `strict`).

## Why is this bad?
TF Serving's REST API writes a lone output without its key: `{"predictions": [0.1, 0.9]}` (row
format) or `{"outputs": [0.1, 0.9]}` (columnar). With several outputs it writes one object per
instance, `{"predictions": [{"y": 0.1, "debug": ...}]}`, or `{"outputs": {"y": ..., "debug":
...}}`. Adding a second output, even one no client asked for, changes the JSON every REST client
parses; gRPC clients, which read outputs by key, do not notice.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}, "logits": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (serve the extra output under a new signature key):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}},
   "serving_logits": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}, "logits": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow_serving/util/json_tensor.cc (`MakeRowFormatJsonFromTensors`, `MakeColumnarFormatJsonFromTensors`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import is_predict_like
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.REST


_FORMS = {
    True: 'one output, which REST writes without its key ("predictions": [<value>, ...])',
    False: 'several outputs, which REST writes as one object per instance ("predictions": [{"<key>": <value>, ...}, ...])',
}


def _count(count: int) -> str:
    return f"{count} output{'' if count == 1 else 's'}"


def check(pair: SignaturePair) -> Iterator[Problem]:
    old, new = len(pair.old.outputs), len(pair.new.outputs)
    if not is_predict_like(pair.old) or not old or not new or (old == 1) == (new == 1):
        return
    yield Problem(
        f"REST responses change form: the signature had {_FORMS[old == 1]} and has {_FORMS[new == 1]}; "
        '"outputs" in the columnar format likewise',
        expected=_count(old), actual=_count(new),
    )


RULE = Rule("SIG751", "rest-response-form-changed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
