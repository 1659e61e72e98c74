"""models.config lists no model.

## What it does
Reports a ModelServerConfig that sets nothing (an empty file, or only comments), or a
`model_config_list` without a `config` entry.

## Why is this bad?
The server starts and serves nothing (`Taking no action for empty config.`): every request fails
with `Servable not found`. A config meant to list models that lists none is usually a wrong file,
a wrong mount, or a template never filled in.

## Example
```text
# models.config
```

Use instead:
```text
model_config_list { config { name: "churn" base_path: "/models/churn" model_platform: "tensorflow" } }
```

## References
- tensorflow_serving/model_servers/server_core.cc (`ServerCore::ReloadConfig`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ServerConfigContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ServerConfigContext) -> Iterator[Problem]:
    config = context.config
    if config.failure is not None or config.kind == "custom_model_config":
        return
    if not config.kind:
        yield Problem("the file sets no config: Taking no action for empty config. (the server serves no model)")
    elif not config.models:
        yield Problem("model_config_list has no config entry: the server serves no model")


RULE = Rule("SIG013", "model-config-empty", Severity.WARNING, Scope.SERVER_CONFIG, check, __name__)
