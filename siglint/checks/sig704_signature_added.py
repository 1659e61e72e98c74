"""The new version serves a signature the old one did not.

## What it does
Reports each signature key of the served MetaGraphDef that the new version has and the old one
did not (TF2's `__saved_model_init_op` left out).

Level: `strict`.

## Why is this bad?
No client breaks: nobody calls a signature that did not exist. But `strict` is for contracts
that must not change at all (a model registry's frozen interface, a pinned GetModelMetadata
response), and a new signature changes what GetModelMetadata reports.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}},
   "debug": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"h": {"dtype": "DT_FLOAT", "shape": [-1, 64]}}}}}}
```

Use instead (serve the same signatures, or diff at `--level grpc` where adding one is fine):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow_serving/servables/tensorflow/get_model_metadata_impl.cc
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import ABSENT, contract_text
from siglint.engine.diff import Level, ModelPair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.STRICT


def check(pair: ModelPair) -> Iterator[Problem]:
    if pair.old_meta_graph is None:
        return
    old = pair.old_signatures
    for key, signature in pair.new_signatures.items():
        if key not in old:
            yield Problem(
                f"signature {key!r} is new ({contract_text(signature)})",
                signature=key, expected=ABSENT, actual=key,
            )


RULE = Rule("SIG704", "signature-added", Severity.ERROR, Scope.DIFF, check, __name__)
