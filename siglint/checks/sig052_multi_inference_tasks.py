"""A MultiInference request's tasks are ones the server refuses to run together.

## What it does
Checks the tasks of a MultiInference request as the server does: every task names a model, the
same one, and no signature twice (after the default key stands in for an empty one).

## Why is this bad?
The server fails the request with `Found ModelSpec with an empty model name.`, `All ModelSpecs in
a MultiInferenceRequest must access the same model name.` or `Duplicate evaluation of signature:
<key>`; as a warmup record, it fails the model's load.

## Example
```text
tasks { model_spec { name: "m" signature_name: "classify" } method_name: "tensorflow/serving/classify" }
tasks { model_spec { name: "m" signature_name: "classify" } method_name: "tensorflow/serving/classify" }
```

Use instead:
```text
tasks { model_spec { name: "m" signature_name: "classify" } method_name: "tensorflow/serving/classify" }
tasks { model_spec { name: "m" signature_name: "regress" } method_name: "tensorflow/serving/regress" }
```

## References
- tensorflow_serving/servables/tensorflow/multi_inference.cc (`TensorFlowMultiInferenceRunner::Infer`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._requests import problem, runs
from siglint.engine.deployment import RequestContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.requests import Api


def check(context: RequestContext) -> Iterator[Problem]:
    request = context.request
    if not runs(context) or request.api is not Api.MULTI_INFERENCE:
        return
    if not request.tasks:
        yield problem(context, "the request has no tasks: it runs nothing")
        return
    names = {task.model_name for task in request.tasks}
    if "" in names:
        yield problem(context, "Found ModelSpec with an empty model name.")
    elif len(names) > 1:
        yield problem(
            context, "All ModelSpecs in a MultiInferenceRequest must access the same model name.",
            actual=", ".join(sorted(names)),
        )
    seen: set[str] = set()
    for task in request.tasks:
        key = task.signature_name or context.profile.default_signature
        if key in seen:
            yield problem(context, f"Duplicate evaluation of signature: {key}")
        seen.add(key)


RULE = Rule("SIG052", "multi-inference-tasks", Severity.ERROR, Scope.REQUEST, check, __name__)
