"""TensorFlow's DataType enum (tensorflow/core/framework/types.proto) as plain data."""

from __future__ import annotations

_BASE = {
    "DT_INVALID": 0,
    "DT_FLOAT": 1,
    "DT_DOUBLE": 2,
    "DT_INT32": 3,
    "DT_UINT8": 4,
    "DT_INT16": 5,
    "DT_INT8": 6,
    "DT_STRING": 7,
    "DT_COMPLEX64": 8,
    "DT_INT64": 9,
    "DT_BOOL": 10,
    "DT_QINT8": 11,
    "DT_QUINT8": 12,
    "DT_QINT32": 13,
    "DT_BFLOAT16": 14,
    "DT_QINT16": 15,
    "DT_QUINT16": 16,
    "DT_UINT16": 17,
    "DT_COMPLEX128": 18,
    "DT_HALF": 19,
    "DT_RESOURCE": 20,
    "DT_VARIANT": 21,
    "DT_UINT32": 22,
    "DT_UINT64": 23,
    "DT_FLOAT8_E5M2": 24,
    "DT_FLOAT8_E4M3FN": 25,
    "DT_INT4": 29,
    "DT_UINT4": 30,
    "DT_FLOAT8_E4M3FNUZ": 26,
    "DT_FLOAT8_E4M3B11FNUZ": 27,
    "DT_FLOAT8_E5M2FNUZ": 28,
    "DT_INT2": 31,
    "DT_UINT2": 32,
    "DT_FLOAT4_E2M1FN": 33,
}
REF_OFFSET = 100

DTYPE_NUMBERS: dict[str, int] = dict(sorted(_BASE.items(), key=lambda item: item[1]))
DTYPE_NUMBERS.update(
    {f"{name}_REF": number + REF_OFFSET for name, number in DTYPE_NUMBERS.items() if number}
)
DTYPE_NAMES: dict[int, str] = {number: name for name, number in DTYPE_NUMBERS.items()}

DT_INVALID = 0
DT_FLOAT = 1
DT_STRING = 7
DT_BOOL = 10



def dtype_name(number: int) -> str:
    """``DT_FLOAT`` for 1; ``DataType(<n>)`` for a number outside the enum."""
    return DTYPE_NAMES.get(number, f"DataType({number})")


def type_string(number: int) -> str:
    """The dtype as TensorFlow's DataTypeString prints it in server errors: ``half``, ``float_ref``."""
    name = DTYPE_NAMES.get(number)
    return name[3:].lower() if name else f"unknown dtype enum ({number})"


def is_ref(number: int) -> bool:
    return number > REF_OFFSET and number in DTYPE_NAMES


def base_dtype(number: int) -> int:
    """The dtype a `_REF` dtype reads as once fetched (DT_FLOAT_REF -> DT_FLOAT)."""
    return number - REF_OFFSET if is_ref(number) else number


# tf.DType.name where it is not the enum name without DT_ (tf.float32.name == "float32").
_TF_NAMES = {"FLOAT16": "HALF", "FLOAT32": "FLOAT", "FLOAT64": "DOUBLE"}


def tf_name(number: int) -> str | None:
    """tf.DType.name: ``float32`` for DT_FLOAT, ``float16_ref`` for DT_HALF_REF; None for
    DT_INVALID and numbers outside the enum, which tf.as_dtype rejects."""
    name = DTYPE_NAMES.get(number) if number else None
    if name is None:
        return None
    ref = "_REF" if name.endswith("_REF") else ""
    base = name[3:].removesuffix(ref)
    base = next((tf for tf, enum in _TF_NAMES.items() if enum == base), base)
    return (base + ref).lower()


def parse_dtype(value: int | str) -> int:
    """Accept 1, ``"DT_FLOAT"``, ``"float"``, ``"float32"`` (TensorFlow's ``tf.float32.name``)
    or ``"float_ref"``; raise ValueError otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a dtype: {value!r}")
    name = value.strip().upper()
    ref = "_REF" if name.endswith("_REF") else ""
    base = name.removesuffix(ref)
    name = _TF_NAMES.get(base, base) + ref
    if not name.startswith("DT_"):
        name = "DT_" + name
    if name not in DTYPE_NUMBERS:
        raise ValueError(f"unknown dtype {value!r}")
    return DTYPE_NUMBERS[name]
