"""TF Serving's own error messages for a request that does not fit a signature, in one place for
the request rules (SIG045-SIG050) and the diff rules (SIG7xx), which quote what an old client
gets from a new version: tensorflow_serving/servables/tensorflow/predict_util.cc,
tfrt_predict_util.cc, classifier.cc / regressor.cc (util.cc), http_rest_api_handler.cc, and
TensorFlow's direct_session / function.cc for a fed dtype.

A set of keys is printed as the server prints one, sorted and comma-separated, but bounded: a
signature or a request may hold a million keys, and a message lists the first LISTED_KEYS."""

from __future__ import annotations

import heapq
from collections.abc import Collection

LISTED_KEYS = 20  # keys a message lists of a set (a server's message lists them all)


def key_set(names: Collection[str]) -> str:
    """`a,b,c` sorted; past the first LISTED_KEYS, how many more. Linear in `names`."""
    first = heapq.nsmallest(LISTED_KEYS + 1, names)
    if len(first) <= LISTED_KEYS:
        return ",".join(first)
    return ",".join(first[:LISTED_KEYS]) + f",... ({len(names) - LISTED_KEYS} more)"


# --- a signature key the model does not have --------------------------------------------------


def predict_signature_not_found(key: str) -> str:
    return f'Serving signature key "{key}" not found.'


def classify_signature_not_found(key: str) -> str:  # Classify and Regress
    return f"No signature was found with the name: {key}"


def multi_inference_signature_not_found(key: str) -> str:
    return f"Requested signature not found in model graph: {key}"


def rest_signature_not_found(key: str) -> str:
    return f'Serving signature name: "{key}" not found in signature def'


def tfrt_function_not_found(key: str) -> str:
    return f'Function "{key}" not found.'


# --- Predict inputs (the key sets already printed with key_set) --------------------------------


def input_size_mismatch(sent: int, wanted: int, sent_keys: str, wanted_keys: str, extra: str, missing: str) -> str:
    """predict_util.cc VerifyRequestInputsSize."""
    return (
        f"input size does not match signature: {sent}!={wanted} len({{{sent_keys}}}) != len({{{wanted_keys}}}). "
        f"Sent extra: {{{extra}}}. Missing but required: {{{missing}}}."
    )


def input_alias_not_found(alias: str, feed: str, sent_keys: str, defaults: str) -> str:
    """saved_model::GetInputValues: a required input the request does not send."""
    return (
        f"Signature input alias: {alias}(feed name: {feed}) not found in request and no default value "
        f"provided. Inputs expected to be in the request {{{sent_keys}}}, or default input alias set: {defaults}"
    )


def invalid_input_name(used: str, sent_keys: str) -> str:
    """saved_model::GetInputValues: a request input the signature does not have."""
    return f"Inputs contains invalid name. Used request inputs: {used}, request input: {sent_keys}"


def tfrt_inputs_mismatch(model: str, extra: str, missing: str) -> str:
    """tfrt_predict_util.cc: required inputs missing (extra ones are ignored)."""
    return (
        f"Request inputs do not match required inputs for model `{model}`. "
        f"Send extra: {{{extra}}}. Missing but required: {{{missing}}}."
    )


def input_dtype_mismatch(alias: str, place: int, wanted: str, sent: str, tfrt: bool) -> str:
    """A fed tensor of another dtype than the signature's (type strings: `float`, `int32`)."""
    if tfrt:
        return f"Expected input {alias} to be {wanted} but get {sent}."
    return f"Expects arg[{place}] to be {wanted} but {sent} is provided"


def output_alias_not_found(alias: str, outputs: str) -> str:
    """predict_util.cc: an `output_filter` alias the signature does not have."""
    return f"output tensor alias not found in signature: {alias} Outputs expected to be in the set {{{outputs}}}."
