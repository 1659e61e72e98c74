"""TF Lite model input or output of a type TF Serving's TF Lite servable cannot convert.

## What it does
Checks the type of each of subgraph 0's input and output tensors against the ones TF Serving's
`TfLiteTypeToTfType` converts to a TensorFlow DataType: FLOAT32, INT32, UINT8, INT64, STRING,
BOOL, INT16, COMPLEX64 and INT8.

## Why is this bad?
TF Serving fails to load the model with `Unknown TfLite type: N` (N is TF Lite's TfLiteType
number, not the schema's: 10 for FLOAT16, 11 for FLOAT64). A model converted with float16
inputs or outputs (`converter.target_spec.supported_types = [tf.float16]` with float16 I/O), or
one that returns a float64, int4, uint16, uint32, uint64, bfloat16 or complex128 tensor, runs
in TF Lite and cannot be served.

## Example
```text
subgraph 0: input x FLOAT16
```

Use instead:
```text
subgraph 0: input x FLOAT32   # keep the model's inputs and outputs float32 (inference_input_type)
```

## References
- tensorflow_serving/servables/tensorflow/tflite_session.cc (`TfLiteTypeToTfType`, `GetTensorInfoMap`)
- tensorflow/lite/core/api/flatbuffer_conversions.cc (`ConvertTensorType`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import tflite
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    from siglint.model.tflite_view import UNSUPPORTED_TYPE
    from siglint.savedmodel.tflite_schema import TFLITE_TYPE_NAMES

    for problem in tflite(context).problems:
        if problem.kind == UNSUPPORTED_TYPE:
            number = int(problem.actual or 0)
            yield Problem(
                f"{problem.io} tensor {problem.tensor!r} is {TFLITE_TYPE_NAMES.get(number, number)}: TF Serving fails "
                f"to load the model with `{problem.message}`",
                expected="FLOAT32, INT32, UINT8, INT64, STRING, BOOL, INT16, COMPLEX64 or INT8",
                actual=TFLITE_TYPE_NAMES.get(number, str(number)),
            )


RULE = Rule(
    "SIG906", "tflite-unsupported-tensor-type", Severity.ERROR, Scope.MODEL, check, __name__,
    model_kinds=TFLITE_ONLY,
)
