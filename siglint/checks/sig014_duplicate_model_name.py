"""models.config lists one model name twice.

## What it does
Reports every `config` entry whose `name` an earlier entry already has.

## Why is this bad?
The server does not start: `Illegal to list model <name> multiple times in config list`. (A
reload with such a config is refused, and the old models stay.) Two versions of one model are one
entry with a version policy, not two entries.

## Example
```text
model_config_list {
  config { name: "churn" base_path: "/models/churn_v1" model_platform: "tensorflow" }
  config { name: "churn" base_path: "/models/churn_v2" model_platform: "tensorflow" }
}
```

Use instead:
```text
model_config_list {
  config { name: "churn" base_path: "/models/churn" model_platform: "tensorflow"
           model_version_policy { specific { versions: 1 versions: 2 } } }
}
```

## References
- tensorflow_serving/model_servers/server_core.cc (`ValidateModelConfigList`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    name = context.model.name
    earlier = [model for model in context.config.models[: context.position] if model.name == name]
    if earlier:
        first = f" (first listed at line {earlier[0].line})" if earlier[0].line else ""
        line, column = context.model.at("name")
        yield Problem(f"Illegal to list model {name} multiple times in config list{first}", line=line, column=column)


RULE = Rule("SIG014", "duplicate-model-name", Severity.ERROR, Scope.CONFIGURED_MODEL, check, __name__)
