"""An input or output changed shape in a way no client of the old version notices.

## What it does
Reports the shape changes of the inputs and outputs of a signature both versions serve that the
`grpc` rules let through: an input that accepts more (a fixed dimension made unknown, a known
rank made unknown) and an output that promises more (an unknown dimension made fixed, an unknown
rank made known).

Level: `strict`.

## Why is this bad?
Old clients keep working: they send what the new signature still takes and read what it still
gives. But the signature, and GetModelMetadata's answer, changed, and `strict` is for contracts
that must not change at all.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, -1]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (keep the old shapes, or diff at `--level grpc`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow/core/protobuf/meta_graph.proto (`TensorInfo.tensor_shape`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import common_tensors, dims_widened, input_narrowed
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.view import TensorView

LEVEL = Level.STRICT


def _reported_at_grpc(pair: SignaturePair, io: str, key: str, old: TensorView, new: TensorView) -> bool:
    """Whether SIG723, SIG731 or SIG741 reports this change already."""
    if old.rank is not None and new.rank is not None and old.rank != new.rank:
        return True  # SIG731
    if io == "input":
        return input_narrowed(pair.old, key, old, new)  # SIG723
    return (old.shape is not None and new.shape is None) or bool(dims_widened(old, new))  # SIG741


def check(pair: SignaturePair) -> Iterator[Problem]:
    for io, key, old, new in common_tensors(pair.old, pair.new):
        if old.shape == new.shape or _reported_at_grpc(pair, io, key, old, new):
            continue
        yield Problem(
            f"{io} {key!r} changed shape from {old.shape_text} to {new.shape_text}",
            tensor=key, io=io, expected=old.shape_text, actual=new.shape_text,
        )


RULE = Rule("SIG761", "shape-changed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
