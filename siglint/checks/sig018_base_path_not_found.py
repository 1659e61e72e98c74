"""A model's base path in models.config does not exist or is not a folder siglint can list.

## What it does
Looks for each model's base path (joined to the root folder when it is relative and one is set)
as the server does before it polls it for versions. A `gs://` or `s3://` base path cannot be read
by siglint: that is information, not an error.

## Why is this bad?
The server logs `Could not find base path <path> for servable <name> with error NOT_FOUND: ...`
at every poll and the model never loads; tensorflow_model_server waits for every configured model
at start-up, so it never starts serving. The usual cause is a config written for a container
(`/models/...`) checked outside it, or a volume mounted elsewhere: check the config where the
server runs, or with the paths it will see.

## Example
```text
config { name: "churn" base_path: "/models/chrun" model_platform: "tensorflow" }
```

Use instead:
```text
config { name: "churn" base_path: "/models/churn" model_platform: "tensorflow" }
```

## References
- tensorflow_serving/sources/storage_path/file_system_storage_path_source.cc (`PollFileSystemForServable`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    model = context.model
    state, detail = model.storage.state, model.storage.detail
    line, column = model.at("base_path")
    if state == "missing":
        yield Problem(
            f"Could not find base path {model.path} for servable {model.name} with error {detail}",
            line=line, column=column,
        )
    elif state in ("not-a-folder", "unreadable"):
        yield Problem(
            f"the base path {model.path} of servable {model.name} cannot be polled for versions: {detail}",
            line=line, column=column,
        )
    elif state == "remote":
        yield Problem(
            f"the base path {model.path} of servable {model.name} was not checked: {detail}",
            severity=Severity.INFO, line=line, column=column,
        )


RULE = Rule("SIG018", "base-path-not-found", Severity.ERROR, Scope.CONFIGURED_MODEL, check, __name__)
