"""A version label in models.config points at a version the model's policy does not serve.

## What it does
Checks each `version_labels` entry against the versions the model's version policy serves from
its base path (`latest` serves only the newest by default).

## Why is this bad?
The server refuses the label, so it does not start (or refuses the reload): `Request to assign
label to version <v> of model <name>, which is not currently available for inference`. With
`--allow_version_labels_for_unavailable_models` it accepts it, but every request naming the label
then fails, since that version never loads.

## Example
```text
/models/churn/1/ /models/churn/2/
config { name: "churn" ... version_labels { key: "stable" value: 1 } }     # latest serves 2 only
```

Use instead:
```text
config { name: "churn" ...
         model_version_policy { specific { versions: 1 versions: 2 } }
         version_labels { key: "stable" value: 1 } version_labels { key: "canary" value: 2 } }
```

## References
- tensorflow_serving/model_servers/server_core.cc (`UpdateModelVersionLabelMap`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    model = context.model
    if model.storage.base is None:
        return
    served = sorted({number for number, _ in model.served})
    allowed = context.profile.allow_version_labels_for_unavailable_models
    for label in model.labels:
        if label.version in served:
            continue
        server = (
            f"Request to assign label to version {label.version} of model {model.name}, which is not "
            "currently available for inference"
        )
        serves = f"its {model.policy.kind} policy serves {', '.join(map(str, served)) or 'nothing'}"
        if allowed:
            message = (
                f"label {label.name!r} points at version {label.version}, which {serves} leaves out: the server "
                f"accepts it (--allow_version_labels_for_unavailable_models), but requests naming it fail"
            )
        else:
            message = f"label {label.name!r}: {server} ({serves})"
        yield Problem(
            message, severity=Severity.WARNING if allowed else None, expected=f"one of: {', '.join(map(str, served))}",
            actual=str(label.version), line=label.line, column=label.column,
        )


RULE = Rule("SIG021", "version-label-unavailable", Severity.ERROR, Scope.CONFIGURED_MODEL, check, __name__)
