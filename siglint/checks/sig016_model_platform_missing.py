"""A model in models.config sets neither or both of `model_platform` and `model_type`.

## What it does
Reads each model's platform as the server does: `model_platform`, or the deprecated
`model_type` (`TENSORFLOW` only), never both and never neither.

## Why is this bad?
The server does not start: `Illegal setting neither ModelServerConfig::model_type (deprecated)
nor ModelServerConfig::model_platform.`, `Illegal setting both ...`, or `ModelServerConfig::
model_type choice 2 not supported.` for `model_type: OTHER`. A bare `model_type: TENSORFLOW`
works but is deprecated (the server logs a warning): siglint says so as information.

## Example
```text
config { name: "churn" base_path: "/models/churn" }
```

Use instead:
```text
config { name: "churn" base_path: "/models/churn" model_platform: "tensorflow" }
```

## References
- tensorflow_serving/model_servers/server_core.cc (`GetPlatform`)
- tensorflow_serving/config/model_server_config.proto (`ModelType`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

_UNSPECIFIED, _TENSORFLOW = 0, 1


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    model = context.model
    line, column = model.at("model_type" if model.model_type else "name")
    if model.model_type != _UNSPECIFIED and model.platform:
        yield Problem(
            "Illegal setting both ModelServerConfig::model_type (deprecated) and ModelServerConfig::model_platform.",
            line=line, column=column,
        )
    elif model.model_type not in (_UNSPECIFIED, _TENSORFLOW):
        yield Problem(
            f"ModelServerConfig::model_type choice {model.model_type} not supported.", line=line, column=column
        )
    elif model.model_type == _TENSORFLOW:
        yield Problem(
            "Deprecated ModelServerConfig::model_type field used. Prefer ModelServerConfig::model_platform.",
            severity=Severity.INFO, expected='model_platform: "tensorflow"', line=line, column=column,
        )
    elif not model.platform:
        yield Problem(
            "Illegal setting neither ModelServerConfig::model_type (deprecated) nor ModelServerConfig::model_platform.",
            expected='model_platform: "tensorflow"', line=line, column=column,
        )


RULE = Rule("SIG016", "model-platform-missing", Severity.ERROR, Scope.CONFIGURED_MODEL, check, __name__)
