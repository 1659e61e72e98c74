"""A Predict request's input keys (or output filter) do not match its signature's.

## What it does
Compares a Predict request's input aliases with its signature's, as the server does before it
runs anything. The TF runtime rejects a request with more inputs than the signature, or fewer
when the signature has no `defaults` (`input size does not match signature: ...`), a missing
input without a default (`Signature input alias: <alias>(feed name: ...) not found in request and
no default value provided...`) and an alias the signature does not have (`Inputs contains invalid
name...`); TFRT rejects a missing input (`Request inputs do not match required inputs for model
...`) and ignores extra ones. Each name of `output_filter` must be an output key, once.

## Why is this bad?
The request fails with INVALID_ARGUMENT; as a warmup record, it fails the model's load. This is
the most common Predict failure (tensorflow/serving#435, #658, #719): a client that sends
`inputs` to a model exported with an input keyed `x`, or leaves out an auxiliary input.

## Example
```text
signature serving_default: inputs {x, training}     request inputs {x}
```

Use instead:
```text
request inputs {x, training}    # or give `training` a default in the export (TF2: a default argument)
```

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (`VerifyRequestInputsSize`, `PreProcessPrediction`)
- tensorflow/cc/saved_model/util.cc (`GetInputValues`)
- tensorflow_serving/servables/tensorflow/tfrt_predict_util.cc (`PreProcessPredictionWithoutOutputFilter`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._requests import predict_like, problem, runs
from siglint.engine.deployment import RequestContext
from siglint.engine.profile import TFRT
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.view import SignatureView
from siglint.serving import messages
from siglint.serving.messages import key_set


def check(context: RequestContext) -> Iterator[Problem]:
    signature = context.signature(context.signature_key)
    if not runs(context) or not predict_like(context.request) or signature is None:
        return
    if context.profile.runtime == TFRT:
        yield from _tfrt(context, signature)
    else:
        yield from _tf(context, signature)
    yield from _output_filter(context, signature)


def _tf(context: RequestContext, signature: SignatureView) -> Iterator[Problem]:
    sent, wanted = set(context.request.inputs), set(signature.inputs)
    extra, missing = sent - wanted, wanted - sent
    sent_keys, wanted_keys = key_set(sent), key_set(wanted)  # once: a request may send a million
    if len(sent) > len(wanted) or (len(sent) < len(wanted) and not signature.defaults):
        yield problem(
            context,
            messages.input_size_mismatch(len(sent), len(wanted), sent_keys, wanted_keys, key_set(extra), key_set(missing)),
            expected=wanted_keys, actual=sent_keys,
        )
        return
    defaults = key_set(signature.defaults)
    for alias in sorted(missing - signature.defaults):
        yield problem(
            context, messages.input_alias_not_found(alias, signature.inputs[alias].name, sent_keys, defaults),
            tensor=alias, io="input",
        )
    if extra and not missing - signature.defaults:
        yield problem(
            context, messages.invalid_input_name(key_set(sent & wanted), sent_keys),
            expected=wanted_keys, actual=sent_keys,
        )


def _tfrt(context: RequestContext, signature: SignatureView) -> Iterator[Problem]:
    sent, wanted = set(context.request.inputs), set(signature.inputs)
    missing = wanted - sent - signature.defaults
    if missing:
        yield problem(
            context,
            messages.tfrt_inputs_mismatch(context.request.model_name, key_set(sent - wanted), key_set(missing)),
            expected=key_set(wanted), actual=key_set(sent),
        )
    for alias in sorted(sent - wanted):
        yield problem(
            context, f"input {alias!r} is not an input of the signature: TFRT ignores it",
            tensor=alias, io="input", severity=Severity.INFO,
        )


def _output_filter(context: RequestContext, signature: SignatureView) -> Iterator[Problem]:
    seen: set[str] = set()
    outputs = ""
    for alias in context.request.output_filter:
        if alias not in signature.outputs:
            outputs = outputs or key_set(signature.outputs)
            yield problem(context, messages.output_alias_not_found(alias, outputs), tensor=alias, io="output")
        elif alias in seen:
            yield problem(context, f"duplicate output tensor alias: {alias}", tensor=alias, io="output")
        seen.add(alias)


RULE = Rule("SIG046", "request-input-keys", Severity.ERROR, Scope.REQUEST, check, __name__)
