"""A converted signature's input or output keys differ from the SavedModel signature's.

## What it does
For each signature both the TF Lite model and the SavedModel it was converted from have,
compares the TF Lite signature's input and output aliases (its TensorMaps' names, which the
converter takes from the SavedModel signature's keys) with the SavedModel signature's keys.

## Why is this bad?
Clients call a signature runner with the SavedModel's keys (`runner(x=...)`) and read its
outputs by key: a renamed or missing key fails with `Invalid Input name (x) for SignatureDef`,
or an output is silently absent. A mismatch means the model was converted from another
SavedModel, or that the aliases were rewritten after conversion.

## Example
```text
SavedModel serving_default: inputs x, outputs probabilities     model.tflite: inputs x, outputs output_0
```

Use instead:
```text
SavedModel serving_default: inputs x, outputs probabilities     model.tflite: inputs x, outputs probabilities
```

## References
- tensorflow/lite/python/lite.py (`TFLiteConverterV2.from_saved_model`)
- tensorflow/lite/python/interpreter.py (`SignatureRunner.__call__`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import differences
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    from siglint.model.tflite_view import TENSOR_KEYS

    return differences(context, TENSOR_KEYS)


RULE = Rule(
    "SIG911", "conversion-tensor-keys", Severity.ERROR, Scope.MODEL, check, __name__, model_kinds=TFLITE_ONLY
)
