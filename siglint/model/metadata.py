"""A TF Serving GetModelMetadata response read as a model: what a live server says it serves,
without the model's files (`curl .../v1/models/NAME/metadata > m.json && siglint check m.json`).

Three forms are read: the REST response (`GET /v1/models/NAME[/versions/V]/metadata`, which
http_rest_api_util.cc's ToJsonString writes as `{"model_spec": ..., "metadata": {"signature_def":
<SignatureDefMap>}}`; protobuf's own JSON of the response, with `@type`, too), and the gRPC
`GetModelMetadataResponse` (tensorflow_serving/apis/get_model_metadata.proto) in text or binary
form. Its `signature_def` metadata (get_model_metadata_impl.cc copies every signature of the
MetaGraphDef the server loaded, `__saved_model_init_op` included) becomes one MetaGraphView;
the response names no tags, so it carries the `serve` tag-set a stock server loads and stands
for whichever tag-set a check asks for (ModelView.serving_meta_graph).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from siglint.io.documents import DocumentError, decode, parse_json, read_bytes
from siglint.model.view import METADATA, MetaGraphView, ModelView, ServedAs, signature_from_proto
from siglint.savedmodel import constants

SIGNATURE_DEF_FIELD = "signature_def"  # GetModelMetadataImpl::kSignatureDef
SIGNATURE_DEF_MAP_TYPE = "tensorflow.serving.SignatureDefMap"
MAX_RESPONSE_BYTES = 64 * 2**20


class NotMetadata(ValueError):
    """The file is not a GetModelMetadata response; the message says why."""


def read_metadata(path: str) -> ModelView:
    """The model the response in the file `path` describes; raises NotMetadata."""
    try:
        served_as, signatures = read_response(read_bytes(path, MAX_RESPONSE_BYTES))
    except DocumentError as error:
        raise NotMetadata(str(error)) from None
    views = {key: signature_from_proto(key, signatures[key]) for key in sorted(signatures)}
    meta_graph = MetaGraphView(
        tags=(constants.SERVING_TAG,),
        tensorflow_version="",
        is_tf2=constants.INIT_OP_SIGNATURE_KEY in views,  # every TF2 export has it
        signatures=views,
    )
    return ModelView(path, path, 0, (meta_graph,), kind=METADATA, served_as=served_as)


def read_response(data: bytes) -> tuple[ServedAs, Mapping[str, Any]]:
    """The servable and the SignatureDefs (siglint.savedmodel.proto messages) of a response's bytes."""
    if not data.strip():
        raise NotMetadata("the file is empty")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return _from_json(parse_json(decode(data).removeprefix("\ufeff")))
    errors = []
    try:
        return _from_message(_parse_text(data))
    except NotMetadata as error:
        errors.append(f"as text: {error}")
    try:
        return _from_message(_parse_binary(data))
    except NotMetadata as error:
        errors.append(f"as binary protobuf: {error}")
    raise NotMetadata("; ".join(errors))


def _from_json(document: Any) -> tuple[ServedAs, Mapping[str, Any]]:
    from google.protobuf import json_format

    from siglint.savedmodel.inspect_proto import ModelSpec, SignatureDefMap

    if not isinstance(document, dict):
        raise NotMetadata("the JSON document is not an object")
    if set(document) == {"error"}:
        raise NotMetadata(f"it is the server's error answer: {document['error']!r}")
    metadata = document.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get(SIGNATURE_DEF_FIELD), dict):
        raise NotMetadata('no "metadata": {"signature_def": ...} object')
    signature_map = dict(metadata[SIGNATURE_DEF_FIELD])
    type_url = signature_map.pop("@type", f"/{SIGNATURE_DEF_MAP_TYPE}")
    _require_signature_map(str(type_url))
    spec = document.get("model_spec", document.get("modelSpec", {}))
    try:
        model_spec = json_format.ParseDict(spec, ModelSpec())
        parsed = json_format.ParseDict(signature_map, SignatureDefMap())
    except (json_format.ParseError, TypeError, ValueError, RecursionError) as error:
        raise NotMetadata(" ".join(str(error).split())) from None
    return _served_as(model_spec), parsed.signature_def


def _parse_text(data: bytes) -> Any:
    from siglint.savedmodel import textformat
    from siglint.savedmodel.inspect_proto import GetModelMetadataResponse

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotMetadata("not UTF-8 text") from None
    response = GetModelMetadataResponse()
    try:
        textformat.parse(text, response)
    except (textformat.ParseError, ValueError, RecursionError) as error:
        raise NotMetadata(f"not a text-format GetModelMetadataResponse ({error})") from None
    return response


def _parse_binary(data: bytes) -> Any:
    from google.protobuf import message

    from siglint.savedmodel.inspect_proto import GetModelMetadataResponse

    response = GetModelMetadataResponse()
    try:
        response.ParseFromString(data)
    except (message.DecodeError, RuntimeError, ValueError) as error:
        raise NotMetadata(f"not a serialized GetModelMetadataResponse ({error})") from None
    return response


def _from_message(response: Any) -> tuple[ServedAs, Mapping[str, Any]]:
    from google.protobuf import message

    from siglint.savedmodel.inspect_proto import SignatureDefMap

    if SIGNATURE_DEF_FIELD not in response.metadata:
        raise NotMetadata(f'its metadata has no "{SIGNATURE_DEF_FIELD}" entry')
    packed = response.metadata[SIGNATURE_DEF_FIELD]
    _require_signature_map(packed.type_url)
    signature_map = SignatureDefMap()
    try:
        signature_map.ParseFromString(packed.value)
    except (message.DecodeError, RuntimeError, ValueError) as error:
        raise NotMetadata(f"its signature_def is not a SignatureDefMap ({error})") from None
    return _served_as(response.model_spec), signature_map.signature_def


def _require_signature_map(type_url: str) -> None:
    if type_url.rsplit("/", 1)[-1] != SIGNATURE_DEF_MAP_TYPE:
        raise NotMetadata(f"its signature_def holds a {type_url!r}, not a {SIGNATURE_DEF_MAP_TYPE}")


def _served_as(model_spec: Any) -> ServedAs:
    version = model_spec.version.value if model_spec.HasField("version") else None
    return ServedAs(model_spec.name, version, model_spec.version_label)

