"""A model in models.config has no version the server would load.

## What it does
Lists each model's base path as the server does and applies its version policy (`latest` by
default, `all`, or `specific`) to the children whose names parse as an int64: reports a model of
which the policy serves nothing (no numbered child at all, or none of its `specific` versions).

## Why is this bad?
The server logs `No versions of servable <name> found under base path <path>. Did you forget to
name your leaf directory as a number (eg. '/1/')?` and the model never becomes available;
tensorflow_model_server waits for every configured model at start-up, so it never starts serving.

## Example
```text
/models/churn/saved_model.pb        config { name: "churn" base_path: "/models/churn" ... }
```

Use instead:
```text
/models/churn/1/saved_model.pb      config { name: "churn" base_path: "/models/churn" ... }
```

## References
- tensorflow_serving/sources/storage_path/file_system_storage_path_source.cc (`PollFileSystemForServable`)
- tensorflow_serving/model_servers/server_core.cc (`ConnectAdaptersToManagerAndAwaitModelLoads`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.server_config import SPECIFIC


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    model = context.model
    base = model.storage.base
    if base is None or model.served:
        return
    found = ", ".join(name for _, name in base.versions) or "none"
    wanted = ""
    if model.policy.kind == SPECIFIC:
        wanted = f" (its specific policy serves versions {', '.join(map(str, model.policy.versions)) or 'none'})"
    line, column = model.at("model_version_policy" if wanted else "base_path")
    yield Problem(
        f"No versions of servable {model.name} found under base path {model.path}. Did you forget to "
        f"name your leaf directory as a number (eg. '/1/')?{wanted}",
        expected="<base path>/<int64 version>/saved_model.pb", actual=f"numbered children: {found}",
        line=line, column=column,
    )


RULE = Rule("SIG019", "no-model-versions", Severity.ERROR, Scope.CONFIGURED_MODEL, check, __name__)
