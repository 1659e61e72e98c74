"""A `specific` version policy in models.config names a version its base path does not hold.

## What it does
Compares the versions a model's `specific` policy lists with the numbered children of its base
path, when the policy serves at least one of them (else SIG019 reports the model).

## Why is this bad?
The server only logs `Version <v> of servable <name>, which was requested to be served as a
'specific' version in the servable's version policy, was not found in the file system`: the
model serves without that version, every request for it fails with `Servable not found for
request: Specific(<name>, <v>)`, and a label pointing at it cannot be assigned. A canary or a
rollback that is silently not there.

## Example
```text
/models/churn/1/   config { name: "churn" ... model_version_policy { specific { versions: 1 versions: 2 } } }
```

Use instead:
```text
/models/churn/1/  /models/churn/2/   (or list only the versions that exist)
```

## References
- tensorflow_serving/sources/storage_path/file_system_storage_path_source.cc (`AspireSpecificVersions`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import ConfiguredModelContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.server_config import SPECIFIC


def check(context: ConfiguredModelContext) -> Iterator[Problem]:
    model = context.model
    if model.policy.kind != SPECIFIC or model.storage.base is None or not model.served:
        return
    on_disk = {number for number, _ in model.storage.base.versions}
    line, column = model.at("model_version_policy")
    for version in dict.fromkeys(model.policy.versions):
        if version not in on_disk:
            yield Problem(
                f"Version {version} of servable {model.name}, which was requested to be served as a 'specific' "
                "version in the servable's version policy, was not found in the file system",
                actual=f"versions on disk: {', '.join(map(str, sorted(on_disk)))}", line=line, column=column,
            )


RULE = Rule("SIG020", "specific-version-missing", Severity.WARNING, Scope.CONFIGURED_MODEL, check, __name__)
