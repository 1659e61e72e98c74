"""A converted signature's input or output has another dtype than in the SavedModel.

## What it does
For each input and output both the TF Lite model's signature and the SavedModel's have,
compares the TF Lite tensor's type with the SavedModel TensorInfo's dtype (FLOAT32 is DT_FLOAT,
INT8 is DT_INT8, FLOAT16 is DT_HALF, ...).

## Why is this bad?
Integer quantization with `inference_input_type` / `inference_output_type` set to int8 or
uint8, or float16 I/O, changes what clients must send and read: code written for the SavedModel
feeds float32 to an int8 tensor (`Got value of type FLOAT32 but expected type INT8`), or reads
quantized outputs as if they were probabilities. It is a warning: the change may be the point
of the conversion, and then clients must quantize and dequantize with the tensors' parameters.

## Example
```text
SavedModel: input x DT_FLOAT     model.tflite: input x INT8 (inference_input_type=tf.int8)
```

Use instead:
```text
model.tflite: input x FLOAT32    # or clients that quantize with the input's scale and zero point
```

## References
- tensorflow/lite/python/lite.py (`inference_input_type`, `inference_output_type`)
- tensorflow/compiler/mlir/lite/schema/schema.fbs (`TensorType`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import differences
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    from siglint.model.tflite_view import DTYPE

    return differences(context, DTYPE)


RULE = Rule(
    "SIG912", "conversion-tensor-dtype", Severity.WARNING, Scope.MODEL, check, __name__, model_kinds=TFLITE_ONLY
)
