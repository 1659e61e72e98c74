"""Two version folders of a base path parse to the same version number.

## What it does
Checks that no two children of a model base path parse to one int64 version (`1` and `01`).

## Why is this bad?
TF Serving loads only one of them and logs `Duplicate version directories detected. Version <v>
will be loaded from <dir>, <dir2> will be ignored.` Which one wins depends on the order the file
system lists them in.

## Example
```text
export/my_model/1/saved_model.pb
export/my_model/001/saved_model.pb
```

Use instead:
```text
export/my_model/1/saved_model.pb
export/my_model/2/saved_model.pb
```

## References
- tensorflow_serving/sources/storage_path/file_system_storage_path_source.cc
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from siglint.engine.rule import SAVEDMODEL_ONLY, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.discover import BasePath


def check(base: BasePath) -> Iterator[Problem]:
    folders: dict[int, list[str]] = defaultdict(list)
    for number, name in base.versions:
        folders[number].append(name)
    for number, names in sorted(folders.items()):
        if len(names) > 1:
            loaded, ignored = names[-1], names[:-1]
            yield Problem(
                f"Duplicate version directories detected. Version {number} will be loaded from "
                f"{base.path}/{loaded}, {', '.join(f'{base.path}/{n}' for n in ignored)} will be "
                "ignored (the server keeps the last in its sorted listing)",
                actual=", ".join(names),
            )


RULE = Rule(
    "SIG005", "duplicate-model-version", Severity.WARNING, Scope.BASE_PATH, check, __name__, model_kinds=SAVEDMODEL_ONLY
)
