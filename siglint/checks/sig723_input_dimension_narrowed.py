"""An input takes fewer shapes than it did: a dimension fixed or changed, or its rank fixed.

## What it does
Compares the shape of each input of a signature both versions serve. It reports an input whose
rank was unknown and is now known, or, at the same rank, a dimension that was unknown (-1) and is
now fixed, or that was fixed and now has another size. Ranks that differ are SIG731's; a
dimension made unknown accepts more and is reported at `strict` only (SIG761), as is the
`inputs` of a Classify or Regress signature made `(-1)`: those APIs feed it exactly that.

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
Requests shaped for the old signature no longer fit. TF Serving does not compare a request's
shape with the signature: the model's own ops fail on it, at run time, with whatever error the
first of them gives (a `MatMul` on `[1,3]` against `[4,1]`: `Matrix size-incompatible`). A batch
dimension fixed to 1 (`(1, 3)` where it was `(-1, 3)`) fails every batched request.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [1, 4]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (keep the batch dimension unknown: `tf.TensorSpec([None, 3])`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (no shape check before `Session::Run`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import dim_text, dims_narrowed, input_narrowed
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC


def check(pair: SignaturePair) -> Iterator[Problem]:
    for key, old in pair.old.inputs.items():
        new = pair.new.inputs.get(key)
        if new is None or new.shape is None or not input_narrowed(pair.old, key, old, new):
            continue
        if old.shape is None:
            change = f"its rank was unknown and is now {len(new.shape)}"
        else:
            change = "; ".join(
                f"dimension {i}{' (the batch)' if i == 0 else ''} was {dim_text(old.shape[i])} and is now "
                f"{dim_text(new.shape[i])}"
                for i in dims_narrowed(old, new)
            )
        yield Problem(
            f"input {key!r} takes {new.shape_text} where it took {old.shape_text} ({change}): requests "
            "shaped for the old signature no longer fit, and the model's ops fail on them (TF Serving "
            "checks no shapes itself)",
            tensor=key, io="input", expected=old.shape_text, actual=new.shape_text,
        )


RULE = Rule("SIG723", "input-dimension-narrowed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
