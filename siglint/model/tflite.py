"""A `.tflite` model as TF Lite and TF Serving read it, without TensorFlow.

- TF Lite's interpreter (tensorflow/lite/core/interpreter_builder.cc): what makes it refuse the
  model (a load failure here), and the native `signature_defs` table as its signature runner
  keeps them (ParseSignatureDefs), which `Interpreter.get_signature_list()` returns.
- TF Serving (tensorflow_serving/servables/tensorflow/tflite_session.cc, TfLiteSession::Create):
  subgraph 0's inputs and outputs (GetTensorInfoMap), the SignatureDefs of the
  `signature_defs_metadata` entry (tensorflow/lite/tools/signature/signature_def_util.cc,
  GetSignatureDefMap), their tensor names fixed to the model's (FixTfLiteTensorName), or, with no
  such entry, the one `serving_default` it generates from tensor names. Those signatures are the
  model view's one MetaGraphDef, so the Classify / Regress / Predict rules judge them as they
  judge a SavedModel's; every reason the server's load fails is a ServingProblem.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from siglint.io import flexbuffer
from siglint.io.quoting import listed
from siglint.io.source import SourceError, storage_for
from siglint.io.tflite_reader import (
    MAX_SIGNATURES,
    SubgraphRecord,
    TfliteFile,
    TfliteUnreadable,
    read_tflite,
)
from siglint.model.tflite_view import (
    DUPLICATE_NAME,
    INVALID_METADATA,
    METADATA_ABSENT,
    METADATA_NOT_A_MAP,
    METADATA_READ,
    METADATA_UNREADABLE,
    STANDALONE,
    UNKNOWN_TENSOR,
    UNSUPPORTED_TYPE,
    NativeSignature,
    NativeTensor,
    ServingProblem,
    TfliteView,
    text,
)
from siglint.model.view import TFLITE, MetaGraphView, ModelView, SignatureView, signature_from_proto
from siglint.savedmodel import constants
from siglint.savedmodel.tflite_schema import (
    SCHEMA_VERSION,
    SERVING_DTYPES,
    SIGNATURE_DEFS_METADATA,
    TFLITE_TYPES,
    dtype_of,
)

SERVING_LOAD_FAILS = "Cannot build Interpreter from buffer."  # TfLiteSession::Create's words
SYNTHESISED_LOG = "No signature def found in TFLite model. Generating one."
CANNOT_PARSE = "Invalid SignatureDefs found in TfLite model: Cannot parse signature def found in flatbuffer."


class TfliteLoadError(ValueError):
    """The file cannot be read as a TF Lite model, or TF Lite refuses it; one line says why."""


def read_model(
    file_path: str, model_path: str, version: int | None = None, layout: str = STANDALONE, saved_model_beside: bool = False
) -> ModelView:
    """The views of the `.tflite` at `file_path`, the model `model_path` (its folder, or the file
    itself); raises TfliteLoadError."""
    storage = storage_for(file_path)
    try:
        source = storage.open(file_path)
    except SourceError as error:
        raise TfliteLoadError(f"Cannot read {file_path}: {error}") from None
    try:
        file = read_tflite(source)
    except TfliteUnreadable as error:
        raise TfliteLoadError(f"Cannot read {file_path} as a TF Lite model: {error}") from None
    finally:
        source.close()
    refused = list(interpreter_problems(file))
    if refused:
        raise TfliteLoadError(
            f"TF Lite cannot build an interpreter from {file_path}: {'; '.join(refused)} "
            f"(TF Serving: {SERVING_LOAD_FAILS})"
        )
    signatures, view = serving_view(file)
    view = view._replace(layout=layout, saved_model_beside=saved_model_beside)
    meta_graphs = () if signatures is None else (
        MetaGraphView(tags=(constants.SERVING_TAG,), tensorflow_version="", is_tf2=False, signatures=signatures),
    )
    return ModelView(model_path, file_path, file.version, meta_graphs, version, kind=TFLITE, tflite=view)


def interpreter_problems(file: TfliteFile) -> Iterator[str]:
    """What makes InterpreterBuilder refuse the model, in TF Lite's words, for the parts siglint
    reads: the schema version, the subgraphs and buffers, the tensors of subgraph 0 and of the
    signatures' subgraphs, and the native signature table."""
    if file.version != SCHEMA_VERSION:
        yield f"Model provided is schema version {file.version} not equal to supported version {SCHEMA_VERSION}."
    if not file.subgraph_count:
        yield "No subgraph in the model."
    if file.buffer_count is None:
        yield "No buffers in the model."
    for subgraph in file.subgraphs.values():
        if subgraph.tensor_count is None:
            yield f"Did not get tensors in subgraph {subgraph.number}."
            continue
        for tensor in subgraph.tensors.values():
            if tensor.type not in TFLITE_TYPES:
                yield f"Unsupported data type {tensor.type} in tensor (tensor {tensor.number} of subgraph {subgraph.number})"
    for signature in file.signature_defs or ():
        if signature.key is None:
            yield "Missing exported method name for SignatureDef"
        for io, maps in (("inputs", signature.inputs), ("outputs", signature.outputs)):
            if maps is None:
                yield f"NULL SignatureDef {io} for exported method {text(signature.key)}"


