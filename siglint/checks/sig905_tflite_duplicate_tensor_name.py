"""TF Lite model whose inputs (or outputs) share a tensor name, or whose signature repeats an alias.

## What it does
Checks that subgraph 0's input tensors have distinct names, and its output tensors too, as TF
Serving's `GetTensorInfoMap` requires (it keys them by name; a tensor without a name is named
""). It also reports a native signature that maps one alias twice (a warning: the interpreter
keeps the last).

## Why is this bad?
TF Serving fails to load the model: `Input tensor name: x has multiple indices` (or `Output
tensor name: ...`). A repeated alias in the native table silently drops all but one of its
tensors from the signature runner.

## Example
```text
subgraph 0: inputs [0, 1] -> tensors "x" and "x"
```

Use instead:
```text
subgraph 0: inputs [0, 1] -> tensors "x" and "x_1"
```

## References
- tensorflow_serving/servables/tensorflow/tflite_session.cc (`GetTensorInfoMap`)
- tensorflow/lite/core/interpreter_builder.cc (`GetMapFromTensorMap`, `ParseTensors`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._tflite import tflite
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    from siglint.model.tflite_view import DUPLICATE_NAME

    view = tflite(context)
    for problem in view.problems:
        if problem.kind == DUPLICATE_NAME:
            yield Problem(f"{problem.message} ({problem.actual}): TF Serving fails to load the model", actual=problem.actual)
    for signature in view.native or ():
        for alias in dict.fromkeys(signature.repeated_aliases):
            yield Problem(
                f"native signature {signature.key!r} maps alias {alias!r} more than once: the signature runner "
                "keeps only its last tensor",
                alias, severity=Severity.WARNING, signature=signature.key,
            )


RULE = Rule(
    "SIG905", "tflite-duplicate-tensor-name", Severity.ERROR, Scope.MODEL, check, __name__, model_kinds=TFLITE_ONLY
)
