"""TF Lite models in a fixture spec (`tflite = [...]`), written with siglint's own FlatBuffer
writer (siglint.fixturegen.flatbuffer_writer) to the layout of TF Lite's schema
(siglint.savedmodel.tflite_schema)::

    [[tflite]]
    path = "model/1/model.tflite"
    serving_signatures.serving_default = { method = "tensorflow/serving/predict", inputs.x = {...} }

    [[tflite.subgraphs]]
    name = "main"
    inputs = [0]
    outputs = [1]
    tensors = [
        { name = "serving_default_x:0", type = "FLOAT32", shape = [1, 3], shape_signature = [-1, 3] },
        { name = "StatefulPartitionedCall:0", type = "FLOAT32", shape = [1, 1] },
    ]

    [[tflite.signature_defs]]
    key = "serving_default"
    inputs = { x = 0 }
    outputs = { y = 1 }

`serving_signatures` (signatures as a model spec writes them) become the
`signature_defs_metadata` entry TF Serving reads, a FlexBuffer map of serialized SignatureDefs;
`metadata` adds raw entries (`{ name, hex }` or `{ name, text }`). `signature_defs` absent: the
model has no native table. `version` (default 3), `identifier` (default "TFL3") and `truncate`
(write only the first N bytes) make broken files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from siglint.fixturegen.flatbuffer_writer import String, Table, Vector, flatbuffer, flexbuffer_map
from siglint.savedmodel.tflite_schema import (
    SCHEMA_VERSION,
    SIGNATURE_DEFS_METADATA,
    TENSOR_TYPE_NUMBERS,
    BufferField,
    MetadataField,
    ModelField,
    SignatureDefField,
    SubGraphField,
    TensorField,
    TensorMapField,
)


class TfliteSpecError(ValueError):
    """A `tflite` entry of a spec that does not describe a model."""


class TensorSpec(NamedTuple):
    name: str | None
    type: int
    shape: tuple[int, ...] | None = None
    shape_signature: tuple[int, ...] | None = None
    has_rank: bool | None = None


class SubgraphSpec(NamedTuple):
    name: str | None
    tensors: tuple[TensorSpec, ...]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]


class SignatureDefSpec(NamedTuple):
    key: str | None
    subgraph: int
    inputs: tuple[tuple[str, int], ...]
    outputs: tuple[tuple[str, int], ...]


class TfliteSpec(NamedTuple):
    path: str
    subgraphs: tuple[SubgraphSpec, ...]
    signature_defs: tuple[SignatureDefSpec, ...] | None = None
    serving_signatures: Mapping[str, Any] | None = None  # key -> the model spec's SignatureSpec
    metadata: tuple[tuple[str, bytes], ...] = ()
    version: int = SCHEMA_VERSION
    identifier: bytes = b"TFL3"
    truncate: int | None = None


def _table(data: Any, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise TfliteSpecError(f"{where} must be a table")
    if missing := required - set(data):
        raise TfliteSpecError(f"{where} lacks {', '.join(sorted(missing))}")
    if unknown := set(data) - required - optional:
        raise TfliteSpecError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    return data


def _ints(value: Any, where: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(item, int) for item in value):
        raise TfliteSpecError(f"{where} must be a list of integers")
    return tuple(value)


def tflite_spec(data: Any, where: str, signature: Callable[[Any, str], Any]) -> TfliteSpec:
    """The model `data` describes; `signature` reads a model spec's signature table."""
    table = _table(
        data, where, {"path", "subgraphs"},
        {"signature_defs", "serving_signatures", "metadata", "version", "identifier", "truncate"},
    )
    serving = table.get("serving_signatures")
    if serving is not None and not isinstance(serving, dict):
        raise TfliteSpecError(f"{where}.serving_signatures must be a table of signatures")
    return TfliteSpec(
        path=str(table["path"]),
        subgraphs=tuple(_subgraph(s, f"{where}.subgraphs[{i}]") for i, s in enumerate(table["subgraphs"])),
        signature_defs=None if "signature_defs" not in table else tuple(
            _signature_def(s, f"{where}.signature_defs[{i}]") for i, s in enumerate(table["signature_defs"])
        ),
        serving_signatures=None if serving is None else {
            key: signature(value, f"{where}.serving_signatures.{key}") for key, value in serving.items()
        },
        metadata=tuple(_metadata(m, f"{where}.metadata[{i}]") for i, m in enumerate(table.get("metadata", []))),
        version=int(table.get("version", SCHEMA_VERSION)),
        identifier=str(table.get("identifier", "TFL3")).encode("latin-1"),
        truncate=table.get("truncate"),
    )


def _subgraph(data: Any, where: str) -> SubgraphSpec:
    table = _table(data, where, {"tensors"}, {"name", "inputs", "outputs"})
    return SubgraphSpec(
        name=table.get("name"),
        tensors=tuple(_tensor(t, f"{where}.tensors[{i}]") for i, t in enumerate(table["tensors"])),
        inputs=_ints(table.get("inputs", []), f"{where}.inputs"),
        outputs=_ints(table.get("outputs", []), f"{where}.outputs"),
    )


