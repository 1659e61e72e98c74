"""Predict inputs that clients must send: optional ones REST ignores, training-only ones.

## What it does
Lists, for a Predict signature, which inputs are required and which are optional because the
signature has a default for them (`SignatureDef.defaults`, written by TF2 for arguments with
Python defaults). Also points at required inputs that look like training-time leftovers: a
scalar DT_BOOL input (a training flag), or a key such as `label`, `labels`, `label_ids`, `keep_prob`, `dropout`,
`is_training`, `training` or `phase`.

## Why is this bad?
gRPC Predict rejects a request that misses a required input: `input size does not match
signature: 1!=2 ... Missing but required: {...}.` (tensorflow/serving#719: an auxiliary `phase`
input; BERT exports with `label_ids`, google-research/bert#473). REST ignores `defaults`
entirely: every input must be sent (`Missing named input: <name> in 'inputs' object.`).

## Example
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"input_ids": {"dtype": "DT_INT32", "shape": [-1, 128]}, "label_ids": {"dtype": "DT_INT32", "shape": [-1]}},
 "outputs": {"probabilities": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}
```

Use instead (export a serving function without training inputs):
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"input_ids": {"dtype": "DT_INT32", "shape": [-1, 128]}},
 "outputs": {"probabilities": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}
```

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (`VerifyRequestInputsSize`)
- tensorflow/cc/saved_model/util.cc (`GetInputValues`)
- tensorflow_serving/util/json_tensor.cc (REST ignores `defaults`)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from siglint.engine.intent import Intent
from siglint.engine.rule import Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity
from siglint.savedmodel.dtypes import DT_BOOL, base_dtype

_TRAINING_KEY = re.compile(
    r"^(labels?|label_ids|keep_prob|dropout(_rate)?|is_training|training|phase)$", re.IGNORECASE
)


def check(context: SignatureContext) -> Iterator[Problem]:
    signature = context.signature
    required = [key for key in signature.inputs if key not in signature.defaults]
    optional = [key for key in signature.inputs if key in signature.defaults]
    if optional:
        rest = " REST ignores defaults: REST clients must send every input." if context.profile.rest else ""
        must = f"must send {{{', '.join(required)}}}" if required else "need send no input"
        yield Problem(
            f"gRPC clients {must}; {{{', '.join(optional)}}} have defaults and may be left "
            f"out.{rest}",
            expected=", ".join(required) or None,
        )
    for key in required:
        tensor = signature.inputs[key]
        if (base_dtype(tensor.dtype) == DT_BOOL and tensor.rank == 0) or _TRAINING_KEY.match(key):
            yield Problem(
                f"input {key!r} ({tensor.dtype_name} {tensor.shape_text}) looks like a "
                "training-time input but has no default: every request must send it, or fails "
                "with: input size does not match signature ... Missing but required: "
                f"{{{key}}}.",
                tensor=key,
                io="input",
            )


RULE = Rule(
    "SIG508", "predict-required-inputs", Severity.INFO, Scope.SIGNATURE, check, __name__,
    intents=frozenset({Intent.PREDICT}),
)
