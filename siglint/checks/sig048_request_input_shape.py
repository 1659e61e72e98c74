"""A Predict request's tensor shape does not fit its signature input's, or the batch sizes differ.

## What it does
Compares the shape of each tensor a Predict request sends with the signature input's known
shape (its rank, and every dimension that is not -1), and checks that the tensors agree on their
first (batch) dimension.

## Why is this bad?
TF Serving does not check shapes, and TensorFlow feeds a placeholder whatever shape it is given,
so the request reaches the graph: an op fails there (`Incompatible shapes`, `Matrix size-
incompatible`), or worse, the model computes on data laid out differently from what it was built
for. With the server's batching on, inputs whose first dimensions differ fail with `Batching
session Run() input tensors must have equal 0th-dimension size`.

## Example
```text
signature serving_default: x DT_FLOAT (-1, 3)      request x: shape [3]
```

Use instead:
```text
request x: shape [1, 3]     # a batch of one
```

## References
- tensorflow/core/common_runtime/direct_session.cc (feeds are not checked against the graph's shapes)
- tensorflow_serving/batching/batching_session.cc (`ComputeInputSize`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._requests import predict_like, problem, runs
from siglint.engine.deployment import RequestContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.view import TensorView


def _compatible(shape: tuple[int, ...], wanted: TensorView) -> bool:
    if wanted.shape is None:
        return True
    if len(shape) != len(wanted.shape):
        return False
    return all(want < 0 or want == size for size, want in zip(shape, wanted.shape))


def _text(shape: tuple[int, ...]) -> str:
    return "[" + ",".join(str(size) for size in shape) + "]"


def check(context: RequestContext) -> Iterator[Problem]:
    signature = context.signature(context.signature_key)
    if not runs(context) or not predict_like(context.request) or signature is None:
        return
    batches: dict[str, int] = {}
    for alias, sent in context.request.inputs.items():
        wanted = signature.inputs.get(alias)
        if wanted is None or sent.error is not None:
            continue
        if not _compatible(sent.shape, wanted):
            yield problem(
                context,
                f"input {alias!r} has shape {_text(sent.shape)}, the signature's {wanted.name or alias} "
                f"is {wanted.shape_text}: TF Serving does not check it, so the graph gets a shape it "
                "was not built for",
                tensor=alias, io="input", expected=wanted.shape_text, actual=_text(sent.shape),
            )
        if sent.batch is not None:
            batches[alias] = sent.batch
    if len(set(batches.values())) > 1:
        sizes = ", ".join(f"{alias}: {size}" for alias, size in sorted(batches.items()))
        yield problem(
            context,
            f"the inputs disagree on their batch size ({sizes}): with batching on, the server fails "
            "with Batching session Run() input tensors must have equal 0th-dimension size",
            actual=sizes,
        )


RULE = Rule("SIG048", "request-input-shape", Severity.WARNING, Scope.REQUEST, check, __name__)
