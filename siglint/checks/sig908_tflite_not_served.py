"""A version folder's `model.tflite` that the server, as configured, does not load.

## What it does
TF Serving loads a version's `model.tflite` only when it runs with `--prefer_tflite_model`
(`saved_model_bundle_factory.cc`); otherwise it reads the SavedModel. This rule reports a
version folder whose only model is a `model.tflite` when the profile's server does not prefer
TF Lite models (an error: the version fails to load), and a `model.tflite` checked by name
beside a SavedModel the server loads instead (a warning).

## Why is this bad?
Without the flag the server looks for `saved_model.pb` and the version never becomes available:
`Could not find SavedModel .pb or .pbtxt at supplied export directory path: <dir>`. Beside a
SavedModel, the TF Lite model is never served, whatever its signatures.

## Example
```text
models/churn/1/model.tflite     # tensorflow_model_server --model_base_path=/models/churn
```

Use instead:
```text
tensorflow_model_server --prefer_tflite_model=true ...   # and siglint --prefer-tflite-model
```

## Options
`--prefer-tflite-model` (`prefer-tflite-model = true` under `[profile]`) describes a server run
with `--prefer_tflite_model`.

## References
- tensorflow_serving/servables/tensorflow/saved_model_bundle_factory.cc (`TfLiteModelFound`, `kTfLiteModelFilename`)
- tensorflow_serving/model_servers/main.cc (`--prefer_tflite_model`)
- tensorflow/cc/saved_model/reader.cc (`ReadSavedModel`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import tflite
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    from siglint.model.tflite_view import VERSION_FOLDER

    view = tflite(context)
    if view.layout != VERSION_FOLDER or context.profile.prefer_tflite_model:
        return
    path = context.model.path
    if view.saved_model_beside:
        yield Problem(
            "the server loads the SavedModel beside model.tflite, not model.tflite, unless it runs with "
            "--prefer_tflite_model (--prefer-tflite-model)",
            severity=Severity.WARNING, expected="--prefer_tflite_model", actual="not set",
        )
        return
    yield Problem(
        "the folder's only model is model.tflite, which TF Serving loads only with --prefer_tflite_model "
        f"(--prefer-tflite-model): without it the version fails with `Could not find SavedModel .pb or .pbtxt "
        f"at supplied export directory path: {path}`",
        expected="--prefer_tflite_model", actual="not set",
    )


RULE = Rule("SIG908", "tflite-not-served", Severity.ERROR, Scope.MODEL, check, __name__, model_kinds=TFLITE_ONLY)
