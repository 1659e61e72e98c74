"""A signature's method name changed, which Classify, Regress or Predict may check.

## What it does
Compares the `method_name` of each signature both versions serve. A change that an API of the
server checks is reported at `grpc`: a Classify or Regress signature that no longer declares its
method (a TF1 `Builder` classify signature re-exported by `tf.saved_model.save`, which always
writes `tensorflow/serving/predict`), or a method name that Predict refuses (empty, or none of
the three: tensorflow/serving#369). Any other change (predict to classify) is reported at
`strict` only.

Level: `grpc` (and so `rest` and `strict`); other changes at `strict`, where every finding is an
error.

## Why is this bad?
With `--enable_signature_method_name_check`, Classify requests fail with `Expected
classification signature method_name to be tensorflow/serving/classify. Was: <new>` (Regress:
`Expected regression signature ...`), and Predict with `Expected prediction signature
method_name to be one of {tensorflow/serving/predict, tensorflow/serving/classify,
tensorflow/serving/regress}. Was: <new>`. The check is off by default since TF Serving 2.4 and
TFRT never checks, so the finding is a warning, and an error with `--method-name-check`.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/classify",
   "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}}, "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}}, "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}}}}
```

Use instead (set the method name back after a TF2 export:
`tf.compat.v1.saved_model.signature_def_utils.MethodNameUpdater`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/classify",
   "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}}, "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/classify",
   "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}}, "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}}}}
```

## Options
`--method-name-check` (the server runs with `--enable_signature_method_name_check`) makes the
findings errors; with `--runtime tfrt`, which never checks method names, they stay warnings. At
`--level strict` every finding is an error.

## References
- tensorflow_serving/servables/tensorflow/classifier.cc, regressor.cc, predict_util.cc (`VerifySignature`)
- tensorflow_serving/servables/tensorflow/util.h (`GetSignatureMethodNameCheckFeature`)
- tensorflow/tensorflow#38081, tensorflow/serving#1512
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._common import method_names_unchecked
from siglint.checks._diff import sentences
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.savedmodel import constants

LEVEL = Level.GRPC
_CHECKED_BY = {
    constants.CLASSIFY_METHOD_NAME: ("Classify", "classification"),
    constants.REGRESS_METHOD_NAME: ("Regress", "regression"),
}


def _failures(old: str, new: str) -> list[str]:
    """What each API whose method check the change fails would say."""
    failures = []
    if old in _CHECKED_BY:
        api, kind = _CHECKED_BY[old]
        failures.append(f"{api} requests fail with Expected {kind} signature method_name to be {old}. Was: {new}")
    if old in constants.SERVING_METHOD_NAMES and new not in constants.SERVING_METHOD_NAMES:
        failures.append(
            "Predict requests fail with Expected prediction signature method_name to be one of "
            f"{{{', '.join(constants.SERVING_METHOD_NAMES)}}}. Was: {new}"
        )
    return failures


def check(pair: SignaturePair) -> Iterator[Problem]:
    old, new = pair.old.method_name, pair.new.method_name
    if old == new:
        return
    failures = _failures(old, new)
    strict = pair.level.holds(Level.STRICT)  # every change fails a strict diff
    changed = f"method name changed from {old or '(none)'!r} to {new or '(none)'!r}"
    if not failures:
        if strict:
            yield Problem(
                f"{changed}: no API of the server checks this change", expected=old, actual=new, severity=Severity.ERROR
            )
        return
    checked = pair.profile.method_name_check and not method_names_unchecked(pair.profile)
    if method_names_unchecked(pair.profile):
        when = "TFRT never checks method names, but a TF runtime server started with --enable_signature_method_name_check does:"
    elif checked:
        when = "The server checks method names:"
    else:
        when = "Once the server checks method names (--enable_signature_method_name_check, off by default):"
    yield Problem(
        f"{changed}. {sentences(when, *failures)}", expected=old, actual=new,
        severity=Severity.ERROR if strict or checked else None,
    )


RULE = Rule("SIG711", "method-name-changed", Severity.WARNING, Scope.DIFF_SIGNATURE, check, __name__)
