"""A `.tflite` file that TF Lite cannot load: not a valid FlatBuffer, or a model it refuses.

## What it does
Reads a TF Lite model (a version folder's `model.tflite`, or a `.tflite` file given by name) as
a FlatBuffer of TF Lite's schema, checking every offset and length against the file, and then as
TF Lite's `InterpreterBuilder` takes it: schema version 3, at least one subgraph, a buffers
table, tensors in every subgraph, input and output indices that name tensors, tensor types TF
Lite knows, and a native signature table whose entries have a key, inputs and outputs. It
reports a file that is empty, truncated, corrupt, not a TF Lite model at all, or over the
bounds siglint reads (names over 64 KiB, shapes over 1,024 dimensions, more than 100,000
signature tensors).

## Why is this bad?
TF Serving (`--prefer_tflite_model`) fails to load the version with `Cannot build Interpreter
from buffer.` (`tflite_session.cc`); it does not verify the FlatBuffer first, so a truncated or
corrupt file can crash the server instead. `tf.lite.Interpreter` raises `The model is not a
valid Flatbuffer buffer` or TF Lite's own message (`Model provided is schema version 2 not equal
to supported version 3.`).

## Example
```text
export/1/model.tflite     # cut short by an interrupted copy
```

Use instead:
```text
export/1/model.tflite     # written whole by tf.lite.TFLiteConverter(...).convert()
```

## References
- tensorflow/compiler/mlir/lite/schema/schema.fbs (`Model`, `SubGraph`, `Tensor`, `SignatureDef`)
- tensorflow/lite/core/interpreter_builder.cc (`InterpreterBuilder::operator()`, `ParseSignatureDefs`)
- tensorflow_serving/servables/tensorflow/tflite_session.cc (`TfLiteSession::Create`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.load import FailureKind, LoadFailure


def check(failure: LoadFailure) -> Iterator[Problem]:
    if failure.kind is FailureKind.TFLITE_UNPARSABLE:
        yield Problem(failure.message)


RULE = Rule("SIG900", "tflite-unparsable", Severity.ERROR, Scope.LOAD, check, __name__)