def _tensor(data: Any, where: str) -> TensorSpec:
    table = _table(data, where, set(), {"name", "type", "shape", "shape_signature", "has_rank"})
    kind = table.get("type", "FLOAT32")
    if isinstance(kind, str):
        if kind not in TENSOR_TYPE_NUMBERS:
            raise TfliteSpecError(f"{where}.type: unknown TensorType {kind!r}")
        kind = TENSOR_TYPE_NUMBERS[kind]
    return TensorSpec(
        name=table.get("name"),
        type=int(kind),
        shape=None if "shape" not in table else _ints(table["shape"], f"{where}.shape"),
        shape_signature=None if "shape_signature" not in table else _ints(table["shape_signature"], f"{where}.shape_signature"),
        has_rank=table.get("has_rank"),
    )


def _signature_def(data: Any, where: str) -> SignatureDefSpec:
    table = _table(data, where, set(), {"key", "subgraph", "inputs", "outputs"})
    maps = []
    for io in ("inputs", "outputs"):
        entries = table.get(io, {})
        if not isinstance(entries, dict) or not all(isinstance(v, int) for v in entries.values()):
            raise TfliteSpecError(f"{where}.{io} must map aliases to tensor indices")
        maps.append(tuple(entries.items()))
    return SignatureDefSpec(table.get("key"), int(table.get("subgraph", 0)), maps[0], maps[1])


def _metadata(data: Any, where: str) -> tuple[str, bytes]:
    table = _table(data, where, {"name"}, {"hex", "text"})
    if ("hex" in table) == ("text" in table):
        raise TfliteSpecError(f"{where} needs exactly one of hex, text")
    content = bytes.fromhex(table["hex"]) if "hex" in table else str(table["text"]).encode("utf-8")
    return str(table["name"]), content


def tflite_bytes(spec: TfliteSpec, signature_def: Callable[[Any], Any]) -> bytes:
    """The model's bytes; `signature_def` builds a SignatureDef message from a model spec's."""
    metadata = list(spec.metadata)
    if spec.serving_signatures is not None:
        serialized = {
            key.encode(): signature_def(value).SerializeToString(deterministic=True)
            for key, value in spec.serving_signatures.items()
        }
        metadata.append((SIGNATURE_DEFS_METADATA, flexbuffer_map(serialized)))
    buffers = [Table({})] + [Table({BufferField.DATA: Vector("B", data, align=16)}) for _, data in metadata]
    model: dict[int, Any] = {
        ModelField.VERSION: ("<I", spec.version),
        ModelField.OPERATOR_CODES: Vector(None, []),
        ModelField.SUBGRAPHS: Vector(None, [_subgraph_table(s) for s in spec.subgraphs]),
        ModelField.DESCRIPTION: String(b"siglint fixture"),
        ModelField.BUFFERS: Vector(None, buffers),
    }
    if metadata:
        model[ModelField.METADATA] = Vector(None, [
            Table({MetadataField.NAME: String(name.encode()), MetadataField.BUFFER: ("<I", index)})
            for index, (name, _) in enumerate(metadata, start=1)
        ])
    if spec.signature_defs is not None:
        model[ModelField.SIGNATURE_DEFS] = Vector(None, [_signature_table(s) for s in spec.signature_defs])
    return flatbuffer(Table(model), spec.identifier)[: spec.truncate]


def _subgraph_table(spec: SubgraphSpec) -> Table:
    fields: dict[int, Any] = {
        SubGraphField.TENSORS: Vector(None, [_tensor_table(t) for t in spec.tensors]),
        SubGraphField.INPUTS: Vector("<i", spec.inputs),
        SubGraphField.OUTPUTS: Vector("<i", spec.outputs),
        SubGraphField.OPERATORS: Vector(None, []),
    }
    if spec.name is not None:
        fields[SubGraphField.NAME] = String(spec.name.encode())
    return Table(fields)


def _tensor_table(spec: TensorSpec) -> Table:
    fields: dict[int, Any] = {TensorField.TYPE: ("<b", spec.type), TensorField.BUFFER: ("<I", 0)}
    if spec.name is not None:
        fields[TensorField.NAME] = String(spec.name.encode())
    if spec.shape is not None:
        fields[TensorField.SHAPE] = Vector("<i", spec.shape)
    if spec.shape_signature is not None:
        fields[TensorField.SHAPE_SIGNATURE] = Vector("<i", spec.shape_signature)
    if spec.has_rank is not None:
        fields[TensorField.HAS_RANK] = ("<B", int(spec.has_rank))
    return Table(fields)


def _signature_table(spec: SignatureDefSpec) -> Table:
    fields: dict[int, Any] = {
        SignatureDefField.INPUTS: Vector(None, [_tensor_map(alias, index) for alias, index in spec.inputs]),
        SignatureDefField.OUTPUTS: Vector(None, [_tensor_map(alias, index) for alias, index in spec.outputs]),
        SignatureDefField.SUBGRAPH_INDEX: ("<I", spec.subgraph),
    }
    if spec.key is not None:
        fields[SignatureDefField.SIGNATURE_KEY] = String(spec.key.encode())
    return Table(fields)


def _tensor_map(alias: str, index: int) -> Table:
    return Table({TensorMapField.NAME: String(alias.encode()), TensorMapField.TENSOR_INDEX: ("<I", index)})
