"""A warmup record or request names a signature the model does not have.

## What it does
Looks up the signature a request runs, as the server does: the one its `model_spec` names, else
`serving_default` (the profile's default signature key), in the MetaGraphDef the server loads;
for a MultiInference request, each task's. The message is the API's own: Predict's `Serving
signature key "<key>" not found.`, Classify and Regress's `No signature was found with the name:
<key>`, MultiInference's `Requested signature not found in model graph: <key>`, TFRT's `Function
"<key>" not found.`, and REST's `Serving signature name: "<key>" not found in signature def`.

## Why is this bad?
A warmup record that fails fails the model's load; a client's request fails every time
(tensorflow/serving#1105, #1208: a request sent with no signature name to a model whose export
has no `serving_default`).

## Example
```text
PredictLog request: model_spec { signature_name: "predict" }   # the model has "serving_default"
```

Use instead:
```text
PredictLog request: model_spec { signature_name: "serving_default" }
```

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (`RunPredict`)
- tensorflow_serving/servables/tensorflow/classifier.cc (`GetClassificationSignatureDef`)
- tensorflow_serving/servables/tensorflow/multi_inference.cc (`TensorFlowMultiInferenceRunner::Infer`)
- tensorflow_serving/model_servers/http_rest_api_handler.cc (`ProcessPredictRequest`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._requests import lookups, not_found_message, problem, runs
from siglint.engine.deployment import RequestContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: RequestContext) -> Iterator[Problem]:
    if not runs(context):
        return
    if context.meta_graph is None:
        return  # SIG101: the server cannot load the model at all
    known = ", ".join(sorted(k for k in context.meta_graph.signatures)) or "none"
    for api, key in dict.fromkeys(lookups(context)):
        if context.signature(key) is None:
            yield problem(
                context, not_found_message(context, api, key), expected=f"one of: {known}", actual=key
            )


RULE = Rule("SIG045", "request-signature-not-found", Severity.ERROR, Scope.REQUEST, check, __name__)
