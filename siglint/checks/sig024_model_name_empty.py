"""A model in models.config has no name.

## What it does
Reports a `config` entry whose `name` is empty or left out.

## Why is this bad?
The server loads it under the empty name, which no request can reach: every request without a
model name fails with `ModelSpec has no name specified.`, and REST URLs need a name
(`/v1/models/<name>:predict`).

## Example
```text
config { base_path: "/models/churn" model_platform: "tensorflow" }
```

Use instead:
```text
config { name: "churn" base_path: "/models/churn" model_platform: "tensorflow" }
```

## References
- tensorflow_serving/model_servers/server_core.cc (`ServerCore::ServableRequestFromModelSpec`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    if not context.model.name:
        yield Problem("the model has no name, so no request can reach it: ModelSpec has no name specified.")


RULE = Rule("SIG024", "model-name-empty", Severity.ERROR, Scope.CONFIGURED_MODEL, check, __name__)
