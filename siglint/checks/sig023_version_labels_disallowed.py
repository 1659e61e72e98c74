"""models.config assigns version labels to a server that does not allow them.

## What it does
Reports the `version_labels` of each model when the server disallows labels (ServerCore's
`allow_version_labels` off, siglint's `--no-version-labels`): servers built on ServerCore may
turn them off; tensorflow_model_server allows them.

## Why is this bad?
The server refuses the config: `Model version labels are not currently allowed by the server.`

## Example
```text
config { name: "churn" ... version_labels { key: "stable" value: 2 } }   # a server without labels
```

Use instead:
```text
config { name: "churn" ... }    # clients name versions by number
```

## References
- tensorflow_serving/model_servers/server_core.cc (`UpdateModelVersionLabelMap`)
- tensorflow_serving/model_servers/server_core.h (`ServerCore::Options::allow_version_labels`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    if context.profile.version_labels or not context.model.labels:
        return
    first = context.model.labels[0]
    names = ", ".join(label.name for label in context.model.labels)
    yield Problem(
        f"Model version labels are not currently allowed by the server. (labels: {names})",
        line=first.line, column=first.column,
    )


RULE = Rule("SIG023", "version-labels-disallowed", Severity.ERROR, Scope.CONFIGURED_MODEL, check, __name__)
