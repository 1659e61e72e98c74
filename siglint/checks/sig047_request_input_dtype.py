"""A Predict request's tensor has a dtype other than its signature input's.

## What it does
Compares the dtype of each tensor a Predict request sends with the dtype of the signature input
it feeds (a `_REF` dtype as its base dtype). The TF runtime does not check it itself: TensorFlow
fails the run with `Expects arg[<i>] to be <dtype> but <dtype> is provided`, `<i>` the feed's
place among the request's inputs (siglint counts them in key order). TFRT checks it first:
`Expected input <alias> to be <dtype> but get <dtype>.`

## Why is this bad?
Every such request fails, and a warmup record that does fails the model's load. The usual cause
is a client building its tensors from Python numbers: `1` is an int64 where the model wants
float (tensorflow/serving#927, #994).

## Example
```text
signature serving_default: x DT_FLOAT (-1, 3)      request x: dtype DT_DOUBLE
```

Use instead:
```text
request x: dtype DT_FLOAT     # tf.make_tensor_proto(values, dtype=tf.float32)
```

## References
- tensorflow/core/framework/function.cc (`FunctionCallFrame::SetArgs`)
- tensorflow_serving/servables/tensorflow/tfrt_predict_util.cc (`PreProcessPredictionWithoutOutputFilter`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._requests import predict_like, problem, runs
from siglint.engine.deployment import RequestContext
from siglint.engine.profile import TFRT
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.savedmodel.dtypes import DT_INVALID, base_dtype, dtype_name, type_string
from siglint.serving import messages


def check(context: RequestContext) -> Iterator[Problem]:
    signature = context.signature(context.signature_key)
    if not runs(context) or not predict_like(context.request) or signature is None:
        return
    fed = [alias for alias in context.request.inputs if alias in signature.inputs]
    for position, alias in enumerate(fed):
        sent, wanted = context.request.inputs[alias], signature.inputs[alias]
        if wanted.dtype == DT_INVALID or sent.error is not None or base_dtype(wanted.dtype) == sent.dtype:
            continue
        want, got = type_string(base_dtype(wanted.dtype)), type_string(sent.dtype)
        server = messages.input_dtype_mismatch(alias, position, want, got, context.profile.runtime == TFRT)
        yield problem(
            context,
            f"input {alias!r} is {sent.dtype_name} where the signature's {wanted.name or alias} is "
            f"{wanted.dtype_name}: {server}",
            tensor=alias, io="input", expected=dtype_name(base_dtype(wanted.dtype)), actual=sent.dtype_name,
        )


RULE = Rule("SIG047", "request-input-dtype", Severity.ERROR, Scope.REQUEST, check, __name__)
