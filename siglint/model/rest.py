"""A REST request body, read as TF Serving's JSON layer reads it (tensorflow_serving/util/
json_tensor.cc: FillPredictRequestFromJson, FillClassifyRegressRequestFromJson) into the request
the server then runs, or the layer's error. The messages are the server's; JSON values in them
are written compactly (the server pretty-prints them).

JSON numbers keep the distinction the server's parser makes: a number written with a fraction or
an exponent is a double, any other an integer (int32, int64 or uint64 by its range).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any, NamedTuple

from siglint.model.requests import Api, RequestView
from siglint.model.tensors import TensorValue
from siglint.model.view import SignatureView, TensorView
from siglint.savedmodel import dtypes
from siglint.serving.constants import BASE64_KEY, REST_DEFAULT_SIGNATURE_TEXT

_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_FLOAT_MAX, _DOUBLE_MAX = 3.4028234663852886e38, 1.7976931348623157e308
# The dtypes json_tensor.cc AddValueToTensor converts JSON values to.
_DT = dtypes.DTYPE_NUMBERS
_FLOAT, _DOUBLE, _STRING, _INT64_TYPE, _BOOL, _UINT32, _UINT64 = (
    _DT[name] for name in ("DT_FLOAT", "DT_DOUBLE", "DT_STRING", "DT_INT64", "DT_BOOL", "DT_UINT32", "DT_UINT64")
)
_INT32_TYPES = tuple(_DT[name] for name in ("DT_INT32", "DT_INT16", "DT_INT8", "DT_UINT8"))


class RestRejected(Exception):
    """The JSON layer's error for a body it cannot turn into a request."""


class Body(NamedTuple):
    document: dict[str, Any]
    signature_name: str


def parse_body(text: str) -> Body:
    """The body's JSON object and the signature it names; raises RestRejected."""
    import json

    if not text:
        raise RestRejected("JSON Parse error: The document is empty")
    try:
        document = json.loads(text, object_pairs_hook=_first_wins)
    except json.JSONDecodeError as error:
        raise RestRejected(f"JSON Parse error: {error.msg} at offset: {error.pos}") from None
    except RecursionError:
        raise RestRejected("JSON Parse error: the document nests too deeply") from None
    if not isinstance(document, dict):
        raise RestRejected(f"JSON Value: {_text(document)} Is not object")
    name = document.get("signature_name", "")
    if not isinstance(name, str):
        raise RestRejected(
            f"JSON Value: {_text(document)} not formatted correctly. 'signature_name' key must be a string value."
        )
    return Body(document, name)


def predict_request(body: Body, signature: SignatureView) -> RequestView:
    """FillPredictRequestFromJson for the signature the body names; raises RestRejected."""
    inputs = signature.inputs
    if not inputs:
        raise RestRejected(f"Failed to get input map for signature: {body.signature_name or REST_DEFAULT_SIGNATURE_TEXT}")
    document = body.document
    if "instances" in document and "inputs" in document:
        raise RestRejected(
            f"JSON Value: {_text(document)} Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist "
        )
    if "instances" in document:
        instances = document["instances"]
        if not isinstance(instances, list):
            raise RestRejected(f"JSON Value: {_text(document)} Excepting 'instances' to be an list/array")
        if not instances:
            raise RestRejected(f"JSON Value: {_text(document)} No values in 'instances' array")
        tensors = _from_instances(instances, inputs)
    elif "inputs" in document:
        tensors = _from_inputs(document["inputs"], inputs)
    else:
        raise RestRejected("Missing 'inputs' or 'instances' key")
    return RequestView(Api.PREDICT, signature_name=body.signature_name, inputs=dict(sorted(tensors.items())))


def examples_request(body: Body, api: Api) -> RequestView:
    """FillClassifyRegressRequestFromJson; raises RestRejected."""
    document = body.document
    kind = "example_list"
    if "context" in document:
        _example(document["context"])
        kind = "example_list_with_context"
    examples = document.get("examples")
    if "examples" not in document:
        raise RestRejected(f"JSON Value: {_text(document)} When method is classify, key 'examples' is expected and was not found")
    if not isinstance(examples, list):
        raise RestRejected(f"JSON Value: {_text(document)} Expecting 'examples' value to be an list/array")
    if not examples:
        raise RestRejected(f"JSON Value: {_text(document)} 'examples' value is an empty array")
    for example in examples:
        _example(example)
    return RequestView(api, signature_name=body.signature_name, input_kind=kind, examples=len(examples))


