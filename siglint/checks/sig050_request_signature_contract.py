"""A request's API cannot run the signature it names (Classify/Regress contract, method names).

## What it does
Holds the signature a request runs to its API's contract, as the server does before it runs it:
a Classify (or Regress) request, or a MultiInference task whose method name is classify (or
regress), to the Classify (or Regress) contract of rules SIG301-SIG309 (SIG401-SIG404): their
errors only. With the server's method-name check on (`--method-name-check`), a Predict request to
a signature whose method name is not one of TF Serving's three, and a Classify or Regress request
to one whose method name is not its API's. A MultiInference task with any other method name is
`Unsupported signature method_name: <name>`.

## Why is this bad?
The request fails before it runs (`Expected one input Tensor.`, `No classification inputs found in
SignatureDef: ...`, ...); as a warmup record, it fails the model's load. Signature rules report
such a signature once; this rule says which request would hit it.

## Example
```text
ClassifyLog request: model_spec { signature_name: "serving_default" }   # a Predict signature {x} -> {y}
```

Use instead:
```text
PredictLog request: model_spec { signature_name: "serving_default" } inputs { key: "x" ... }
```

## References
- tensorflow_serving/servables/tensorflow/classifier.cc (`PreProcessClassification`)
- tensorflow_serving/servables/tensorflow/regressor.cc (`PreProcessRegression`)
- tensorflow_serving/servables/tensorflow/predict_util.cc (`VerifySignature`)
- tensorflow_serving/servables/tensorflow/multi_inference.cc (`TensorFlowMultiInferenceRunner::Infer`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._requests import (
    contract_problems,
    lookups,
    multi_inference_intent,
    problem,
    runs,
)
from siglint.engine.deployment import RequestContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.requests import Api


def check(context: RequestContext) -> Iterator[Problem]:
    if not runs(context):
        return
    request = context.request
    tasks = request.tasks if request.api is Api.MULTI_INFERENCE else ()
    for index, (api, key) in enumerate(lookups(context)):
        signature = context.signature(key)
        if signature is None:
            continue  # SIG045
        if api is Api.MULTI_INFERENCE:
            method = tasks[index].method_name
            task_api = multi_inference_intent(method)
            if task_api is None:
                yield problem(context, f"task {index}: Unsupported signature method_name: {method}", actual=method)
                continue
            api = task_api
        name = api.value.replace("_", " ")
        for message in contract_problems(api, signature, context.profile):
            yield problem(context, f"{name} request to signature {key!r}: {message}")


RULE = Rule("SIG050", "request-signature-contract", Severity.ERROR, Scope.REQUEST, check, __name__)
