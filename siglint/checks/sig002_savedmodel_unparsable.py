"""saved_model.pb or saved_model.pbtxt cannot be read or parsed as a SavedModel.

## What it does
Reads the model file the way TensorFlow does (binary protobuf for `.pb`, strict text format for
`.pbtxt`) and reports a file that cannot be read (permissions, a folder named `saved_model.pb`),
is empty, truncated or corrupt, is not a SavedModel at all, is a Git LFS pointer instead of the
model, or is over protobuf's 2 GiB limit. Any other file named on the command line is read as a TF
Serving GetModelMetadata response; one that is not is reported here too.

## Why is this bad?
The server fails to load the version with `Cannot parse file <path>: ...` (TensorFlow's wording)
or a protobuf parse error, and the version never becomes available.

## Example
```text
export/1/saved_model.pb       # 0 bytes, or cut short by an interrupted copy
```

Use instead:
```text
export/1/saved_model.pb       # written whole by tf.saved_model.save / Builder.save
```

## References
- tensorflow/python/saved_model/loader_impl.py (`parse_saved_model`)
- tensorflow/cc/saved_model/reader.cc (`ReadBinaryProto` / `ReadTextProto`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.load import FailureKind, LoadFailure


def check(failure: LoadFailure) -> Iterator[Problem]:
    if failure.kind is FailureKind.UNPARSABLE:
        yield Problem(failure.message)


RULE = Rule("SIG002", "savedmodel-unparsable", Severity.ERROR, Scope.LOAD, check, __name__)