def native_signatures(file: TfliteFile) -> tuple[NativeSignature, ...] | None:
    """The signature runner's signatures (ParseSignatureDefs), None without a table: an empty
    table is none too, as the interpreter has none."""
    if not file.signature_defs:
        return None
    found = []
    for position, signature in enumerate(file.signature_defs):
        subgraph = file.subgraphs.get(signature.subgraph_index)
        inputs, repeated_in = _tensor_map(signature.inputs or (), subgraph)
        outputs, repeated_out = _tensor_map(signature.outputs or (), subgraph)
        found.append(NativeSignature(
            text(signature.key), signature.subgraph_index, inputs, outputs, position, repeated_in + repeated_out
        ))
    return tuple(found)


def _tensor_map(maps: Any, subgraph: SubgraphRecord | None) -> tuple[tuple[NativeTensor, ...], tuple[str, ...]]:
    """GetMapFromTensorMap: a std::map from alias to tensor index (nameless entries skipped)."""
    by_alias: dict[str, int] = {}
    repeated = []
    for tensor_map in maps:
        if tensor_map.name is None:
            continue
        alias = text(tensor_map.name)
        if alias in by_alias:
            repeated.append(alias)
        by_alias[alias] = tensor_map.tensor_index
    tensors = subgraph.tensors if subgraph is not None else {}
    ordered = sorted(by_alias.items(), key=lambda item: item[0].encode("utf-8", "surrogateescape"))
    return tuple(NativeTensor(alias, index, tensors.get(index)) for alias, index in ordered), tuple(repeated)


# --------------------------------------------------------------------------------------------
# TF Serving's view


def serving_view(file: TfliteFile) -> tuple[dict[str, SignatureView] | None, TfliteView]:
    """The signatures TF Serving serves for the model (those of its metadata it can parse, or
    the one it generates; None when it can read none of the metadata it has), and the view of
    what it made of the model."""
    problems: list[ServingProblem] = []
    subgraph = file.subgraphs[0]
    inputs = _tensor_infos(subgraph, _interpreter_io(subgraph, "input", problems), "input", problems)
    outputs = _tensor_infos(subgraph, _interpreter_io(subgraph, "output", problems), "output", problems)
    state, blobs = _metadata(file, problems)
    protos = _parsed(blobs, problems)
    view = TfliteView(file, native_signatures(file), state, not blobs and state != METADATA_UNREADABLE, ())
    if view.synthesised:
        protos = {constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: _synthesised(inputs, outputs)}
    for key, proto in protos.items():
        _fix_names(key, proto, "input", inputs, problems)
        _fix_names(key, proto, "output", outputs, problems)
    view = view._replace(problems=tuple(problems))
    if not protos:
        return None, view
    return {key: signature_from_proto(key, protos[key]) for key in sorted(protos)}, view


