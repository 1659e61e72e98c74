"""A model's base path in models.config is relative.

## What it does
Checks each `base_path` as the server does: a path with no URI scheme and no host must be
absolute (`/models/churn`, `gs://bucket/churn`), unless the server joins relative paths to a root
folder (ServerCore's `model_config_list_root_dir`, siglint's `--model-config-list-root-dir`).

## Why is this bad?
The server does not start: `Expected model <name> to have an absolute path or URI; got
base_path()=<path>`. Relative paths are a frequent slip when a config written for a local run
moves into a container (tensorflow/serving#1169).

## Example
```text
config { name: "churn" base_path: "models/churn" model_platform: "tensorflow" }
```

Use instead:
```text
config { name: "churn" base_path: "/models/churn" model_platform: "tensorflow" }
```

## References
- tensorflow_serving/model_servers/server_core.cc (`ValidateModelConfigList`, `UriIsRelativePath`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.server_config import is_relative


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    model = context.model
    if not context.config.root_dir and is_relative(model.base_path):
        line, column = model.at("base_path")
        yield Problem(
            f"Expected model {model.name} to have an absolute path or URI; got base_path()={model.base_path}",
            expected="an absolute path or a URI", actual=model.base_path, line=line, column=column,
        )


RULE = Rule("SIG015", "relative-base-path", Severity.ERROR, Scope.CONFIGURED_MODEL, check, __name__)
