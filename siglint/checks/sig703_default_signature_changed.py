"""The default signature (`serving_default`) is gone, or now serves another contract.

## What it does
Looks at the signature under the default key (`serving_default`, or `--default-signature`) in
both versions. It reports the key gone from the new version; and a default signature that now
serves another contract: the one another signature of the old version served (a TF1 export whose
`serving_default` was its classify signature and is now its predict one), or one with no input
and no output key in common with the old one (a re-export that renamed everything).

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
Every request that names no signature, which is most of them, uses the default key. Without it
they fail with `Serving signature key "serving_default" not found.` (Predict), `No signature was
found with the name: serving_default` (Classify, Regress) or `Serving signature name:
"serving_default" not found in signature def` (REST). Pointed at another contract, they fail on
keys they never heard of, or worse, succeed with other outputs. The input, output and method
rules say what changed inside it.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_INT32", "shape": [-1]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"inputs": {"dtype": "DT_FLOAT", "shape": [-1]}}, "outputs": {"output_0": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (export the serving function under the keys clients know):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_INT32", "shape": [-1]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_INT32", "shape": [-1]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## Options
`--default-signature KEY` sets the key clients rely on.

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc, classifier.cc, regressor.cc
- tensorflow_serving/model_servers/http_rest_api_handler.cc
- keras-team/keras#19458 (a Keras 3 re-export renames `x` to `inputs` and `y` to `output_0`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import ABSENT, contract, contract_text, not_found
from siglint.engine.diff import Level, ModelPair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC


def check(pair: ModelPair) -> Iterator[Problem]:
    key = pair.profile.default_signature
    old_signatures, new_signatures = pair.old_signatures, pair.new_signatures
    old = old_signatures.get(key)
    if old is None or pair.new_meta_graph is None:
        return
    new = new_signatures.get(key)
    if new is None:
        yield Problem(
            f"{key!r} is gone, and requests that name no signature fail. "
            f"{not_found(key, old.method_name, pair.profile, pair.profile.rest)}",
            signature=key, expected=contract_text(old), actual=ABSENT,
        )
        return
    now = contract(new)
    if contract(old) == now:
        return
    was = sorted(k for k, signature in old_signatures.items() if k != key and contract(signature) == now)
    if was:
        yield Problem(
            f"{key!r} now serves what {was[0]!r} served: requests that name no signature get "
            f"another contract ({contract_text(new)})",
            signature=key, expected=contract_text(old), actual=contract_text(new),
        )
    elif not set(old.inputs) & set(new.inputs) and not set(old.outputs) & set(new.outputs):
        yield Problem(
            f"{key!r} points at another contract, with no input or output key in common: requests "
            "that name no signature send keys it no longer has and read outputs it no longer returns",
            signature=key, expected=contract_text(old), actual=contract_text(new),
        )


RULE = Rule("SIG703", "default-signature-changed", Severity.ERROR, Scope.DIFF, check, __name__)
