"""An input or output of a signature changed rank.

## What it does
Compares the rank of each input and output of a signature both versions serve, when both are
known. An unknown rank made known is SIG723's (inputs) or `strict`'s SIG761 (outputs); a known
one made unknown, SIG761's (inputs) or SIG741's (outputs).

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
Requests shaped for the old rank do not fit the new one: the model's ops fail on them (TF
Serving checks no shapes itself), and REST's row format nests `instances` one level more or
less. Clients index outputs by the old rank: `(-1, 1)` scores re-exported as `(-1)` break every
`scores[i][0]`.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1]}}}}}}
```

Use instead (keep the old shape: `tf.expand_dims(y, -1)`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow_serving/util/json_tensor.cc (`FillTensorProto`: `Encountered list at unexpected level`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import common_tensors
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC
_CONSEQUENCES = {
    "input": "requests shaped for the old rank do not fit, and the model's ops fail on them",
    "output": "clients that index its values by the old rank break",
}


def check(pair: SignaturePair) -> Iterator[Problem]:
    for io, key, old, new in common_tensors(pair.old, pair.new):
        if old.rank is None or new.rank is None or old.rank == new.rank:
            continue
        yield Problem(
            f"{io} {key!r} changed rank from {old.rank} {old.shape_text} to {new.rank} {new.shape_text}: "
            f"{_CONSEQUENCES[io]}",
            tensor=key, io=io, expected=old.shape_text, actual=new.shape_text,
        )


RULE = Rule("SIG731", "rank-changed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
