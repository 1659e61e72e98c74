"""models.config uses `custom_model_config`, which tensorflow_model_server cannot load.

## What it does
Reports a ModelServerConfig that sets `custom_model_config` instead of `model_config_list`.

## Why is this bad?
tensorflow_model_server has no loader for a custom config: it stops at start-up with the fatal
error `ModelServer does not yet support custom model config.` Only a server built on ServerCore
with its own `custom_model_config_loader` reads one.

## Example
```text
custom_model_config { type_url: "type.googleapis.com/my.Config" value: "..." }
```

Use instead:
```text
model_config_list { config { name: "churn" base_path: "/models/churn" model_platform: "tensorflow" } }
```

## References
- tensorflow_serving/model_servers/server.cc (`LoadCustomModelConfig`)
- tensorflow_serving/model_servers/server_core.cc (`ServerCore::ReloadConfig`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ServerConfigContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ServerConfigContext) -> Iterator[Problem]:
    if context.config.kind == "custom_model_config":
        yield Problem("ModelServer does not yet support custom model config.", expected="model_config_list")


RULE = Rule("SIG012", "model-config-custom", Severity.ERROR, Scope.SERVER_CONFIG, check, __name__)
