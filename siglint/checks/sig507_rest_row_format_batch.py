"""Predict tensors do not share a batch dimension, so REST's row format fails.

## What it does
Checks, when clients use REST, that the outputs of a Predict signature have rank 1 or more, and
that within the outputs, and within the inputs, dimension 0 is either the batch (-1) everywhere
or one fixed size everywhere: a fixed size beside a batched tensor, or two different fixed sizes,
cannot be split into the same rows.

## Why is this bad?
The REST row format (`"instances"` in, `"predictions"` out) splits every tensor along dimension
0, one row per instance. A scalar output fails with `Tensor name: <name> has no shape
information `, and outputs of different batch sizes with `Tensor name: <name> has inconsistent
batch size: <b> expecting: <a>` (tensorflow/serving#1047, #450: a constant class-name list
returned beside the scores). The columnar format (`"inputs"`/`"outputs"`) still works.

## Example
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 4]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "labels": {"dtype": "DT_STRING", "shape": [3]}}}
```

Use instead (tile per-model constants along the batch, or serve them separately):
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 4]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "labels": {"dtype": "DT_STRING", "shape": [-1, 3]}}}
```

## Options
`--no-rest` turns this rule off.

## References
- tensorflow_serving/util/json_tensor.cc (`MakeJsonFromTensors`, `FillTensorMapFromInstancesList`)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from siglint.engine.intent import Intent
from siglint.engine.rule import Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity
from siglint.model.view import TensorView


def check(context: SignatureContext) -> Iterator[Problem]:
    if not context.profile.rest:
        return
    for tensor in context.signature.outputs.values():
        if tensor.rank == 0:
            yield Problem(
                f"output {tensor.key!r} is a scalar: REST row-format responses fail with: Tensor "
                f"name: {tensor.key} has no shape information",
                tensor=tensor.key,
                io="output",
                expected="rank >= 1",
                actual=tensor.shape_text,
            )
    yield from _batch_conflicts("output", context.signature.outputs)
    yield from _batch_conflicts("input", context.signature.inputs)


def _batch_conflicts(io: str, tensors: Mapping[str, TensorView]) -> Iterator[Problem]:
    """Row format splits every tensor of a group along dimension 0 into the same number of rows."""
    batched = [t for t in tensors.values() if t.rank and t.dim(0) is None]
    fixed = [t for t in tensors.values() if t.rank and t.dim(0) is not None]
    if not fixed or (not batched and len({t.dim(0) for t in fixed}) == 1):
        return
    reference = batched[0] if batched else fixed[0]
    for tensor in fixed:
        if tensor is reference or tensor.dim(0) == reference.dim(0):
            continue
        other = "a batch of any size" if reference.dim(0) is None else f"{reference.dim(0)}"
        if io == "output":
            expecting = reference.dim(0) if reference.dim(0) is not None else "<batch>"
            failure = (
                f"REST row format fails with: Tensor name: {tensor.key} has inconsistent batch "
                f"size: {tensor.dim(0)} expecting: {expecting}"
            )
        else:
            failure = (
                "REST row format builds every input with one row per instance, so no request "
                "fits both"
            )
        yield Problem(
            f"{io} {tensor.key!r} has dimension 0 fixed at {tensor.dim(0)} while {io} "
            f"{reference.key!r} has {other}: {failure}",
            tensor=tensor.key,
            io=io,
            expected=str(reference.dim(0) if reference.dim(0) is not None else -1),
            actual=str(tensor.dim(0)),
        )


RULE = Rule(
    "SIG507", "rest-row-format-batch", Severity.WARNING, Scope.SIGNATURE, check, __name__,
    intents=frozenset({Intent.PREDICT}),
)
