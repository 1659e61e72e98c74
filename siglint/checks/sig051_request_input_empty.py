"""A Classify, Regress or MultiInference request holds no examples.

## What it does
Counts the examples of the request's `input` (an `example_list`, or an
`example_list_with_context`); an input with neither set holds none.

## Why is this bad?
The server fails the request with `Input is empty.`; as a warmup record, it fails the model's load.

## Example
```text
ClassifyLog request: model_spec { signature_name: "classify" } input { example_list { } }
```

Use instead:
```text
ClassifyLog request: ... input { example_list { examples { features { feature { key: "x" ... } } } } }
```

## References
- tensorflow_serving/servables/tensorflow/util.cc (`InputToSerializedExampleTensor`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._requests import problem, runs
from siglint.engine.deployment import RequestContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.requests import Api

_WITH_EXAMPLES = (Api.CLASSIFY, Api.REGRESS, Api.MULTI_INFERENCE)


def check(context: RequestContext) -> Iterator[Problem]:
    request = context.request
    if runs(context) and request.api in _WITH_EXAMPLES and request.examples == 0:
        kind = request.input_kind or "no input kind set"
        yield problem(context, f"Input is empty. ({kind})", expected="at least one example", actual="0")


RULE = Rule("SIG051", "request-input-empty", Severity.ERROR, Scope.REQUEST, check, __name__)
