"""A REST request body the server's JSON layer cannot turn into a request.

## What it does
Reads a REST body (`siglint request check MODEL body.json`) as the server's JSON layer does for
the signature it names: `instances` (row format) or `inputs` (columnar format) for Predict,
`examples` (and an optional `context`) for Classify and Regress; each value converted to the
signature input's dtype, base64 objects (`{"b64": ...}`) for strings, every instance with the
same keys and shapes.

## Why is this bad?
The server answers 400 with the JSON layer's message (`Missing named input: x in 'inputs'
object.`, `JSON Value: "a" Type: String is not of expected type: float`, `Failed to process
element: 1 of 'instances' list. ...`) before the model sees anything.

## Example
```json
{"instances": [{"x": [1.0, 2.0, 3.0]}, {"x": [1.0, 2.0]}]}
```

Use instead:
```json
{"instances": [{"x": [1.0, 2.0, 3.0]}, {"x": [1.0, 2.0, 0.0]}]}
```

## References
- tensorflow_serving/util/json_tensor.cc (`FillPredictRequestFromJson`, `FillClassifyRegressRequestFromJson`)
- tensorflow_serving/model_servers/http_rest_api_handler.cc (`ProcessPredictRequest`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._requests import problem
from siglint.engine.deployment import RequestContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: RequestContext) -> Iterator[Problem]:
    if context.rejected is not None:
        yield problem(context, context.rejected)


RULE = Rule("SIG053", "rest-body-rejected", Severity.ERROR, Scope.REQUEST, check, __name__)
