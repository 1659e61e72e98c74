"""A TF Lite model's signatures are not the signatures of the SavedModel it was converted from.

## What it does
Compares the keys of a TF Lite model's native signature table with the served signatures of the
SavedModel it was converted from (the SavedModel beside `model.tflite` in its version folder,
or `--converted-from`): `TFLiteConverter.from_saved_model` converts every signature of the
`serve` MetaGraphDef unless given `signature_keys`, each under its own key.

## Why is this bad?
Signatures are lost in conversion more often than one would think: a `signature_keys` list, a
TF1 conversion (`from_session`, one signature), or a SavedModel with a `serve` attribute (the
converter takes it as Keras' `model.export` and converts `serve` alone, as `serving_default`;
tensorflow/tensorflow#48320, #62620). Clients of the converted model then miss signatures the
SavedModel served.

## Example
```text
SavedModel: serving_default, predict_proba      model.tflite: serving_default
```

Use instead:
```text
tf.lite.TFLiteConverter.from_saved_model(export_dir, signature_keys=["serving_default", "predict_proba"])
```

## References
- tensorflow/lite/python/lite.py (`TFLiteConverterV2.from_saved_model`)
- tensorflow/compiler/mlir/lite/schema/schema.fbs (`SignatureDef.signature_key`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import differences
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    from siglint.model.tflite_view import SIGNATURE_KEYS

    return differences(context, SIGNATURE_KEYS)


RULE = Rule(
    "SIG910", "conversion-signature-keys", Severity.WARNING, Scope.MODEL, check, __name__, model_kinds=TFLITE_ONLY
)
