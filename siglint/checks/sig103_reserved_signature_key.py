"""A signature under a key TF2 reserves for op signatures is not an op signature.

## What it does
`tf.saved_model.save` adds a `__saved_model_init_op` signature to every export: no inputs, an
empty method name and one DT_INVALID output naming the `NoOp` that initializes the model. Such
bookkeeping signatures are not servable, so every other rule skips the two reserved keys and a
TF2 export gets no false positives from them. This rule reports a signature under a reserved key
that does not look like that (it has inputs, a method name, or typed outputs): it is skipped
too, so nothing checks it.

## Why is this bad?
TensorFlow's loader hides the reserved keys from `loaded.signatures`, siglint does not check
them, and TF Serving's GetModelMetadata still lists them to clients as if they were signatures.
A real signature stored under such a key is almost certainly a mistake.

## Example
```json
{"method_name": "tensorflow/serving/predict", "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

Use instead (the op signature TF2 writes; serve the model under another key):
```json
{"method_name": "", "inputs": {},
 "outputs": {"__saved_model_init_op": {"name": "NoOp", "dtype": "DT_INVALID"}}}
```

## References
- tensorflow/python/saved_model/save.py (`op_signature_def` for the init op)
- tensorflow/python/saved_model/constants.py (`INIT_OP_SIGNATURE_KEY`, `TRAIN_OP_SIGNATURE_KEY`)
- tensorflow_serving/servables/tensorflow/get_model_metadata_impl.cc
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity
from siglint.savedmodel.dtypes import DT_INVALID


def check(context: SignatureContext) -> Iterator[Problem]:
    signature = context.signature
    typed = [key for key, tensor in signature.outputs.items() if tensor.dtype != DT_INVALID]
    if not signature.inputs and not signature.method_name and not typed:
        return
    yield Problem(
        f"{signature.key} is a key TF2 reserves for its op signatures, but this signature has "
        f"{len(signature.inputs)} input(s), method name {signature.method_name!r} and "
        f"{len(typed)} typed output(s): no rule checks it and TensorFlow's loader hides it",
        actual=signature.method_name or None,
    )


RULE = Rule(
    "SIG103",
    "reserved-signature-key",
    Severity.INFO,
    Scope.SIGNATURE,
    check,
    __name__,
    op_signatures=True,
)
