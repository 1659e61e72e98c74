"""TF Lite signature that names a tensor the model's inputs or outputs do not have.

## What it does
Resolves each tensor of TF Serving's signatures (the `signature_defs_metadata` SignatureDefs)
as `TfLiteSession::Create` does: its name must be the name of one of subgraph 0's input tensors
(an output's, of its outputs), as written or without its `:N` suffix. It also checks subgraph 0's own
input and output indices, and that each entry of the native `signature_defs` table names a
subgraph of the model, and tensor indices of that subgraph.

## Why is this bad?
TF Serving fails to load the model: `Unknown tensor 'x:0'.` with `Signature input x references
an unknown tensor`. TF Serving only feeds and fetches subgraph 0's inputs and outputs, so a
signature written for another subgraph, or for an intermediate tensor, cannot be served. An
input or output index of subgraph 0 that names no tensor makes TF Lite drop all of them
(`Invalid tensor index 7 in inputs`), or, for -1, crashes TF Serving. A native entry whose
tensor index is out of range fails the interpreter's signature runner for that key (`Invalid
tensor index 9 exceeds max tensor index 3`); one whose subgraph is out of range crashes it.

## Example
```text
signature_defs_metadata: serving_default inputs x -> "serving_default_x:0"; subgraph 0 inputs: [many_x:0]
```

Use instead:
```text
signature_defs_metadata: serving_default inputs x -> "many_x:0"   # a tensor subgraph 0 takes as input
```

## References
- tensorflow_serving/servables/tensorflow/tflite_session.cc (`FixTfLiteTensorName`, `TfLiteSession::Create`)
- tensorflow/lite/core/interpreter_builder.cc (`ParseSignatureDefs`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import tflite
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    from siglint.model.tflite_view import UNKNOWN_TENSOR

    view = tflite(context)
    for problem in view.problems:
        if problem.kind == UNKNOWN_TENSOR:
            yield Problem(
                problem.message, problem.tensor, problem.io, problem.expected, problem.actual,
                signature=problem.signature,
            )
    count = view.file.subgraph_count or 0
    for signature in view.native or ():
        if signature.subgraph_index >= count:
            yield Problem(
                f"native signature {signature.key!r} runs subgraph {signature.subgraph_index}, and the model has "
                f"{count}: get_signature_runner({signature.key!r}) crashes the interpreter (a null subgraph)",
                signature=signature.key, expected=f"a subgraph index below {count}", actual=str(signature.subgraph_index),
            )
            continue
        tensors = view.file.subgraphs[signature.subgraph_index].tensor_count or 0
        for io, mapped in (("input", signature.inputs), ("output", signature.outputs)):
            for tensor in mapped:
                if tensor.tensor is None:
                    yield Problem(
                        f"native signature {signature.key!r} maps {io} {tensor.alias!r} to tensor {tensor.tensor_index}, "
                        f"and subgraph {signature.subgraph_index} has {tensors} tensors: get_signature_runner"
                        f"({signature.key!r}) fails with `Invalid tensor index {tensor.tensor_index} exceeds max tensor "
                        f"index {tensors}`",
                        tensor.alias, io, f"a tensor index below {tensors}", str(tensor.tensor_index),
                        signature=signature.key,
                    )


RULE = Rule(
    "SIG904", "tflite-unknown-signature-tensor", Severity.ERROR, Scope.MODEL, check, __name__,
    model_kinds=TFLITE_ONLY,
)
