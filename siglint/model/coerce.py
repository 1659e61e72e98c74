"""Turn what a Python caller hands `validate_signature_def` into siglint's SignatureDef message.

Accepted: TensorFlow's `SignatureDef` (or any message that serializes like one), siglint's own,
serialized bytes, a text-format string, or a dict. A dict may be protobuf's JSON form
(`json_format.MessageToDict`, camelCase or snake_case) or the compact form used in rule docs:
`{"method_name": ..., "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, ...}`, where
`shape` is a list (-1 for an unknown dimension) and a tensor without a shape has unknown rank;
`name` defaults to `<key>:0`; `defaults` may list input keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf import json_format, message

from siglint.savedmodel import textformat
from siglint.savedmodel.dtypes import parse_dtype
from siglint.savedmodel.proto import SignatureDef

_SHAPE_KEYS = ("shape", "tensor_shape", "tensorShape")


class SignatureInputError(ValueError):
    """The value given is not a SignatureDef in any accepted form."""


def to_signature_proto(value: Any) -> Any:
    if isinstance(value, SignatureDef):
        return value
    if isinstance(value, message.Message):
        if value.DESCRIPTOR.name != "SignatureDef":
            raise SignatureInputError(f"expected a SignatureDef message, got {value.DESCRIPTOR.full_name}")
        return _from_bytes(value.SerializeToString())
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _from_bytes(bytes(value))
    if isinstance(value, str):
        return _from_text(value)
    if isinstance(value, Mapping):
        return _from_dict(value)
    raise SignatureInputError(
        f"cannot read a SignatureDef from {type(value).__name__}: pass a SignatureDef message, "
        "bytes, a text-format string or a dict"
    )


def _from_bytes(data: bytes) -> Any:
    proto = SignatureDef()
    try:
        proto.ParseFromString(data)
    except message.DecodeError as error:
        raise SignatureInputError(f"not a serialized SignatureDef: {error}") from None
    return proto


def _from_text(text: str) -> Any:
    proto = SignatureDef()
    try:
        textformat.parse(text, proto)
    except (textformat.ParseError, RecursionError) as error:
        raise SignatureInputError(f"not a text-format SignatureDef: {error}") from None
    return proto


def _from_dict(value: Mapping[str, Any]) -> Any:
    data: dict[str, Any] = dict(value)
    if "method" in data:
        if "method_name" in data:
            raise SignatureInputError("give method_name or method, not both")
        data["method_name"] = data.pop("method")
    for io in ("inputs", "outputs"):
        if io in data:
            tensors = data[io] or {}
            if not isinstance(tensors, Mapping):
                raise SignatureInputError(f"{io} must map keys to tensors, got {type(tensors).__name__}")
            data[io] = {key: _tensor(key, io, spec) for key, spec in tensors.items()}
    defaults = data.get("defaults")
    if isinstance(defaults, (list, tuple, set, frozenset)):
        data["defaults"] = {key: _default_for(data, key) for key in defaults}
    proto = SignatureDef()
    try:
        json_format.ParseDict(data, proto)
    except json_format.ParseError as error:
        raise SignatureInputError(f"not a SignatureDef dict: {error}") from None
    return proto


def _tensor(key: str, io: str, spec: Any) -> dict[str, Any]:
    if not isinstance(spec, Mapping):
        raise SignatureInputError(f"{io}[{key!r}] must be a dict, got {type(spec).__name__}")
    tensor = dict(spec)
    if "dtype" in tensor:
        try:
            tensor["dtype"] = parse_dtype(tensor["dtype"])
        except ValueError as error:
            raise SignatureInputError(f"{io}[{key!r}]: {error}") from None
    if not any(k in tensor for k in ("name", "coo_sparse", "cooSparse", "composite_tensor", "compositeTensor")):
        tensor["name"] = f"{key}:0" if io == "inputs" else f"{key}_output:0"
    if "shape" in tensor:
        tensor["tensor_shape"] = _shape(tensor.pop("shape"))
    elif not any(k in tensor for k in _SHAPE_KEYS):
        tensor["tensor_shape"] = {"unknown_rank": True}
    return tensor


def _shape(shape: Any) -> dict[str, Any]:
    if shape is None:
        return {"unknown_rank": True}
    try:
        return {"dim": [{"size": -1 if size is None else int(size)} for size in shape]}
    except (TypeError, ValueError):
        raise SignatureInputError(f"shape must be a list of ints or None, got {shape!r}") from None


def _default_for(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    tensor = data.get("inputs", {}).get(key, {})
    return {"dtype": tensor.get("dtype", 0)}
