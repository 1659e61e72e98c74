"""A `.tflite` model read without TensorFlow: the tables TF Lite and TF Serving take signatures
from, never the buffers of weights.

What is read: the Model's version and description; its subgraphs' names, inputs and outputs,
and the tensors those and the signatures name (name, type, shape, shape_signature, has_rank);
the native `signature_defs` table; the `metadata` entries, and the bytes of the few that hold
signatures or versions. Reading goes through the Source seam a page at a time, so a 2 GiB model
costs the pages its tables lie on. Every count and length is bounded (a hostile file cannot make
siglint walk millions of entries); a file that breaks the format or a bound raises
TfliteUnreadable with what is wrong and where.

The schema's layout is in siglint.savedmodel.tflite_schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from siglint.io.flatbuffer import (
    BOOL,
    BYTE,
    INT,
    UINT,
    FlatBufferError,
    Pages,
    Table,
    Vector,
    root,
)
from siglint.io.source import Source
from siglint.savedmodel.tflite_schema import (
    FILE_IDENTIFIER,
    SIGNATURE_DEFS_METADATA,
    BufferField,
    MetadataField,
    ModelField,
    SignatureDefField,
    SubGraphField,
    TensorField,
    TensorMapField,
)

# Bounds far above any real model: what a stranger's file can make siglint read.
MAX_NAME_BYTES = 1 << 16
MAX_RANK = 1024
MAX_SIGNATURES = 10_000
MAX_SIGNATURE_TENSORS = 100_000  # TensorMaps, over every signature
MAX_IO_TENSORS = 100_000  # a subgraph's inputs and outputs
MAX_METADATA = 10_000
MAX_METADATA_BYTES = 16 << 20  # the bytes of one metadata entry siglint reads


class TfliteUnreadable(ValueError):
    """The file is not a TF Lite model siglint can read; the message says why."""


class TensorRecord(NamedTuple):
    number: int  # its index in its subgraph's tensors
    name: bytes | None  # None: the tensor has no name
    type: int  # TensorType, as stored (may lie outside the schema's enum)
    shape: tuple[int, ...] | None  # None: no shape field
    shape_signature: tuple[int, ...] | None  # -1 for a dimension of unknown size
    has_rank: bool


class SubgraphRecord(NamedTuple):
    number: int  # its index in the model's subgraphs
    name: bytes | None
    tensor_count: int | None  # None: the subgraph has no tensors vector
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    tensors: Mapping[int, TensorRecord]  # those its inputs, outputs and signatures name


class TensorMapRecord(NamedTuple):
    name: bytes | None
    tensor_index: int


class SignatureRecord(NamedTuple):
    key: bytes | None
    subgraph_index: int
    inputs: tuple[TensorMapRecord, ...] | None  # None: no inputs vector
    outputs: tuple[TensorMapRecord, ...] | None


class MetadataRecord(NamedTuple):
    name: bytes | None
    buffer: int
    data: bytes | None = None  # read for the first signature_defs_metadata entry (the server's)
    problem: str | None = None  # why the data of such an entry could not be read


class TfliteFile(NamedTuple):
    size: int
    identifier: bytes  # bytes 4-8: FILE_IDENTIFIER in what the converter writes
    version: int
    description: bytes | None
    subgraph_count: int | None  # None: no subgraphs vector
    subgraphs: Mapping[int, SubgraphRecord]  # subgraph 0 and those signatures name
    buffer_count: int | None  # None: no buffers vector
    signature_defs: tuple[SignatureRecord, ...] | None  # None: no signature_defs vector
    metadata: tuple[MetadataRecord, ...]


def read_tflite(source: Source) -> TfliteFile:
    """The model in `source`; raises TfliteUnreadable."""
    if source.size < 8:
        raise TfliteUnreadable(f"{source.size} bytes cannot hold a TF Lite model (a FlatBuffer's root offset and identifier)")
    pages = Pages(source)
    try:
        identifier = pages.read(4, 4, "the file identifier")
        try:
            return _model(pages, root(pages, "Model"), identifier)
        except RecursionError:  # cannot happen (the schema has a fixed depth); never a traceback
            raise FlatBufferError("tables nested too deep") from None
    except FlatBufferError as error:
        where = "" if identifier_ok(pages) else f" (its file identifier is {_shown(pages)}, not 'TFL3')"
        raise TfliteUnreadable(f"not a valid TF Lite FlatBuffer{where}: {error}") from None


def identifier_ok(pages: Pages) -> bool:
    try:
        return pages.read(4, 4, "the file identifier") == FILE_IDENTIFIER
    except FlatBufferError:
        return False


def _shown(pages: Pages) -> str:
    try:
        return repr(pages.read(4, 4, "the file identifier").decode("latin-1"))
    except FlatBufferError:
        return "missing"


def _model(pages: Pages, model: Table, identifier: bytes) -> TfliteFile:
    subgraphs = model.vector(ModelField.SUBGRAPHS, "subgraphs", 4)
    buffers = model.vector(ModelField.BUFFERS, "buffers", 4)
    signature_defs = _signatures(model.vector(ModelField.SIGNATURE_DEFS, "signature_defs", 4))
    wanted: dict[int, set[int]] = {0: set()}
    for signature in signature_defs or ():
        for tensor_map in (*(signature.inputs or ()), *(signature.outputs or ())):
            wanted.setdefault(signature.subgraph_index, set()).add(tensor_map.tensor_index)
    read: dict[int, SubgraphRecord] = {}
    if subgraphs is not None:
        for index in sorted(wanted):
            if index < subgraphs.length:
                read[index] = _subgraph(subgraphs.table(index), index, wanted[index])
    return TfliteFile(
        size=pages.size,
        identifier=identifier,
        version=model.scalar(ModelField.VERSION, UINT, 0, "version"),
        description=model.string(ModelField.DESCRIPTION, "description", MAX_NAME_BYTES),
        subgraph_count=None if subgraphs is None else subgraphs.length,
        subgraphs=read,
        buffer_count=None if buffers is None else buffers.length,
        signature_defs=signature_defs,
        metadata=_metadata(model.vector(ModelField.METADATA, "metadata", 4), buffers),
    )


def _signatures(vector: Vector | None) -> tuple[SignatureRecord, ...] | None:
    if vector is None:
        return None
    if vector.length > MAX_SIGNATURES:
        raise FlatBufferError(f"{vector.what} has {vector.length} entries, more than siglint reads ({MAX_SIGNATURES})")
    budget = [MAX_SIGNATURE_TENSORS]
    found = []
    for index in range(vector.length):
        table = vector.table(index)
        found.append(SignatureRecord(
            key=table.string(SignatureDefField.SIGNATURE_KEY, "signature_key", MAX_NAME_BYTES),
            subgraph_index=table.scalar(SignatureDefField.SUBGRAPH_INDEX, UINT, 0, "subgraph_index"),
            inputs=_tensor_maps(table.vector(SignatureDefField.INPUTS, "inputs", 4), budget),
            outputs=_tensor_maps(table.vector(SignatureDefField.OUTPUTS, "outputs", 4), budget),
        ))
    return tuple(found)


def _tensor_maps(vector: Vector | None, budget: list[int]) -> tuple[TensorMapRecord, ...] | None:
    if vector is None:
        return None
    budget[0] -= vector.length
    if budget[0] < 0:
        raise FlatBufferError(f"the signatures map more than {MAX_SIGNATURE_TENSORS} tensors, more than siglint reads")
    maps = []
    for index in range(vector.length):
        table = vector.table(index)
        maps.append(TensorMapRecord(
            table.string(TensorMapField.NAME, "name", MAX_NAME_BYTES),
            table.scalar(TensorMapField.TENSOR_INDEX, UINT, 0, "tensor_index"),
        ))
    return tuple(maps)


def _subgraph(table: Table, index: int, named: set[int]) -> SubgraphRecord:
    tensors = table.vector(SubGraphField.TENSORS, "tensors", 4)
    inputs = _indices(table.vector(SubGraphField.INPUTS, "inputs", 4))
    outputs = _indices(table.vector(SubGraphField.OUTPUTS, "outputs", 4))
    read: dict[int, TensorRecord] = {}
    if tensors is not None:
        for position in sorted({*inputs, *outputs, *named}):
            if 0 <= position < tensors.length:
                read[position] = _tensor(tensors.table(position), position)
    return SubgraphRecord(
        number=index,
        name=table.string(SubGraphField.NAME, "name", MAX_NAME_BYTES),
        tensor_count=None if tensors is None else tensors.length,
        inputs=inputs,
        outputs=outputs,
        tensors=read,
    )


def _indices(vector: Vector | None) -> tuple[int, ...]:
    return () if vector is None else vector.scalars(INT, MAX_IO_TENSORS)


def _tensor(table: Table, index: int) -> TensorRecord:
    shape = table.vector(TensorField.SHAPE, "shape", 4)
    signature = table.vector(TensorField.SHAPE_SIGNATURE, "shape_signature", 4)
    return TensorRecord(
        number=index,
        name=table.string(TensorField.NAME, "name", MAX_NAME_BYTES),
        type=table.scalar(TensorField.TYPE, BYTE, 0, "type"),
        shape=None if shape is None else shape.scalars(INT, MAX_RANK),
        shape_signature=None if signature is None else signature.scalars(INT, MAX_RANK),
        has_rank=bool(table.scalar(TensorField.HAS_RANK, BOOL, 0, "has_rank")),
    )


def _metadata(vector: Vector | None, buffers: Vector | None) -> tuple[MetadataRecord, ...]:
    if vector is None:
        return ()
    if vector.length > MAX_METADATA:
        raise FlatBufferError(f"{vector.what} has {vector.length} entries, more than siglint reads ({MAX_METADATA})")
    entries = []
    wanted = SIGNATURE_DEFS_METADATA.encode()
    for index in range(vector.length):
        table = vector.table(index)
        name = table.string(MetadataField.NAME, "name", MAX_NAME_BYTES)
        buffer = table.scalar(MetadataField.BUFFER, UINT, 0, "buffer")
        entry = MetadataRecord(name, buffer)
        if name == wanted:  # GetSignatureDefMetadata takes the first of that name: only its bytes
            entry, wanted = _metadata_data(entry, buffers), None
        entries.append(entry)
    return tuple(entries)


def _metadata_data(entry: MetadataRecord, buffers: Vector | None) -> MetadataRecord:
    """The entry with its buffer's bytes, or the reason they cannot be had."""
    if buffers is None or entry.buffer >= buffers.length:
        count = 0 if buffers is None else buffers.length
        return entry._replace(problem=f"it names buffer {entry.buffer}, and the model has {count} buffers")
    buffer = buffers.table(entry.buffer)
    data = buffer.vector(BufferField.DATA, "data", 1)
    if data is None:
        return entry._replace(problem=f"its buffer {entry.buffer} holds no data")
    if data.length > MAX_METADATA_BYTES:
        return entry._replace(
            problem=f"its buffer {entry.buffer} holds {data.length} bytes, more than siglint reads ({MAX_METADATA_BYTES})"
        )
    data.pages.spend(data.length, data.what)
    return entry._replace(data=data.pages.read(data.start, data.length, data.what))
