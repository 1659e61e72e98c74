"""A signature the old version serves is gone from the new one.

## What it does
Compares the signature keys of the MetaGraphDef the server loads (`serve`) in the version serving
(OLD) and the one about to be served (NEW), and reports each key of OLD that NEW lacks. The
default key (`serving_default`) is SIG703's. TF2's `__saved_model_init_op` is not a signature
clients call and is left out.

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
Every client that names the signature fails as soon as the new version is served: Predict with
`Serving signature key "<key>" not found.`, Classify and Regress with `No signature was found
with the name: <key>`, REST with `Serving signature name: "<key>" not found in signature def`
(`Function "<key>" not found.` on TFRT). A re-export that passes only `signatures=` for one
function drops the others (tensorflow/tensorflow#28812).

## Example
```json
{"old": {"signatures": {
   "serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}},
   "embed": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"e": {"dtype": "DT_FLOAT", "shape": [-1, 8]}}}}},
 "new": {"signatures": {
   "serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (export every signature clients call: `tf.saved_model.save(m, d, signatures={...})`):
```json
{"old": {"signatures": {
   "serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}},
   "embed": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"e": {"dtype": "DT_FLOAT", "shape": [-1, 8]}}}}},
 "new": {"signatures": {
   "serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}},
   "embed": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"e": {"dtype": "DT_FLOAT", "shape": [-1, 8]}}}}}}
```

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (`RunPredict`), classifier.cc, regressor.cc
- tensorflow_serving/model_servers/http_rest_api_handler.cc
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import ABSENT, not_found
from siglint.engine.diff import Level, ModelPair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC


def check(pair: ModelPair) -> Iterator[Problem]:
    if pair.new_meta_graph is None:
        return  # SIG702: nothing of the new version is served
    new = pair.new_signatures
    for key, signature in pair.old_signatures.items():
        if key == pair.profile.default_signature or key in new:
            continue
        yield Problem(
            f"signature {key!r} is gone, and requests naming it fail. "
            f"{not_found(key, signature.method_name, pair.profile, pair.profile.rest)}",
            signature=key, expected=key, actual=ABSENT,
        )


RULE = Rule("SIG701", "signature-removed", Severity.ERROR, Scope.DIFF, check, __name__)
