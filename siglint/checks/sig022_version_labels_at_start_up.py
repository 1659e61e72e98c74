"""models.config assigns version labels, which a server refuses at start-up unless allowed.

## What it does
Reports each `version_labels` entry (pointing at a version the model serves) when the server is
not run with `--allow_version_labels_for_unavailable_models` (siglint's
`--allow-version-labels-for-unavailable-models`).

## Why is this bad?
The server assigns labels before it loads any version, and only lets a label point at a version
that is available: at start-up none is, so it does not start: `Failed to start server. Error:
FAILED_PRECONDITION: Request to assign label to version <v> of model <name>, which is not
currently available for inference`. Labels work at start-up with that flag, or when a config
polled later (`--model_config_file_poll_wait_seconds`) adds them once the versions are loaded.

## Example
```text
tensorflow_model_server --model_config_file=/config/models.config
config { name: "churn" ... version_labels { key: "stable" value: 2 } }
```

Use instead:
```text
tensorflow_model_server --model_config_file=/config/models.config --allow_version_labels_for_unavailable_models
```

## References
- tensorflow_serving/model_servers/server_core.cc (`ServerCore::ReloadConfig`, `UpdateModelVersionLabelMap`)
- tensorflow_serving/model_servers/main.cc (`--allow_version_labels_for_unavailable_models`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    if context.profile.allow_version_labels_for_unavailable_models:
        return
    model = context.model
    served = {number for number, _ in model.served}
    for label in model.labels:
        if model.storage.base is not None and label.version not in served:
            continue  # SIG021
        yield Problem(
            f"label {label.name!r}: Request to assign label to version {label.version} of model {model.name}, "
            "which is not currently available for inference (at start-up the server assigns labels before "
            "it loads any version: run it with --allow_version_labels_for_unavailable_models)",
            expected="--allow_version_labels_for_unavailable_models", line=label.line, column=label.column,
        )


RULE = Rule("SIG022", "version-labels-at-start-up", Severity.ERROR, Scope.CONFIGURED_MODEL, check, __name__)
