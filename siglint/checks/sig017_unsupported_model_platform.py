"""A model in models.config asks for a platform the server does not serve.

## What it does
Checks each model's `model_platform` against the platforms the server is configured for: a stock
tensorflow_model_server serves `tensorflow` only; a `--platform_config_file` may configure others
(siglint's `--platforms`).

## Why is this bad?
The server does not start: `Model <name> requests unsupported platform <platform>`. Writing
`TensorFlow`, `tf` or `tensorflow2` is enough.

## Example
```text
config { name: "churn" base_path: "/models/churn" model_platform: "tf" }
```

Use instead:
```text
config { name: "churn" base_path: "/models/churn" model_platform: "tensorflow" }
```

## References
- tensorflow_serving/model_servers/server_core.cc (`CreateStoragePathRoutes`)
- tensorflow_serving/model_servers/platform_config_util.cc (`CreateTensorFlowPlatformConfigMap`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    model = context.model
    if model.platform and model.model_type == 0 and model.platform not in context.profile.platforms:
        line, column = model.at("model_platform")
        yield Problem(
            f"Model {model.name} requests unsupported platform {model.platform}",
            expected=" or ".join(context.profile.platforms), actual=model.platform, line=line, column=column,
        )


RULE = Rule("SIG017", "unsupported-model-platform", Severity.ERROR, Scope.CONFIGURED_MODEL, check, __name__)
