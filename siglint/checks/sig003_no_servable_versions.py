"""Model base path has no numbered version folder.

## What it does
Checks that a folder which holds models, or was passed on the command line, has at least one
child folder whose name parses as an int64 (`1`, `00000123`), the layout TF Serving needs:
`<base path>/<version>/saved_model.pb`.

## Why is this bad?
Pointed at this folder, the server loads nothing and only logs a warning:
`No versions of servable <name> found under base path <path>. Did you forget to name your leaf
directory as a number (eg. '/1/')?`. The model server keeps running with no model, and every
request fails.

## Example
```text
export/my_model/saved_model.pb
```

Use instead:
```text
export/my_model/1/saved_model.pb
```

## References
- tensorflow_serving/sources/storage_path/file_system_storage_path_source.cc
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import SAVEDMODEL_ONLY, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.discover import BasePath


def check(base: BasePath) -> Iterator[Problem]:
    if base.versions:
        return
    name = base.path.rstrip("/").split("/")[-1]
    found = (
        f"; it holds SavedModel folders without a number: {', '.join(base.nested_models)}"
        if base.nested_models
        else ""
    )
    yield Problem(
        f"No versions of servable {name} found under base path {base.path}. Did you forget to "
        f"name your leaf directory as a number (eg. '/1/')?{found}",
        expected="<base>/<int64 version>/saved_model.pb",
    )


RULE = Rule(
    "SIG003", "no-servable-versions", Severity.WARNING, Scope.BASE_PATH, check, __name__, model_kinds=SAVEDMODEL_ONLY
)
