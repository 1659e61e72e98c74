"""TF Lite model without a native signature table: its signature runner cannot be used.

## What it does
Checks that a TF Lite model has entries in its `signature_defs` table, which
`TFLiteConverter.from_saved_model` writes (one per converted signature, with its key and the
aliases of its inputs and outputs) and older converters (TOCO, TF1's `from_session`,
`from_frozen_graph`) do not.

## Why is this bad?
The interpreter's signature API needs the table: `interpreter.get_signature_list()` is empty,
`interpreter.get_signature_runner()` raises `SignatureDef signature_key is None and model has 0
Signatures`, and clients must feed and fetch tensors by index and internal name instead of the
SavedModel's input and output keys. TF Serving does not read this table (see SIG902).

## Example
```text
model.tflite: subgraph 0 inputs [x], outputs [y]; signature_defs: none   # converted by TOCO
```

Use instead:
```text
converter = tf.lite.TFLiteConverter.from_saved_model(export_dir)   # writes signature_defs
```

## References
- tensorflow/compiler/mlir/lite/schema/schema.fbs (`Model.signature_defs`)
- tensorflow/lite/core/interpreter_builder.cc (`ParseSignatureDefs`)
- tensorflow/lite/python/interpreter.py (`get_signature_list`, `get_signature_runner`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import tflite
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    if tflite(context).native is None:
        yield Problem(
            "the model has no signature_defs table: get_signature_list() is empty and get_signature_runner() "
            "raises `SignatureDef signature_key is None and model has 0 Signatures`",
            expected="a signature_defs entry for each signature", actual="none",
        )


RULE = Rule(
    "SIG901", "tflite-no-signature-defs", Severity.WARNING, Scope.MODEL, check, __name__, model_kinds=TFLITE_ONLY
)
