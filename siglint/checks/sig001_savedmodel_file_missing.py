"""SavedModel directory has no saved_model.pb or saved_model.pbtxt.

## What it does
Checks that a model directory (one passed on the command line, found in a tree, or a version
folder of a TF Serving base path) holds `saved_model.pb` or `saved_model.pbtxt`, as TensorFlow's
reader looks for them (`saved_model.pb` first; symlinks are followed, so a dangling symlink does
not count).

## Why is this bad?
The server cannot load the version at all. TF Serving logs
`Could not find SavedModel .pb or .pbtxt at supplied export directory path: <dir>` and the
version never becomes available.

## Example
```text
export/1/variables/...        # no saved_model.pb
```

Use instead:
```text
export/1/saved_model.pb
export/1/variables/...
```

## References
- tensorflow/cc/saved_model/reader.cc (`ReadSavedModel`)
- tensorflow/python/saved_model/loader_impl.py (`parse_saved_model`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import SAVEDMODEL_ONLY, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.load import FailureKind, LoadFailure


def check(failure: LoadFailure) -> Iterator[Problem]:
    if failure.kind is FailureKind.MISSING:
        yield Problem(failure.message)


RULE = Rule(
    "SIG001", "savedmodel-file-missing", Severity.ERROR, Scope.LOAD, check, __name__, model_kinds=SAVEDMODEL_ONLY
)
