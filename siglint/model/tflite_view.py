"""What rules and reports see of a TF Lite model beyond TF Serving's signatures (which are the
model view's MetaGraphDef): the signature runner's native table, what TF Serving makes of the
model and where its load fails, how the file was found, and how it compares with the SavedModel
it was converted from. Plain records, built by siglint.model.tflite."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from siglint.io.tflite_reader import TensorRecord, TfliteFile

STANDALONE = "standalone"  # a .tflite file given by name
VERSION_FOLDER = "version-folder"  # model.tflite in a model folder, as TF Serving finds it

# What TF Serving found where it reads signatures (the signature_defs_metadata entry).
METADATA_ABSENT = "absent"
METADATA_READ = "read"
METADATA_NOT_A_MAP = "not-a-map"  # read as no signatures at all (FlexBuffer AsMap's empty map)
METADATA_UNREADABLE = "unreadable"  # the server reads outside it, or cannot parse what it reads

# Kinds of ServingProblem: each stops TF Serving's TfLiteSession::Create.
UNSUPPORTED_TYPE = "unsupported-type"  # TfLiteTypeToTfType: "Unknown TfLite type: N"
DUPLICATE_NAME = "duplicate-name"  # GetTensorInfoMap: "... has multiple indices"
INVALID_METADATA = "invalid-metadata"  # GetSignatureDefMap, or a crash reading it
UNKNOWN_TENSOR = "unknown-tensor"  # "Signature input X references an unknown tensor"

# Kinds of Difference from the SavedModel a model was converted from (siglint.model.conversion).
SIGNATURE_KEYS = "signature-keys"  # a signature lost in conversion, or one the SavedModel lacks
TENSOR_KEYS = "tensor-keys"  # a signature's input or output keys differ
DTYPE = "dtype"
SHAPE = "shape"


def text(name: bytes | None) -> str:
    """A name as TF Lite's C++ uses it (`c_str()`: up to its first NUL), as text; undecodable
    bytes kept as surrogate escapes, which every report shows as `\\xff`."""
    if name is None:
        return ""
    return name.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


class NativeTensor(NamedTuple):
    alias: str  # the TensorMap's name: the SavedModel signature's input or output key
    tensor_index: int
    tensor: TensorRecord | None  # None: the index is not a tensor of the signature's subgraph


class NativeSignature(NamedTuple):
    """One entry of Model.signature_defs as the interpreter keeps it (ParseSignatureDefs): its
    TensorMaps in a std::map, so sorted by alias, a repeated alias keeping its last tensor."""

    key: str
    subgraph_index: int
    inputs: tuple[NativeTensor, ...]
    outputs: tuple[NativeTensor, ...]
    position: int  # its place in the table
    repeated_aliases: tuple[str, ...] = ()  # given twice: all but the last lost


class ServingProblem(NamedTuple):
    """A reason TF Serving's TfLiteSession::Create fails, in the server's words."""

    kind: str
    message: str
    signature: str | None = None
    tensor: str | None = None
    io: str | None = None  # "input" or "output"
    expected: str | None = None
    actual: str | None = None


class Difference(NamedTuple):
    """One way a conversion differs from the SavedModel it came from (siglint.model.conversion)."""

    kind: str
    message: str
    signature: str
    tensor: str | None = None
    io: str | None = None
    expected: str | None = None
    actual: str | None = None


class Conversion(NamedTuple):
    source: str  # the SavedModel compared with (its folder)
    differences: tuple[Difference, ...]


class TfliteView(NamedTuple):
    file: TfliteFile
    native: tuple[NativeSignature, ...] | None  # None: the model has no signature_defs table
    metadata: str  # METADATA_*: what TF Serving found where it reads signatures
    synthesised: bool  # TF Serving generates serving_default from subgraph 0's tensors
    problems: tuple[ServingProblem, ...]  # why TF Serving fails to load it (empty: it loads)
    layout: str = STANDALONE
    saved_model_beside: bool = False  # its folder also holds saved_model.pb or .pbtxt
    conversion: Conversion | None = None

    def signature_list(self) -> dict[str, dict[str, list[str]]]:
        """`tf.lite.Interpreter(...).get_signature_list()`: each key (the first signature of a
        repeated key) with its input and output aliases, sorted."""
        found: dict[str, dict[str, list[str]]] = {}
        for signature in self.native or ():
            found.setdefault(signature.key, {
                "inputs": [tensor.alias for tensor in signature.inputs],
                "outputs": [tensor.alias for tensor in signature.outputs],
            })
        return found

    def to_dict(self) -> dict[str, Any]:
        """What siglint's model document (`siglint show --format json`) says of the TF Lite model
        beyond TF Serving's signatures: `tflite_signatures` as `get_signature_list()` returns
        them, and `tflite` with each native signature's tensors (types and shapes), what TF
        Serving reads its signatures from, and why its load fails."""
        file = self.file
        return {
            "tflite_signatures": self.signature_list(),
            "tflite": {
                "schema_version": file.version,
                "description": None if file.description is None else text(file.description),
                "subgraphs": file.subgraph_count,
                "metadata": [None if entry.name is None else text(entry.name) for entry in file.metadata],
                "signatures": [_native_dict(signature) for signature in self.native or ()],
                "serving": {
                    "signatures_from": "generated" if self.synthesised else "signature_defs_metadata",
                    "metadata": self.metadata,
                    "problems": [problem.message for problem in self.problems],
                },
                "conversion": None if self.conversion is None else {
                    "source": self.conversion.source,
                    "differences": [difference.message for difference in self.conversion.differences],
                },
            },
        }


def _native_dict(signature: NativeSignature) -> dict[str, Any]:
    return {
        "key": signature.key,
        "subgraph_index": signature.subgraph_index,
        "inputs": [_tensor_dict(tensor) for tensor in signature.inputs],
        "outputs": [_tensor_dict(tensor) for tensor in signature.outputs],
    }


def tflite_dims(shape: tuple[int, ...] | None, signature: tuple[int, ...] | None) -> tuple[int, ...]:
    """A tensor's dimensions as the converter wrote them: `shape_signature` (-1 for a dimension
    of unknown size) when it has one, else `shape`."""
    return signature if signature is not None else shape or ()


def _tensor_dict(tensor: NativeTensor) -> dict[str, Any]:
    from siglint.savedmodel.dtypes import dtype_name
    from siglint.savedmodel.tflite_schema import dtype_of, tensor_type_name

    record = tensor.tensor
    entry: dict[str, Any] = {"name": tensor.alias, "tensor_index": tensor.tensor_index}
    if record is None:
        return entry | {"tensor": None}
    dtype = dtype_of(record.type)
    return entry | {
        "tensor": text(record.name),
        "type": tensor_type_name(record.type),
        "dtype": None if dtype is None else dtype_name(dtype),
        "shape": None if record.shape is None else list(record.shape),
        "shape_signature": None if record.shape_signature is None else list(record.shape_signature),
    }
