"""TF Lite model whose `signature_defs_metadata` TF Serving cannot read.

## What it does
Reads the `signature_defs_metadata` entry as TF Serving's `GetSignatureDefMap` does: the first
metadata entry of that name, its buffer's bytes as a FlexBuffer map (read without checking any
offset), each value taken as a C string (`AsString().c_str()`, so cut at its first NUL byte)
and parsed as a `tensorflow.SignatureDef`. It reports values that do not parse, and entries the
server reads outside of: a buffer index past the model's buffers, a buffer with no data, a
FlexBuffer whose offsets point outside it, a nameless metadata entry before it.

## Why is this bad?
A value that does not parse fails the model's load with `Invalid SignatureDefs found in TfLite
model: Cannot parse signature def found in flatbuffer.` A serialized SignatureDef that holds a
NUL byte (an empty message, such as the `tensor_shape {}` of a scalar, serializes as a 0 length
byte) is cut there and no longer parses. The other cases read memory outside the model: the
server crashes or serves garbage.

## Example
```text
signature_defs_metadata: serving_default -> SignatureDef with a scalar input (tensor_shape {})
```

Use instead:
```text
signature_defs_metadata: serving_default -> SignatureDef whose inputs have a rank (tensor_shape { dim { size: -1 } })
```

## References
- tensorflow/lite/tools/signature/signature_def_util.cc (`ReadSignatureDefMap`, `GetSignatureDefMap`)
- include/flatbuffers/flexbuffers.h (`GetRoot`, `Map::operator[]`, `Reference::AsString`)
- tensorflow_serving/servables/tensorflow/tflite_session.cc (`TfLiteSession::Create`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import tflite
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    from siglint.model.tflite_view import INVALID_METADATA

    for problem in tflite(context).problems:
        if problem.kind == INVALID_METADATA:
            yield Problem(problem.message, signature=problem.signature)


RULE = Rule(
    "SIG903", "tflite-serving-signatures-unreadable", Severity.ERROR, Scope.MODEL, check, __name__,
    model_kinds=TFLITE_ONLY,
)
