"""`siglint request`'s formats: an example request for a signature as a REST body (row format,
`instances`, or columnar, `inputs`; `examples` for Classify and Regress), a gRPC request in
protobuf text format, or a curl command posting the REST body.

The REST bodies follow tensorflow_serving/util/json_tensor.cc: every value a zero of the input's
dtype, `{"b64": ""}` for a DT_STRING input whose key ends in `_bytes`, floats written with a
decimal point (the JSON layer reads `0` as an integer).
"""

from __future__ import annotations

import base64
from typing import Any

from siglint.model.examples import ExampleRequest, Feature, Zero, serialized_example
from siglint.savedmodel import dtypes
from siglint.serving.constants import BASE64_KEY, BYTES_SUFFIX

FORMATS = ("rest-row", "rest-columnar", "grpc-text", "curl")
_DT = dtypes.DTYPE_NUMBERS
# The dtypes json_tensor.cc converts (AddValueToTensor), and the zero each is written as.
_JSON_ZEROS: dict[int, Any] = {
    _DT[name]: zero
    for names, zero in (
        (("DT_FLOAT", "DT_DOUBLE"), 0.0), (("DT_STRING",), ""), (("DT_BOOL",), False),
        (("DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8", "DT_INT64", "DT_UINT32", "DT_UINT64"), 0),
    )
    for name in names
}
# TensorProto's value field for each dtype (tensor.proto); one value reads as every element.
_VALUE_FIELDS = {
    _DT[name]: field
    for field, names in (
        ("float_val", ("DT_FLOAT",)), ("double_val", ("DT_DOUBLE",)), ("string_val", ("DT_STRING",)),
        ("int64_val", ("DT_INT64",)), ("bool_val", ("DT_BOOL",)), ("half_val", ("DT_HALF", "DT_BFLOAT16")),
        ("uint32_val", ("DT_UINT32",)), ("uint64_val", ("DT_UINT64",)),
        ("int_val", ("DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8", "DT_QINT8", "DT_QUINT8", "DT_QINT32",
                     "DT_QINT16", "DT_QUINT16", "DT_UINT16")),
    )
    for name in names
}
# A feature's zero in a JSON example by its dtype (a float feature else).
_FEATURE_ZEROS: dict[int, Any] = {_DT["DT_STRING"]: "", _DT["DT_INT64"]: 0}


class RequestFormatError(ValueError):
    """A request the chosen format cannot express (REST and a dtype JSON cannot carry)."""


def rest_unsupported(request: ExampleRequest) -> list[str]:
    """The inputs REST cannot send, as the server's JSON layer would refuse them."""
    found = [
        f"input {zero.alias!r} is {dtypes.dtype_name(zero.dtype)}: Conversion of JSON Value: 0.0 to type: "
        f"{dtypes.type_string(zero.dtype)}"
        for zero in request.inputs
        if zero.dtype not in _JSON_ZEROS
    ]
    found += [
        f"input {zero.alias!r} holds bytes that are not text, and its key does not end in {BYTES_SUFFIX}"
        for zero in request.inputs
        if not zero.string.isascii() and not zero.alias.endswith(BYTES_SUFFIX)
    ]
    return found


def _zeros(zero: Zero, shape: tuple[int, ...]) -> Any:
    value: Any = _JSON_ZEROS[zero.dtype]
    if zero.dtype == dtypes.DT_STRING:
        value = zero.string.decode("ascii") if zero.string.isascii() else ""
        if zero.alias.endswith(BYTES_SUFFIX):
            value = {BASE64_KEY: base64.b64encode(zero.string).decode("ascii")}
    for size in reversed(shape):
        value = [value] * size
    return value


def _feature_value(feature: Feature) -> Any:
    zero = _FEATURE_ZEROS.get(feature.dtype, 0.0)
    return zero if feature.values == 1 else [zero] * feature.values


def rest_body(request: ExampleRequest, columnar: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"signature_name": request.signature}
    if request.api != "predict":
        body["examples"] = [{feature.key: _feature_value(feature) for feature in request.features}]
        return body
    unsupported = rest_unsupported(request)
    if unsupported:
        raise RequestFormatError(f"REST cannot send this signature's inputs ({'; '.join(unsupported)}): use --format grpc-text")
    if not request.inputs:
        raise RequestFormatError(
            f"Failed to get input map for signature: {request.signature}: REST cannot call a signature "
            "without inputs; use --format grpc-text"
        )
    if columnar:
        values = {zero.alias: _zeros(zero, zero.shape) for zero in request.inputs}
        body["inputs"] = next(iter(values.values())) if len(values) == 1 else values
    else:
        rows = {zero.alias: _zeros(zero, zero.shape[1:]) for zero in request.inputs}
        body["instances"] = [next(iter(rows.values())) if len(rows) == 1 else rows]
    return body


def render(request: ExampleRequest, fmt: str, model_name: str, host: str = "localhost:8501") -> str:
    import json

    if fmt == "grpc-text":
        return grpc_text(request, model_name)
    body = rest_body(request, columnar=fmt == "rest-columnar")
    if fmt != "curl":  # one line per key: the values of a large tensor stay on theirs
        return "{\n" + ",\n".join(f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in body.items()) + "\n}\n"
    text = json.dumps(body)
    verb = "predict" if request.api == "predict" else request.api
    quoted = "'" + text.replace("'", "'\\''") + "'"
    return f"curl -X POST http://{host}/v1/models/{model_name}:{verb} -H 'Content-Type: application/json' -d {quoted}\n"


def grpc_text(request: ExampleRequest, model_name: str) -> str:
    """The PredictRequest (or ClassificationRequest, RegressionRequest) in protobuf text format."""
    from google.protobuf import text_format

    from siglint.serving import proto

    kinds = {"predict": proto.PredictRequest, "classify": proto.ClassificationRequest, "regress": proto.RegressionRequest}
    message = kinds[request.api]()
    message.model_spec.name = model_name
    message.model_spec.signature_name = request.signature
    for zero in request.inputs:
        tensor = message.inputs[zero.alias]
        tensor.dtype = zero.dtype
        for size in zero.shape:
            tensor.tensor_shape.dim.add(size=size)
        field = _VALUE_FIELDS.get(zero.dtype)
        if field is not None:
            getattr(tensor, field).append(zero.string if zero.dtype == dtypes.DT_STRING else 0)
    if request.api != "predict":
        message.input.example_list.examples.add().MergeFromString(serialized_example(request.features))
    return str(text_format.MessageToString(message))
