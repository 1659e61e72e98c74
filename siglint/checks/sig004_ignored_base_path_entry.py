"""Entry in a model base path that the server ignores.

## What it does
Lists each child of a TF Serving model base path whose name does not parse as an int64 version
number (`latest`, `v2`, `README.md`, `1.bak`) when the base path has numbered versions.

## Why is this bad?
It is not an error: TF Serving skips such entries silently. But a model copied to `latest/` or
`v2/` is never served, which is rarely what was meant.

## Example
```text
export/my_model/1/saved_model.pb
export/my_model/v2/saved_model.pb     # never loaded
```

Use instead:
```text
export/my_model/1/saved_model.pb
export/my_model/2/saved_model.pb
```

## References
- tensorflow_serving/sources/storage_path/file_system_storage_path_source.cc (`ParseVersionNumber`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import SAVEDMODEL_ONLY, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.discover import BasePath


def check(base: BasePath) -> Iterator[Problem]:
    if not base.versions:
        return
    for name in base.ignored:
        yield Problem(f"{base.path}/{name} is not an int64 version folder; TF Serving ignores it")


RULE = Rule(
    "SIG004", "ignored-base-path-entry", Severity.INFO, Scope.BASE_PATH, check, __name__, model_kinds=SAVEDMODEL_ONLY
)
