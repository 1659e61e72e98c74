"""TensorFlow Lite's model format as plain data: the part of its FlatBuffer schema siglint reads,
its tensor types, and the names TF Lite and TF Serving give things.

The schema is `tensorflow/compiler/mlir/lite/schema/schema.fbs` at tensorflow/tensorflow
0373b8f3cb4d5033ac26e388f1e10a5126654200 (`file_identifier "TFL3"`, "Version 3b"); TensorFlow
2.21's generated reader (tensorflow/lite/python/schema_py_generated.py) has the same layout and
adds the tensor types INT2 and UINT4. A field's slot is its place in its table's declaration
(the FlatBuffer vtable entry 4 + 2 * slot); fields are never renumbered, only appended.
"""

from __future__ import annotations

from siglint.savedmodel.constants import TFLITE_FILE_IDENTIFIER
from siglint.savedmodel.dtypes import DTYPE_NUMBERS

FILE_IDENTIFIER = TFLITE_FILE_IDENTIFIER  # at bytes 4-8 of every file the converter writes
SCHEMA_VERSION = 3  # TFLITE_SCHEMA_VERSION: InterpreterBuilder refuses any other Model.version
# The Model.metadata entry TF Serving reads signatures from: kSignatureDefsMetadataName
# (tensorflow/lite/tools/signature/signature_def_util.h).
SIGNATURE_DEFS_METADATA = "signature_defs_metadata"


# Field slots, by table.
class ModelField:
    VERSION = 0
    OPERATOR_CODES = 1
    SUBGRAPHS = 2
    DESCRIPTION = 3
    BUFFERS = 4
    METADATA_BUFFER = 5
    METADATA = 6
    SIGNATURE_DEFS = 7


class SubGraphField:
    TENSORS = 0
    INPUTS = 1
    OUTPUTS = 2
    OPERATORS = 3
    NAME = 4


class TensorField:
    SHAPE = 0
    TYPE = 1
    BUFFER = 2
    NAME = 3
    QUANTIZATION = 4
    IS_VARIABLE = 5
    SPARSITY = 6
    SHAPE_SIGNATURE = 7
    HAS_RANK = 8


class BufferField:
    DATA = 0
    OFFSET = 1  # models over 2 GB keep buffers after the FlatBuffer
    SIZE = 2


class MetadataField:
    NAME = 0
    BUFFER = 1


class TensorMapField:
    NAME = 0
    TENSOR_INDEX = 1


class SignatureDefField:
    INPUTS = 0
    OUTPUTS = 1
    SIGNATURE_KEY = 2
    DEPRECATED_TAG = 3
    SUBGRAPH_INDEX = 4


# enum TensorType : byte, by value.
TENSOR_TYPES = (
    "FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "COMPLEX64", "INT8",
    "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4", "BFLOAT16",
    "INT2", "UINT4",
)
TENSOR_TYPE_NUMBERS = {name: number for number, name in enumerate(TENSOR_TYPES)}

# The TfLiteType (tensorflow/lite/core/c/c_api_types.h) the interpreter gives each TensorType
# (ConvertTensorType, tensorflow/lite/core/api/flatbuffer_conversions.cc): TF Serving's errors
# print this number, not the schema's.
TFLITE_TYPES = {
    0: 1, 1: 10, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 10: 11, 11: 12, 12: 13, 13: 14,
    14: 15, 15: 16, 16: 17, 17: 18, 18: 19, 19: 20, 20: 21,
}
TFLITE_TYPE_NAMES = {
    0: "kTfLiteNoType", 1: "kTfLiteFloat32", 2: "kTfLiteInt32", 3: "kTfLiteUInt8", 4: "kTfLiteInt64",
    5: "kTfLiteString", 6: "kTfLiteBool", 7: "kTfLiteInt16", 8: "kTfLiteComplex64", 9: "kTfLiteInt8",
    10: "kTfLiteFloat16", 11: "kTfLiteFloat64", 12: "kTfLiteComplex128", 13: "kTfLiteUInt64",
    14: "kTfLiteResource", 15: "kTfLiteVariant", 16: "kTfLiteUInt32", 17: "kTfLiteUInt16",
    18: "kTfLiteInt4", 19: "kTfLiteBFloat16", 20: "kTfLiteInt2", 21: "kTfLiteUInt4",
}

# TF Serving's TfLiteTypeToTfType (tensorflow_serving/servables/tensorflow/tflite_session.cc):
# the only TfLiteTypes it turns into a DataType; any other fails the model's load with
# `Unknown TfLite type: <TfLiteType>`.
SERVING_DTYPES = {
    0: DTYPE_NUMBERS["DT_INVALID"], 1: DTYPE_NUMBERS["DT_FLOAT"], 2: DTYPE_NUMBERS["DT_INT32"],
    3: DTYPE_NUMBERS["DT_UINT8"], 4: DTYPE_NUMBERS["DT_INT64"], 5: DTYPE_NUMBERS["DT_STRING"],
    6: DTYPE_NUMBERS["DT_BOOL"], 7: DTYPE_NUMBERS["DT_INT16"], 8: DTYPE_NUMBERS["DT_COMPLEX64"],
    9: DTYPE_NUMBERS["DT_INT8"],
}

# The DataType of a SavedModel tensor the converter turns into each TensorType (the converter's
# ConvertElementType, tensorflow/compiler/mlir/lite/flatbuffer_export.cc), for comparing a
# conversion with its SavedModel.
TENSOR_TYPE_DTYPES = {
    0: "DT_FLOAT", 1: "DT_HALF", 2: "DT_INT32", 3: "DT_UINT8", 4: "DT_INT64", 5: "DT_STRING",
    6: "DT_BOOL", 7: "DT_INT16", 8: "DT_COMPLEX64", 9: "DT_INT8", 10: "DT_DOUBLE",
    11: "DT_COMPLEX128", 12: "DT_UINT64", 13: "DT_RESOURCE", 14: "DT_VARIANT", 15: "DT_UINT32",
    16: "DT_UINT16", 17: "DT_INT4", 18: "DT_BFLOAT16", 19: "DT_INT2", 20: "DT_UINT4",
}


def tensor_type_name(number: int) -> str:
    """`FLOAT32`; `TensorType(99)` for a number the schema does not have."""
    return TENSOR_TYPES[number] if 0 <= number < len(TENSOR_TYPES) else f"TensorType({number})"


def dtype_of(tensor_type: int) -> int | None:
    """The DataType number a TensorType corresponds to, None for one outside the schema."""
    name = TENSOR_TYPE_DTYPES.get(tensor_type)
    return DTYPE_NUMBERS[name] if name else None
