"""A converted signature's input or output has another shape than in the SavedModel.

## What it does
For each input and output both the TF Lite model's signature and the SavedModel's have,
compares the TF Lite tensor's `shape_signature` (its `shape` when it has none; -1 is a dimension
of unknown size) with the SavedModel TensorInfo's shape: the rank, and each dimension.

## Why is this bad?
A dimension of any size in the SavedModel that the conversion fixed (a batch of 1 from a
concrete function traced with a fixed shape, `experimental_new_converter` settings, or an
explicit `input_shapes`) makes the converted model refuse other sizes until the client calls
`resize_tensor_input`; TF Serving resizes the input on each request whose size differs, which
fails where the graph cannot take it. A changed rank or a different fixed size means the model
was converted from another function.

## Example
```text
SavedModel: input x (-1, 224, 224, 3)     model.tflite: input x (1, 224, 224, 3)
```

Use instead:
```text
model.tflite: input x shape_signature (-1, 224, 224, 3)   # convert the signature with its batch dimension unknown
```

## References
- tensorflow/compiler/mlir/lite/schema/schema.fbs (`Tensor.shape_signature`)
- tensorflow/lite/python/interpreter.py (`resize_tensor_input`)
- tensorflow_serving/servables/tensorflow/tflite_session.cc (`SetInputAndInvokeMiniBatch`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import differences
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    from siglint.model.tflite_view import SHAPE

    return differences(context, SHAPE)


RULE = Rule(
    "SIG913", "conversion-tensor-shape", Severity.WARNING, Scope.MODEL, check, __name__, model_kinds=TFLITE_ONLY
)
