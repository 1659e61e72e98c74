"""A request's TensorProto is one TensorFlow cannot turn into a tensor.

## What it does
Reads each tensor of a Predict request as TensorFlow's `Tensor::FromProto` does and reports one it
rejects: dtype DT_INVALID or a `_REF` dtype, a negative dimension, more than 254 dimensions or
more elements than an int64 counts, a `tensor_content` whose size is not the elements' size.
(Value fields never fail: missing values are zeros and extra ones are ignored.)

## Why is this bad?
The server fails the request with `tensor parsing error: <alias>`; as a warmup record, it fails
the model's load.

## Example
```text
request x: dtype DT_FLOAT, tensor_shape [2, 3], tensor_content of 16 bytes
```

Use instead:
```text
request x: dtype DT_FLOAT, tensor_shape [2, 3], tensor_content of 24 bytes   # tf.make_tensor_proto
```

## References
- tensorflow/cc/saved_model/util.cc (`GetInputValues`)
- tensorflow/core/framework/tensor.cc (`Tensor::FromProto`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._requests import predict_like, problem, runs
from siglint.engine.deployment import RequestContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: RequestContext) -> Iterator[Problem]:
    if not runs(context) or not predict_like(context.request):
        return
    signature = context.signature(context.signature_key)
    for alias, sent in context.request.inputs.items():
        if sent.error is not None and (signature is None or alias in signature.inputs):
            yield problem(context, f"tensor parsing error: {alias} ({sent.error})", tensor=alias, io="input")


RULE = Rule("SIG049", "request-tensor-unparsable", Severity.ERROR, Scope.REQUEST, check, __name__)