def _interpreter_io(subgraph: SubgraphRecord, io: str, problems: list[ServingProblem]) -> tuple[int, ...]:
    """The subgraph's inputs (or outputs) as the interpreter has them: Subgraph::SetInputs
    refuses a list with an index that is neither a tensor nor -1 (an optional tensor), and the
    builder goes on with none."""
    indices = subgraph.inputs if io == "input" else subgraph.outputs
    count = subgraph.tensor_count or 0
    wrong = next((index for index in indices if index != -1 and not 0 <= index < count), None)
    if wrong is not None:
        problems.append(ServingProblem(
            UNKNOWN_TENSOR,
            f"Invalid tensor index {wrong} in {io}s. The subgraph has {count} tensors: TF Lite gives subgraph 0 "
            f"no {io}s at all, and TF Serving serves none",
            expected=f"tensor indices below {count}", actual=str(wrong),
        ))
        return ()
    if -1 in indices:
        problems.append(ServingProblem(
            UNKNOWN_TENSOR,
            f"subgraph 0's {io} -1 (an optional tensor) is no tensor: TF Serving's GetTensorInfoMap reads its name "
            "through a null pointer (the server crashes)",
            expected="a tensor index", actual="-1",
        ))
        return tuple(index for index in indices if index != -1)
    return indices


def _tensor_infos(
    subgraph: SubgraphRecord, indices: tuple[int, ...], io: str, problems: list[ServingProblem]
) -> dict[str, Any]:
    """GetTensorInfoMap: a TensorInfo for each of subgraph 0's inputs (or outputs), by tensor name."""
    from siglint.savedmodel.proto import TensorInfo

    infos: dict[str, Any] = {}
    for index in indices:
        tensor = subgraph.tensors[index]
        name = text(tensor.name)
        tflite_type = TFLITE_TYPES[tensor.type]
        dtype = SERVING_DTYPES.get(tflite_type)
        if dtype is None:
            problems.append(ServingProblem(
                UNSUPPORTED_TYPE, f"Unknown TfLite type: {tflite_type}", tensor=name, io=io,
                expected="a type TfLiteTypeToTfType converts", actual=str(tflite_type),
            ))
        info = TensorInfo(name=_proto_text(name), dtype=dtype if dtype is not None else dtype_of(tensor.type) or 0)
        for size in tensor.shape or ():
            info.tensor_shape.dim.add(size=size)
        if name in infos:
            problems.append(ServingProblem(
                DUPLICATE_NAME, f"{io.capitalize()} tensor name: {name} has multiple indices", tensor=name, io=io,
                actual=f"tensors {infos[name][1]} and {index} of subgraph 0",
            ))
            continue
        infos[name] = (info, index)
    return infos


def _proto_text(name: str) -> str:
    """A name protobuf can hold (a protobuf string is UTF-8)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _metadata(file: TfliteFile, problems: list[ServingProblem]) -> tuple[str, dict[bytes, tuple[bytes, int | None]]]:
    """GetSignatureDefMetadata and ReadSignatureDefMap: each key's serialized SignatureDef as
    the server's std::map gets it (a C string: up to its first NUL), with the length stored."""
    for position, entry in enumerate(file.metadata):
        if entry.name is None:
            problems.append(ServingProblem(
                INVALID_METADATA,
                f"metadata entry {position} has no name: GetSignatureDefMetadata reads it through a null "
                "pointer (the server crashes)",
            ))
            return METADATA_UNREADABLE, {}
        if entry.name == SIGNATURE_DEFS_METADATA.encode():
            break
    else:
        return METADATA_ABSENT, {}
    if entry.data is None:
        problems.append(ServingProblem(
            INVALID_METADATA,
            f"{SIGNATURE_DEFS_METADATA}: {entry.problem}: ReadSignatureDefMap reads outside the model (the "
            "server crashes or reads garbage)",
        ))
        return METADATA_UNREADABLE, {}
    data = entry.data
    try:
        table = flexbuffer.as_map(data, flexbuffer.root(data))
        if table is None:
            return METADATA_NOT_A_MAP, {}
        keys = table.keys(data)
        count = keys.size(data)
        if count > len(data):
            raise flexbuffer.FlexBufferError(f"its keys vector claims {count} keys in {len(data)} bytes")
        if count > MAX_SIGNATURES:
            raise flexbuffer.FlexBufferError(f"its map has {count} keys, more signatures than siglint reads ({MAX_SIGNATURES})")
        found: dict[bytes, tuple[bytes, int | None]] = {}
        for index in range(count):
            key = keys.key(data, index)
            value = flexbuffer.lookup(data, table, key)
            found[key] = (flexbuffer.as_c_string(data, value), flexbuffer.stored_length(data, value))
    except flexbuffer.FlexBufferError as error:
        problems.append(ServingProblem(
            INVALID_METADATA,
            f"{SIGNATURE_DEFS_METADATA} is not a FlexBuffer map the server can read ({error}): "
            "ReadSignatureDefMap reads outside it (the server crashes or reads garbage)",
        ))
        return METADATA_UNREADABLE, {}
    return METADATA_READ, dict(sorted(found.items()))


