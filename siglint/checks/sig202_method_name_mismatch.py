"""Signature shaped for Classify or Regress does not declare that method name.

## What it does
Checks signatures of a TF2 export whose keys and DT_STRING `inputs` fit the Classify contract
(`inputs` -> `classes`/`scores`) or the Regress contract (`inputs` -> `outputs`) but whose
method name is the predict one, not `tensorflow/serving/classify` / `tensorflow/serving/regress`. This is what every TF2 export
looks like: `tf.saved_model.save` writes `tensorflow/serving/predict` for every signature.

## Why is this bad?
The stock server (2.4 and later) ignores method names, so the Classify/Regress API serves it.
With `--enable_signature_method_name_check`, or on servers older than 2.4, the API answers
`Expected classification signature method_name to be tensorflow/serving/classify. Was:
tensorflow/serving/predict` (tensorflow/serving#1512, tensorflow/tensorflow#38081).

## Example
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

Use instead (rewrite the method with
`tf.compat.v1.saved_model.signature_def_utils.MethodNameUpdater`, or keep the server's check off):
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

## Options
`--method-name-check` makes this an error. Silent under `--runtime tfrt`, which never checks
method names. An unknown method name is reported by SIG201 instead.

## References
- tensorflow_serving/servables/tensorflow/classifier.cc, regressor.cc
- tensorflow/python/saved_model/save.py (method name fixed to predict)
- tensorflow/python/saved_model/method_name_updater.py
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._common import method_check_severity, method_names_unchecked
from siglint.engine.intent import Intent
from siglint.engine.rule import Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity
from siglint.savedmodel import constants

_METHOD = {Intent.CLASSIFY: constants.CLASSIFY_METHOD_NAME, Intent.REGRESS: constants.REGRESS_METHOD_NAME}
_API = {Intent.CLASSIFY: "classification", Intent.REGRESS: "regression"}


def check(context: SignatureContext) -> Iterator[Problem]:
    method = context.signature.method_name
    # An unknown method name is SIG201's; TFRT never checks method names.
    if method not in constants.SERVING_METHOD_NAMES or method_names_unchecked(context.profile):
        return
    named_only = {inference.intent for inference in context.inferred if not inference.by_shape}
    for intent in sorted(context.intents & _METHOD.keys() - named_only):
        if method != _METHOD[intent]:
            yield Problem(
                f"keys fit the {intent.value.title()} API but the method name is {method!r}; "
                f"with the method-name check on the server answers: Expected {_API[intent]} "
                f"signature method_name to be {_METHOD[intent]}. Was: {method}",
                expected=_METHOD[intent],
                actual=method,
                severity=method_check_severity(context.profile),
            )


RULE = Rule(
    "SIG202",
    "method-name-mismatch",
    Severity.WARNING,
    Scope.SIGNATURE,
    check,
    __name__,
    intents=frozenset({Intent.CLASSIFY, Intent.REGRESS}),
)
