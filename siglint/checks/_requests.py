"""What TF Serving does with a request, shared by the request rules (SIG044-SIG053): which
records a warmup replays, the signature each API looks up and the message it fails with, and
the contract an API holds a signature to (the core rules' checks, reused).

The sources: tensorflow_serving/servables/tensorflow/{saved_model_warmup,tfrt_saved_model_warmup,
predict_util,tfrt_predict_util,classifier,regressor,multi_inference,tfrt_multi_inference}.cc.
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import RequestContext
from siglint.engine.intent import Intent
from siglint.engine.profile import TFRT, Profile
from siglint.engine.rule import SignatureContext
from siglint.findings import Problem, Severity
from siglint.model.requests import Api, RequestView
from siglint.model.view import SignatureView
from siglint.savedmodel import constants
from siglint.serving import messages

# The APIs each runtime's warmup runs (saved_model_warmup.cc RunWarmupRequest: the TF runtime
# skips any other record silently; tfrt_saved_model_warmup.cc fails on them).
_TF_WARMUP_APIS = frozenset({Api.PREDICT, Api.CLASSIFY, Api.REGRESS, Api.MULTI_INFERENCE})
_INTENTS = {Api.CLASSIFY: Intent.CLASSIFY, Api.REGRESS: Intent.REGRESS}
# classifier.cc / regressor.cc Get*SignatureDef: what the method-name check calls the API.
_METHODS = {
    Intent.CLASSIFY: ("classification", constants.CLASSIFY_METHOD_NAME),
    Intent.REGRESS: ("regression", constants.REGRESS_METHOD_NAME),
}
# The core rules that hold a signature to the Classify / Regress contract.
_CONTRACT_RULES = {
    Intent.CLASSIFY: ("SIG301", "SIG302", "SIG303", "SIG304", "SIG305", "SIG306", "SIG307", "SIG308", "SIG309"),
    Intent.REGRESS: ("SIG401", "SIG402", "SIG403", "SIG404"),
}


def runs(context: RequestContext) -> bool:
    """Whether the server runs this request's signature at all (not a record warmup skips or
    rejects by its type, nor a REST body its JSON layer rejected)."""
    request = context.request
    if context.rejected is not None:
        return False
    if not context.warmup or request.api in _TF_WARMUP_APIS:
        return True
    return context.profile.runtime == TFRT and request.api is Api.PREDICT_STREAMED and request.streamed_requests == 1


def predict_like(request: RequestView) -> bool:
    return request.api in (Api.PREDICT, Api.PREDICT_STREAMED)


def problem(context: RequestContext, message: str, **details: object) -> Problem:
    """A Problem whose message says which request it is about (a warmup record; a request file
    is the finding's path already)."""
    return Problem(f"{context.origin}: {message}" if context.origin else message, **details)  # type: ignore[arg-type]


def lookups(context: RequestContext) -> Iterator[tuple[Api, str]]:
    """Each (API, signature key) the request makes the server look up, in order."""
    request = context.request
    if request.api is Api.MULTI_INFERENCE:
        for task in request.tasks:
            yield Api.MULTI_INFERENCE, task.signature_name or context.profile.default_signature
    else:
        yield request.api, context.signature_key


def not_found_message(context: RequestContext, api: Api, key: str) -> str:
    """The server's error for a signature key its model does not have."""
    if context.rest and api in (Api.PREDICT, Api.PREDICT_STREAMED):
        # http_rest_api_handler.cc looks the inputs up before anything else.
        return messages.rest_signature_not_found(key)
    if context.profile.runtime == TFRT:
        return messages.tfrt_function_not_found(key)
    if api is Api.MULTI_INFERENCE:
        return messages.multi_inference_signature_not_found(key)
    if api in (Api.CLASSIFY, Api.REGRESS):
        return messages.classify_signature_not_found(key)
    return messages.predict_signature_not_found(key)


def contract_problems(api: Api, signature: SignatureView, profile: Profile) -> Iterator[str]:
    """Why the API fails on `signature` before it runs it: the method-name check (when the
    server runs it) and the Classify / Regress contract's errors, in the server's words."""
    from siglint import checks
    from siglint.checks._common import method_names_unchecked

    check_methods = profile.method_name_check and not method_names_unchecked(profile)
    if api in (Api.PREDICT, Api.PREDICT_STREAMED):
        if check_methods and signature.method_name not in constants.SERVING_METHOD_NAMES:
            yield (
                "Expected prediction signature method_name to be one of {"
                f"{', '.join(constants.SERVING_METHOD_NAMES)}}}. Was: {signature.method_name}"
            )
        return
    intent = _INTENTS.get(api)
    if intent is None:
        return
    kind, method = _METHODS[intent]
    if check_methods and signature.method_name != method:
        yield f"Expected {kind} signature method_name to be {method}. Was: {signature.method_name}"
    subject = SignatureContext(signature, frozenset({intent}), profile)
    for code in _CONTRACT_RULES[intent]:
        rule = checks.load(code)
        for found in rule.check(subject):
            if (found.severity or rule.severity) is Severity.ERROR:
                yield f"{found.message} ({code})"


def multi_inference_intent(method_name: str) -> Api | None:
    """The API a MultiInference task's method name runs (multi_inference_helper.cc), if any."""
    if method_name == constants.CLASSIFY_METHOD_NAME:
        return Api.CLASSIFY
    if method_name == constants.REGRESS_METHOD_NAME:
        return Api.REGRESS
    return None
