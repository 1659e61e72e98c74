"""TF2's nested structures (struct.proto's StructuredValue) decoded as TensorFlow's
`nested_structure_coder.decode_proto` decodes them, into plain Python values and small
stand-ins for TensorFlow's classes whose `repr` and `str` are TensorFlow's own: what
`saved_model_cli show --all` prints for a concrete function's arguments.

Decoding fails (LoadFails) exactly where TensorFlow's would, which makes its `load` fail. A value
TensorFlow can hold but siglint cannot print as TensorFlow does (a tensor or numpy array, a
BoundedTensorSpec, a type spec other than SparseTensorSpec and RaggedTensorSpec) decodes to an
Unrenderable saying what it is.
"""

from __future__ import annotations

import collections
from typing import Any

from siglint.savedmodel.dtypes import tf_name


class LoadFails(Exception):
    """TensorFlow's own decoding raises here, so `tf.saved_model.load` fails."""


class TensorShape:
    """tf.TensorShape: str ``(None, 3)``, ``(None,)``, ``<unknown>``; repr ``TensorShape([None, 3])``."""

    __slots__ = ("dims",)

    def __init__(self, dims: tuple[int | None, ...] | None) -> None:
        self.dims = dims

    def __repr__(self) -> str:
        return "TensorShape(None)" if self.dims is None else f"TensorShape({list(self.dims)!r})"

    def __str__(self) -> str:
        if self.dims is None:
            return "<unknown>"
        if len(self.dims) == 1:
            return f"({self.dims[0]},)"
        return "(" + ", ".join(str(d) for d in self.dims) + ")"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TensorShape) and other.dims == self.dims

    def __hash__(self) -> int:
        return hash(self.dims)


class DType:
    """tf.DType: repr ``tf.float32``, str ``<dtype: 'float32'>``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: {self.name!r}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DType) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


class TensorSpec:
    """tf.TensorSpec: ``TensorSpec(shape=(None, 1), dtype=tf.float32, name='x')``."""

    __slots__ = ("dtype", "name", "shape")

    def __init__(self, shape: TensorShape, dtype: DType, name: str | None) -> None:
        self.shape, self.dtype, self.name = shape, dtype, name

    def __repr__(self) -> str:
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype!r}, name={self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TensorSpec) and (other.shape, other.dtype, other.name) == (self.shape, self.dtype, self.name)

    def __hash__(self) -> int:
        return hash((self.shape, self.dtype, self.name))


class TypeSpec:
    """A composite tensor's spec, printed as TypeSpec.__repr__ does: its class name, then the
    tuple its `_serialize` gives (``SparseTensorSpec(TensorShape([None, 4]), tf.float32)``)."""

    __slots__ = ("class_name", "state")

    def __init__(self, class_name: str, state: tuple[Any, ...]) -> None:
        self.class_name, self.state = class_name, state

    def __repr__(self) -> str:
        return f"{self.class_name}{self.state}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TypeSpec) and (other.class_name, other.state) == (self.class_name, self.state)

    def __hash__(self) -> int:
        return hash((self.class_name, repr(self.state)))


class Unrenderable:
    """A value TensorFlow holds that siglint cannot print as TensorFlow would."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:
        return f"<{self.what}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unrenderable) and other.what == self.what

    def __hash__(self) -> int:
        return hash(self.what)


# TypeSpecProto.TypeSpecClass values whose classes keep TypeSpec.__repr__ and their state as is.
_TYPE_SPEC_CLASSES = {1: "SparseTensorSpec", 3: "RaggedTensorSpec"}


def _shape(proto: Any) -> TensorShape:
    if proto.unknown_rank:
        return TensorShape(None)
    dims: list[int | None] = []
    for dim in proto.dim:
        if dim.size < -1:
            raise LoadFails(f"dimension {dim.size} is negative")
        dims.append(None if dim.size == -1 else int(dim.size))
    return TensorShape(tuple(dims))


def _dtype(number: int) -> DType:
    name = tf_name(number)
    if name is None:
        raise LoadFails(f"{number} is not a TensorFlow dtype")
    return DType(name)


def decode(proto: Any) -> Any:
    """The Python value of a StructuredValue message (of siglint.savedmodel.inspect_proto)."""
    kind = proto.WhichOneof("kind")
    if kind is None:
        raise LoadFails("a StructuredValue holds no value")
    if kind == "none_value":
        return None
    if kind in ("float64_value", "int64_value", "string_value", "bool_value"):
        return getattr(proto, kind)
    if kind == "tensor_shape_value":
        return _shape(proto.tensor_shape_value)
    if kind == "tensor_dtype_value":
        return _dtype(proto.tensor_dtype_value)
    if kind == "tensor_spec_value":
        spec = proto.tensor_spec_value
        return TensorSpec(_shape(spec.shape), _dtype(spec.dtype), spec.name or None)
    if kind == "type_spec_value":
        return _type_spec(proto.type_spec_value)
    if kind in ("list_value", "tuple_value"):
        values = [decode(value) for value in getattr(proto, kind).values]
        return values if kind == "list_value" else tuple(values)
    if kind == "dict_value":
        # TensorFlow's dict follows the map's order, which varies between runs: siglint sorts.
        fields = proto.dict_value.fields
        return {key: decode(fields[key]) for key in sorted(fields)}
    if kind == "named_tuple_value":
        return _named_tuple(proto.named_tuple_value)
    what = {
        "bounded_tensor_spec_value": "a BoundedTensorSpec, whose bounds TensorFlow prints as numpy arrays",
        "tensor_value": "a tensor value",
        "numpy_value": "a numpy array",
    }[kind]
    return Unrenderable(what)


def _type_spec(proto: Any) -> Any:
    state = decode(proto.type_state)
    class_name = _TYPE_SPEC_CLASSES.get(proto.type_spec_class)
    if class_name is None or not isinstance(state, tuple):
        shown = proto.type_spec_class_name or f"type spec class {proto.type_spec_class}"
        return Unrenderable(f"a {shown}, whose printed form siglint does not know")
    return TypeSpec(class_name, state)


def _named_tuple(proto: Any) -> Any:
    keys = [pair.key for pair in proto.values]
    try:
        kind = collections.namedtuple(proto.name, keys)  # type: ignore[misc]
    except (ValueError, TypeError) as error:
        raise LoadFails(f"named tuple {proto.name!r}: {error}") from None
    return kind(**{pair.key: decode(pair.value) for pair in proto.values})


def is_iterable(value: Any) -> bool:
    """What `isinstance(value, collections.abc.Iterable)` says of the TensorFlow object `value`
    stands for, strings excluded (saved_model_cli prints those apart)."""
    return isinstance(value, (list, tuple, TensorShape))


def iterate(value: Any) -> list[Any]:
    """The items of an iterable value; a TensorShape of unknown rank cannot be iterated."""
    if isinstance(value, TensorShape):
        if value.dims is None:
            raise LoadFails("a shape of unknown rank cannot be iterated")
        return list(value.dims)
    return list(value)


def type_name(value: Any) -> str:
    """`type(value).__name__` of the TensorFlow object `value` stands for."""
    if isinstance(value, (TensorShape, DType, TensorSpec)):
        return type(value).__name__
    if isinstance(value, TypeSpec):
        return value.class_name
    return type(value).__name__


def unrenderable(value: Any) -> Unrenderable | None:
    """The first part of `value` siglint cannot print as TensorFlow would, if any."""
    if isinstance(value, Unrenderable):
        return value
    if isinstance(value, TypeSpec):
        value = value.state
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for item in value:
            found = unrenderable(item)
            if found is not None:
                return found
    return None
