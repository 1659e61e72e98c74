"""`siglint show --format metadata`: the JSON TF Serving's REST API answers to
`GET /v1/models/NAME[/versions/V]/metadata` for the model, as
tensorflow_serving/model_servers/http_rest_api_util.cc's ToJsonString writes it: `model_spec`
(name, version, an empty signature_name) and `metadata.signature_def.signature_def` with every
signature of the MetaGraphDef the server loads (`serve`, or `--tag_set`), printed by protobuf's
JSON printer with `always_print_primitive_fields` and the proto field names (int64 as strings,
enums by name, default values printed). Maps are sorted by key (the server's follow a hash map).
"""

from __future__ import annotations

import json
from typing import Any

from siglint.model.info import ModelInfo
from siglint.model.view import SignatureView, TensorView
from siglint.report.show import Request, narrowed
from siglint.savedmodel import constants

_SIGNATURE_ORDER = ("inputs", "outputs", "method_name", "defaults")
# protobuf's C++ JSON printer writes a message's plain fields in declaration order, then its oneof.
_TENSOR_INFO_ORDER = ("dtype", "tensor_shape", "name", "coo_sparse", "composite_tensor")


def render(info: ModelInfo, request: Request) -> str:
    info = narrowed(info, request, default_tag_set=constants.SERVING_TAG)
    servable = info.servable
    model_spec: dict[str, Any] = {"name": servable.name, "signature_name": ""}
    if servable.version is not None:
        model_spec["version"] = str(servable.version)
    elif servable.version_label:
        model_spec["version_label"] = servable.version_label
    signatures = {key: signature_json(s) for key, s in info.model.meta_graphs[0].signatures.items()}
    document = {"model_spec": model_spec, "metadata": {"signature_def": {"signature_def": signatures}}}
    return json.dumps(document, indent=1) + "\n"


def signature_json(signature: SignatureView) -> dict[str, Any]:
    """A SignatureDef as TF Serving's JSON printer writes it: from its bytes when the view has
    them (every field, defaults' values too), else from the view."""
    if not signature.serialized:
        return {
            "inputs": {key: _tensor_from_view(t) for key, t in signature.inputs.items()},
            "outputs": {key: _tensor_from_view(t) for key, t in signature.outputs.items()},
            "method_name": signature.method_name,
            "defaults": {},
        }
    from google.protobuf import json_format

    from siglint.savedmodel.proto import SignatureDef

    proto = SignatureDef()
    proto.ParseFromString(signature.serialized)
    full = json_format.MessageToDict(
        proto,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
    )
    for io in ("inputs", "outputs"):
        full[io] = {key: _ordered(full[io][key], _TENSOR_INFO_ORDER) for key in sorted(full[io])}
    full["defaults"] = {key: full["defaults"][key] for key in sorted(full["defaults"])}
    return _ordered(full, _SIGNATURE_ORDER)


def _ordered(message: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    return {key: message[key] for key in sorted(message, key=lambda k: order.index(k) if k in order else len(order))}


def _tensor_from_view(tensor: TensorView) -> dict[str, Any]:
    entry: dict[str, Any] = {"dtype": tensor.dtype_name}
    if tensor.has_shape:
        dims = [{"size": str(size), "name": ""} for size in tensor.shape or ()]
        entry["tensor_shape"] = {"dim": dims, "unknown_rank": tensor.shape is None}
    if tensor.encoding == "name":
        entry["name"] = tensor.name
    return entry