def _first_wins(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """rapidjson keeps every member and FindMember finds the first: the first of a key wins."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        found.setdefault(key, value)
    return found


def _text(value: Any) -> str:
    import json

    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text if len(text) <= 200 else text[:197] + "..."


def _json_type(value: Any) -> str:
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, dict):
        return "Object"
    if isinstance(value, list):
        return "Array"
    return "String" if isinstance(value, str) else "Number"


def _is_b64(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get(BASE64_KEY), str)


def _decode_b64(value: Any) -> None:
    if not _is_b64(value):
        raise RestRejected(f"JSON Value: {_text(value)} not formatted correctly for base64 data")
    text = value[BASE64_KEY]
    try:
        base64.b64decode(text + "=" * (-len(text) % 4), altchars=None, validate=True)
    except (binascii.Error, ValueError):
        raise RestRejected("Unable to base64 decode") from None


def _check_value(value: Any, dtype: int) -> None:
    """AddValueToTensor: whether the JSON value converts to `dtype`."""
    name = dtypes.type_string(dtype)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    integer = number and isinstance(value, int)
    if dtype in (_FLOAT, _DOUBLE):
        if not number:
            raise _type_error(value, dtype)
        if not _lossless(value, 24 if dtype == _FLOAT else 53, _FLOAT_MAX if dtype == _FLOAT else _DOUBLE_MAX):
            raise RestRejected(f"Cannot convert JSON value: {_text(value)} to {name} without loss of precision.")
        return
    accepted = {
        _STRING: isinstance(value, str),
        _INT64_TYPE: integer and _INT64[0] <= value <= _INT64[1],
        _BOOL: isinstance(value, bool),
        _UINT32: integer and 0 <= value < 2**32,
        _UINT64: integer and 0 <= value < 2**64,
    }
    if dtype in _INT32_TYPES:
        if not (integer and _INT32[0] <= value <= _INT32[1]):
            raise _type_error(value, dtype)
    elif dtype in accepted:
        if not accepted[dtype]:
            raise _type_error(value, dtype)
    else:
        raise RestRejected(f"Conversion of JSON Value: {_text(value)} to type: {name}")


def _lossless(value: float, digits: int, largest: float) -> bool:
    import math

    if isinstance(value, float) and not math.isfinite(value):
        return True
    if isinstance(value, int) and -(2**63) <= value < 2**64:
        return bool(abs(value) <= 2**digits - 1)
    return -largest <= float(value) <= largest


def _type_error(value: Any, dtype: int) -> RestRejected:
    return RestRejected(
        f"JSON Value: {_text(value)} Type: {_json_type(value)} is not of expected type: {dtypes.type_string(dtype)}"
    )


def _dense_shape(value: Any) -> tuple[int, ...]:
    """GetDenseTensorShape: the sizes along the first element of each nested list."""
    shape = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0] if value else None
    return tuple(shape)


def _fill(value: Any, dtype: int, shape: tuple[int, ...]) -> int:
    """FillTensorProto: check every leaf is at depth len(shape) and converts; the leaf count."""
    count, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if not isinstance(item, list):
            if level != len(shape):
                raise RestRejected(
                    f"JSON Value: {_text(item)} found at incorrect level: {level + 1} in the JSON DOM. "
                    f"Expected at level: {len(shape)}"
                )
            if isinstance(item, dict):
                if dtype != _STRING:
                    raise _type_error(item, dtype)
                _decode_b64(item)
            else:
                _check_value(item, dtype)
            count += 1
            continue
        if level >= len(shape):
            raise RestRejected(f"Encountered list at unexpected level: {level} expected < {len(shape)}")
        if len(item) != shape[level]:
            raise RestRejected(
                f"Encountered list at unexpected size: {len(item)} at level: {level} expected size: {shape[level]}"
            )
        stack.extend((child, level + 1) for child in reversed(item))
    return count


def _shape_text(shape: tuple[int, ...]) -> str:
    return "[" + ",".join(str(size) for size in shape) + "]"


def _from_instances(instances: list[Any], inputs: Mapping[str, TensorView]) -> dict[str, TensorValue]:
    """FillTensorMapFromInstancesList."""
    if not isinstance(instances[0], dict) and len(inputs) > 1:
        raise RestRejected(
            "instances is a plain list, but expecting list of objects as multiple input tensors required as per tensorinfo_map"
        )
    objects = isinstance(instances[0], dict) and not _is_b64(instances[0])
    seen: dict[str, tuple[int, tuple[int, ...]]] = {}
    for index, element in enumerate(instances):
        element_is_object = isinstance(element, dict) and not _is_b64(element)
        if objects and not element_is_object:
            raise RestRejected(f"Expecting object but got list at item {index} of input list")
        if not objects and element_is_object:
            raise RestRejected(f"Expecting value/list but got object at item {index} of input list")
        items = element.items() if objects else [(next(iter(inputs)), element)]
        for name, value in items:
            try:
                _instance_item(value, name, inputs, seen)
            except RestRejected as error:
                key = f" key: {name}" if objects else ""
                raise RestRejected(
                    f"Failed to process element: {index}{key} of 'instances' list. Error: INVALID_ARGUMENT: {error}"
                ) from None
        if objects and set(element) != set(inputs):
            raise RestRejected(
                f"Failed to process element: {index} of 'instances' list. JSON object: {_text(element)} keys "
                f"must be equal to: {','.join(sorted(inputs))}"
            )
    return {name: TensorValue(inputs[name].dtype, (len(instances), *shape)) for name, (_, shape) in seen.items()}


def _instance_item(value: Any, name: str, inputs: Mapping[str, TensorView], seen: dict[str, tuple[int, tuple[int, ...]]]) -> None:
    """AddInstanceItem."""
    if name not in inputs:
        raise RestRejected(f"JSON object: does not have named input: {name}")
    shape = _dense_shape(value)
    size = _fill(value, inputs[name].dtype, shape)
    if name not in seen:
        seen[name] = (size, shape)
    elif seen[name][0] != size:
        raise RestRejected(f"Expecting tensor size: {seen[name][0]} but got: {size}")
    elif seen[name][1] != shape:
        raise RestRejected(f"Expecting shape {_shape_text(seen[name][1])} but got: {_shape_text(shape)}")


def _from_inputs(value: Any, inputs: Mapping[str, TensorView]) -> dict[str, TensorValue]:
    """FillTensorMapFromInputsMap (columnar): extra keys of the object are ignored."""
    if not isinstance(value, dict) or _is_b64(value):
        if len(inputs) > 1:
            raise RestRejected(
                "inputs is a plain value/list, but expecting an object as multiple input tensors required as per tensorinfo_map"
            )
        named = {next(iter(inputs)): value}
    else:
        named = {}
        for name in inputs:
            if name not in value:
                raise RestRejected(f"Missing named input: {name} in 'inputs' object.")
            named[name] = value[name]
    tensors = {}
    for name, item in named.items():
        shape = _dense_shape(item)
        _fill(item, inputs[name].dtype, shape)
        tensors[name] = TensorValue(inputs[name].dtype, shape)
    return tensors


def _example(value: Any) -> None:
    """MakeExampleFromJsonObject: each feature a value or a list of values of one kind."""
    if not isinstance(value, dict):
        raise RestRejected(f"Example must be JSON object but got JSON {_json_type(value)}")
    for name, content in value.items():
        kind: str | None = None
        for item in content if isinstance(content, list) else [content]:
            kind = _feature_kind(item, name, kind)


def _feature_kind(item: Any, name: str, kind: str | None) -> str:
    """AddValueToFeature: the kind of list `item` goes to, which must be the feature's so far."""
    if item is None or isinstance(item, list) or (isinstance(item, dict) and not _is_b64(item)):
        raise RestRejected(f"Feature: {name} has element with unexpected JSON type: {_json_type(item)}")
    if isinstance(item, bool):
        found = "int64"
    elif isinstance(item, (dict, str)):
        found = "bytes"
        if isinstance(item, dict):
            _decode_b64(item)
    elif isinstance(item, float):
        found = "float"
        if not _lossless(item, 24, _FLOAT_MAX):
            raise RestRejected(f"Cannot convert JSON value: {_text(item)} to float without loss of precision.")
    else:
        found = "int64"
        if item > _INT64[1]:
            raise RestRejected(f"Feature: {name} has uint64 element. Only int64 is supported.")
    if kind is not None and kind != found:
        raise RestRejected(f"Unexpected element type in feature: {name} expecting type: {kind}")
    return found
