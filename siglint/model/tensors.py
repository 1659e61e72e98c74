"""A request's tensors as the server reads them: `tensor_value` says what TensorFlow's
`Tensor::FromProto` (tensorflow/core/framework/tensor.cc) makes of a TensorProto, without
TensorFlow: its dtype and shape, or why it rejects it (the server's `tensor parsing error`).

FromProto rejects DT_INVALID, a dtype it has no case for (the `_REF` dtypes, numbers outside the
enum), a shape with a negative size, more than 254 dimensions or more elements than an int64
holds, and a `tensor_content` whose size is not the elements' (a string list whose lengths do not
add up). Value fields never fail: missing values are zeros, fewer values repeat the last one, and
extra values are ignored.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from siglint.savedmodel import dtypes

_MAX_DIMENSIONS = 254
_INT64_MAX = 2**63 - 1
# The bytes one element takes in a Tensor's buffer (what tensor_content holds), by dtype; the
# float8, int4, int2 and float4 types take a byte each.
_SIZES = {
    "DT_FLOAT": 4, "DT_DOUBLE": 8, "DT_INT32": 4, "DT_UINT8": 1, "DT_INT16": 2, "DT_INT8": 1,
    "DT_COMPLEX64": 8, "DT_INT64": 8, "DT_BOOL": 1, "DT_QINT8": 1, "DT_QUINT8": 1, "DT_QINT32": 4,
    "DT_BFLOAT16": 2, "DT_QINT16": 2, "DT_QUINT16": 2, "DT_UINT16": 2, "DT_COMPLEX128": 16,
    "DT_HALF": 2, "DT_UINT32": 4, "DT_UINT64": 8,
}
ELEMENT_BYTES = {dtypes.DTYPE_NUMBERS[name]: size for name, size in _SIZES.items()} | {
    number: 1 for number in range(24, 34)
}
# Dtypes whose tensor_content FromProto decodes as something other than packed elements.
_STRING, _RESOURCE, _VARIANT = dtypes.DT_STRING, dtypes.DTYPE_NUMBERS["DT_RESOURCE"], dtypes.DTYPE_NUMBERS["DT_VARIANT"]


class TensorValue(NamedTuple):
    """A request tensor: its dtype, its shape (() for a scalar), and why the server cannot read
    it (None: it can)."""

    dtype: int
    shape: tuple[int, ...]
    error: str | None = None

    @property
    def dtype_name(self) -> str:
        return dtypes.dtype_name(self.dtype)

    @property
    def batch(self) -> int | None:
        """The size of the first dimension, None for a scalar."""
        return self.shape[0] if self.shape else None


def tensor_value(proto: Any) -> TensorValue:
    """What the server makes of a TensorProto (siglint's or TensorFlow's message)."""
    dtype = int(proto.dtype)
    sizes = tuple(int(dim.size) for dim in proto.tensor_shape.dim)
    error = _shape_error(sizes) or _dtype_error(dtype)
    if error is None:
        count = _elements(sizes)
        if count > 0 and proto.tensor_content:
            error = _content_error(dtype, bytes(proto.tensor_content), count)
    return TensorValue(dtype, sizes, error)


def _elements(sizes: tuple[int, ...]) -> int:
    count = 1
    for size in sizes:
        count *= size
    return count


def _shape_error(sizes: tuple[int, ...]) -> str | None:
    if len(sizes) > _MAX_DIMENSIONS:
        return f"the shape has {len(sizes)} dimensions, more than {_MAX_DIMENSIONS}"
    if any(size < 0 for size in sizes):
        return f"the shape {list(sizes)} has a negative size"
    if _elements(sizes) > _INT64_MAX:
        return f"the shape {list(sizes)} has more elements than an int64 counts"
    return None


def _dtype_error(dtype: int) -> str | None:
    if dtype == dtypes.DT_INVALID:
        return "its dtype is DT_INVALID"
    if dtype not in ELEMENT_BYTES and dtype not in (_STRING, _RESOURCE, _VARIANT):
        return f"TensorFlow cannot build a tensor of dtype {dtypes.dtype_name(dtype)}"
    return None


def _content_error(dtype: int, content: bytes, count: int) -> str | None:
    if dtype == _STRING:
        return None if _string_list_fits(content, count) else (
            f"its tensor_content does not hold {count} length-prefixed strings"
        )
    if dtype in (_RESOURCE, _VARIANT):
        return None
    expected = ELEMENT_BYTES[dtype] * count
    if len(content) != expected:
        return f"its tensor_content is {len(content)} bytes, {count} elements of {dtypes.dtype_name(dtype)} take {expected}"
    return None


def _string_list_fits(content: bytes, count: int) -> bool:
    """port::DecodeStringList: `count` varint lengths, then exactly that many bytes."""
    if count > len(content):  # every length takes a byte at least
        return False
    position, total = 0, 0
    for _ in range(count):
        value, shift = 0, 0
        while True:
            if position >= len(content) or shift > 28:
                return False
            byte = content[position]
            position += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        total += value
    return total == len(content) - position
