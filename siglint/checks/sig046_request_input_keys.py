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


def _set(keys: object) -> str:
    return ",".join(sorted(keys))  # type: ignore[call-overload]


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
    if len(sent) > len(wanted) or (len(sent) < len(wanted) and not signature.defaults):
        yield problem(
            context,
            f"input size does not match signature: {len(sent)}!={len(wanted)} len({{{_set(sent)}}}) != "
            f"len({{{_set(wanted)}}}). Sent extra: {{{_set(extra)}}}. Missing but required: {{{_set(missing)}}}.",
            expected=_set(wanted), actual=_set(sent),
        )
        return
    for alias in sorted(missing - signature.defaults):
        yield problem(
            context,
            f"Signature input alias: {alias}(feed name: {signature.inputs[alias].name}) not found in request "
            f"and no default value provided. Inputs expected to be in the request {{{_set(sent)}}}, or "
            f"default input alias set: {_set(signature.defaults)}",
            tensor=alias, io="input",
        )
    if extra and not missing - signature.defaults:
        yield problem(
            context,
            f"Inputs contains invalid name. Used request inputs: {_set(sent & wanted)}, request input: {_set(sent)}",
            expected=_set(wanted), actual=_set(sent),
        )


def _tfrt(context: RequestContext, signature: SignatureView) -> Iterator[Problem]:
    sent, wanted = set(context.request.inputs), set(signature.inputs)
    missing = wanted - sent - signature.defaults
    if missing:
        yield problem(
            context,
            f"Request inputs do not match required inputs for model `{context.request.model_name}`. "
            f"Send extra: {{{_set(sent - wanted)}}}. Missing but required: {{{_set(missing)}}}.",
            expected=_set(wanted), actual=_set(sent),
        )
    for alias in sorted(sent - wanted):
        yield problem(
            context, f"input {alias!r} is not an input of the signature: TFRT ignores it",
            tensor=alias, io="input", severity=Severity.INFO,
        )


def _output_filter(context: RequestContext, signature: SignatureView) -> Iterator[Problem]:
    seen: set[str] = set()
    for alias in context.request.output_filter:
        if alias not in signature.outputs:
            yield problem(
                context,
                f"output tensor alias not found in signature: {alias} Outputs expected to be in the set "
                f"{{{_set(signature.outputs)}}}.",
                tensor=alias, io="output",
            )
        elif alias in seen:
            yield problem(context, f"duplicate output tensor alias: {alias}", tensor=alias, io="output")
        seen.add(alias)


RULE = Rule("SIG046", "request-input-keys", Severity.ERROR, Scope.REQUEST, check, __name__)