def _parsed(blobs: Mapping[bytes, tuple[bytes, int | None]], problems: list[ServingProblem]) -> dict[str, Any]:
    """GetSignatureDefMap's SignatureDef.ParseFromString of each value."""
    from google.protobuf import message

    from siglint.savedmodel.proto import SignatureDef

    protos: dict[str, Any] = {}
    for raw_key, (value, stored) in blobs.items():
        key = text(raw_key)
        proto = SignatureDef()
        try:
            proto.ParseFromString(value)
        except (message.DecodeError, RuntimeError, ValueError):
            cut = ""
            if stored is not None and stored > len(value):
                cut = (
                    f" (its serialized SignatureDef holds a NUL byte at byte {len(value)} of {stored}, where the "
                    "server's C string ends: it parses the bytes before it)"
                )
            problems.append(ServingProblem(INVALID_METADATA, CANNOT_PARSE + cut, signature=key))
            continue
        protos[key] = proto
    return protos


def _fix_names(key: str, proto: Any, io: str, tensors: Mapping[str, Any], problems: list[ServingProblem]) -> None:
    """FixTfLiteTensorName: a name must be one of subgraph 0's input (output) tensor names, as
    it is or without its `:N` suffix (what early converters stripped)."""
    known = ""  # subgraph 0's names, listed once (bounded) for every unknown one
    for alias, info in sorted((proto.inputs if io == "input" else proto.outputs).items()):
        if info.name in tensors:
            continue
        legacy = info.name.split(":", 1)[0]
        if legacy in tensors:
            info.name = legacy
            continue
        known = known or listed(sorted(tensors))
        problems.append(ServingProblem(
            UNKNOWN_TENSOR,
            f"Unknown tensor '{info.name}'. Signature {io} {alias} references an unknown tensor (subgraph 0's "
            f"{io}s: {known})",
            signature=key, tensor=alias, io=io, expected=f"one of subgraph 0's {io}s: {known}", actual=info.name,
        ))


def _synthesised(inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> Any:
    """The `serving_default` TF Serving generates when the model has no signature_defs_metadata:
    each of subgraph 0's inputs and outputs keyed by its tensor name up to the first `:` (in name
    order, so of two names that agree up to it, the later one's tensor wins)."""
    from siglint.savedmodel.proto import SignatureDef

    signature = SignatureDef(method_name=constants.PREDICT_METHOD_NAME)
    for target, tensors in ((signature.inputs, inputs), (signature.outputs, outputs)):
        for name in sorted(tensors):
            target[_proto_text(name.split(":", 1)[0])].CopyFrom(tensors[name][0])
    return signature


def lost_in_synthesis(names: Iterable[str]) -> list[str]:
    """Tensor names whose key in the generated signature a later name of the same stem takes."""
    stems: dict[str, str] = {}
    lost = []
    for name in sorted(set(names)):
        stem = name.split(":", 1)[0]
        if stem in stems:
            lost.append(stems[stem])
        stems[stem] = name
    return lost

