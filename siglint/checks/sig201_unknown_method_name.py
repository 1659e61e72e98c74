"""Signature method name is not one of TF Serving's three.

## What it does
Checks that `method_name` is `tensorflow/serving/predict`, `tensorflow/serving/classify` or
`tensorflow/serving/regress`.

## Why is this bad?
With `--enable_signature_method_name_check` (and in servers older than 2.4), Predict rejects the
signature with `Expected prediction signature method_name to be one of
{tensorflow/serving/predict, tensorflow/serving/classify, tensorflow/serving/regress}. Was: <m>`
and Classify/Regress reject it too. TensorFlow's `is_valid_signature` rejects it. The stock
server ignores method names, so this is a warning by default and an error when the check is on.
An empty method name usually comes from a hand-built `build_signature_def(...)` without
`method_name` (tensorflow/serving#1105).

## Example
```json
{"method_name": "", "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/predict", "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

## Options
`--method-name-check` makes this an error (the server runs with
`--enable_signature_method_name_check`). Silent under `--runtime tfrt`, which never checks
method names.

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (`VerifySignature`)
- tensorflow_serving/servables/tensorflow/util.cc (`GetSignatureMethodNameCheckFeature`)
- tensorflow/python/saved_model/signature_constants.py
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._common import method_check_severity, method_names_unchecked
from siglint.engine.rule import Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity
from siglint.savedmodel import constants


def check(context: SignatureContext) -> Iterator[Problem]:
    method = context.signature.method_name
    if method in constants.SERVING_METHOD_NAMES or method_names_unchecked(context.profile):
        return
    yield Problem(
        f"method name {method!r} is not one of {', '.join(constants.SERVING_METHOD_NAMES)}; "
        "with the method-name check on the server answers: Expected prediction signature "
        f"method_name to be one of {{{', '.join(constants.SERVING_METHOD_NAMES)}}}. Was: {method}",
        expected="one of " + ", ".join(constants.SERVING_METHOD_NAMES),
        actual=method,
        severity=method_check_severity(context.profile),
    )


RULE = Rule("SIG201", "unknown-method-name", Severity.WARNING, Scope.SIGNATURE, check, __name__)
