"""Signature tensor has dtype DT_INVALID or a `_REF` dtype.

## What it does
Notes every input or output whose dtype is DT_INVALID (no dtype recorded) or a reference dtype
such as DT_FLOAT_REF (written by TF1 graphs that expose a variable directly).

## Why is this bad?
A `_REF` tensor is fetched as its base dtype, so the server copes, but TensorFlow's
`is_valid_signature` compares dtypes exactly and rejects, say, a regression output of
DT_FLOAT_REF. DT_INVALID means the exporter recorded no dtype: nothing can check what the
tensor carries. Outside TF2's init-op signature (SIG103) neither is expected.

## Example
```json
{"method_name": "tensorflow/serving/predict", "inputs": {"delta": {"dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"counter": {"dtype": "DT_FLOAT_REF", "shape": [-1]}}}
```

Use instead (read the variable: `tf.identity(v)` / `v.read_value()`):
```json
{"method_name": "tensorflow/serving/predict", "inputs": {"delta": {"dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"counter": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

## References
- tensorflow/core/framework/types.proto (`_REF` dtypes)
- tensorflow/python/saved_model/signature_def_utils_impl.py (`is_valid_signature`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity
from siglint.savedmodel.dtypes import DT_INVALID, base_dtype, dtype_name, is_ref


def check(context: SignatureContext) -> Iterator[Problem]:
    for io, tensor in context.signature.tensors():
        if tensor.dtype == DT_INVALID:
            message = f"{io} {tensor.key!r} has dtype DT_INVALID: no dtype was recorded"
        elif is_ref(tensor.dtype):
            base = dtype_name(base_dtype(tensor.dtype))
            message = (
                f"{io} {tensor.key!r} is {tensor.dtype_name}, a reference dtype: fetched as "
                f"{base}, but is_valid_signature compares dtypes exactly ({tensor.dtype_name} is "
                f"not {base})"
            )
        else:
            continue
        yield Problem(message, tensor=tensor.key, io=io, actual=tensor.dtype_name)


RULE = Rule("SIG509", "unusual-dtype", Severity.INFO, Scope.SIGNATURE, check, __name__)
