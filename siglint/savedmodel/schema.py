"""The protobuf schema subset siglint reads, written as code (no protoc, no TensorFlow).

`siglint.savedmodel.proto` holds its serialized FileDescriptorProto, so that reading a model never
imports `descriptor_pb2` (a start-up cost); `python -m siglint.savedmodel.schema` writes that
form again after a change here, and a test holds the two to each other. The graph subset
(`siglint.savedmodel.graph_schema`) and show's (`siglint.savedmodel.inspect_schema`) build on it.

Field numbers follow tensorflow/core/protobuf/{saved_model,meta_graph,struct}.proto and
tensorflow/core/framework/{types,tensor_shape,tensor,resource_handle}.proto. A SignatureDef is
modelled whole (a composite tensor's type spec, a default's value), so that it is read as strictly
as TensorFlow reads it and printed whole (`siglint show --format metadata`). The package is ``siglint.proto``
so that a process which also imports TensorFlow never sees a descriptor-pool clash; TF's own
messages are accepted by serializing and re-parsing. Fields siglint does not need are either
left out (kept as unknown fields) or typed as the empty ``Opaque`` message, which protobuf skips
without interpreting.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2

from siglint.savedmodel.dtypes import DTYPE_NUMBERS

_F = descriptor_pb2.FieldDescriptorProto
_OPTIONAL, _REPEATED = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED
PACKAGE = "siglint.proto"
OPAQUE_UNUSED_FIELD = 2**29 - 2  # one below the largest field number protobuf allows: nobody's


# Map values that are scalars, by the name `_map_entry` takes; any other name is a message.
_SCALARS = {"string": _F.TYPE_STRING, "int64": _F.TYPE_INT64, "int32": _F.TYPE_INT32}


def _field(
    msg: descriptor_pb2.DescriptorProto,
    name: str,
    number: int,
    kind: int,
    *,
    type_name: str = "",
    repeated: bool = False,
    oneof: int | None = None,
    package: str = PACKAGE,
) -> None:
    """Add a field to `msg`; `type_name` is relative to `package` (a leading dot: absolute)."""
    field = msg.field.add(
        name=name, number=number, type=kind, label=_REPEATED if repeated else _OPTIONAL
    )
    if type_name:
        field.type_name = type_name if type_name.startswith(".") else f".{package}.{type_name}"
    if oneof is not None:
        field.oneof_index = oneof


def _map_entry(
    msg: descriptor_pb2.DescriptorProto,
    field_name: str,
    number: int,
    value_type: str,
    scope: str = "",  # the full name of `msg` when it is nested
    package: str = PACKAGE,
) -> None:
    """Add `map<string, value_type> field_name = number;` to `msg`."""
    entry_name = "".join(part.title() for part in field_name.split("_")) + "Entry"
    entry = msg.nested_type.add(name=entry_name)
    entry.options.map_entry = True
    _field(entry, "key", 1, _F.TYPE_STRING)
    if value_type in _SCALARS:
        _field(entry, "value", 2, _SCALARS[value_type])
    else:
        _field(entry, "value", 2, _F.TYPE_MESSAGE, type_name=value_type, package=package)
    _field(
        msg, field_name, number, _F.TYPE_MESSAGE, type_name=f"{scope or msg.name}.{entry_name}",
        repeated=True, package=package,
    )



# For the schemas that build on this one (siglint.serving.schema).
add_field, add_map_entry = _field, _map_entry


def _tensor_parts(file: descriptor_pb2.FileDescriptorProto) -> None:
    """resource_handle.proto and tensor.proto's VariantTensorDataProto: a default's value whole."""
    handle = file.message_type.add(name="ResourceHandleProto")
    dtype_and_shape = handle.nested_type.add(name="DtypeAndShape")
    _field(dtype_and_shape, "dtype", 1, _F.TYPE_ENUM, type_name="DataType")
    _field(dtype_and_shape, "shape", 2, _F.TYPE_MESSAGE, type_name="TensorShapeProto")
    for name, number, kind in (
        ("device", 1, _F.TYPE_STRING), ("container", 2, _F.TYPE_STRING), ("name", 3, _F.TYPE_STRING),
        ("hash_code", 4, _F.TYPE_UINT64), ("maybe_type_name", 5, _F.TYPE_STRING),
    ):
        _field(handle, name, number, kind)
    _field(handle, "dtypes_and_shapes", 6, _F.TYPE_MESSAGE, type_name="ResourceHandleProto.DtypeAndShape", repeated=True)
    variant = file.message_type.add(name="VariantTensorDataProto")
    _field(variant, "type_name", 1, _F.TYPE_STRING)
    _field(variant, "metadata", 2, _F.TYPE_BYTES)
    _field(variant, "tensors", 3, _F.TYPE_MESSAGE, type_name="TensorProto", repeated=True)


# struct.proto's TypeSpecProto.TypeSpecClass, by number ("" where none is defined).
TYPE_SPEC_CLASSES = (
    "UNKNOWN", "SPARSE_TENSOR_SPEC", "INDEXED_SLICES_SPEC", "RAGGED_TENSOR_SPEC", "TENSOR_ARRAY_SPEC",
    "DATA_DATASET_SPEC", "DATA_ITERATOR_SPEC", "OPTIONAL_SPEC", "PER_REPLICA_SPEC", "VARIABLE_SPEC",
    "ROW_PARTITION_SPEC", "", "REGISTERED_TYPE_SPEC", "EXTENSION_TYPE_SPEC",
)


def _structure(file: descriptor_pb2.FileDescriptorProto) -> None:
    """struct.proto: a composite tensor's TypeSpecProto, and the nested structures TF2 writes for
    function signatures (StructuredValue)."""
    value = file.message_type.add(name="StructuredValue")
    value.oneof_decl.add(name="kind")
    file.message_type.add(name="NoneValue")
    for message in ("ListValue", "TupleValue"):
        _field(file.message_type.add(name=message), "values", 1, _F.TYPE_MESSAGE, type_name="StructuredValue", repeated=True)
    _map_entry(file.message_type.add(name="DictValue"), "fields", 1, "StructuredValue")
    pair = file.message_type.add(name="PairValue")
    _field(pair, "key", 1, _F.TYPE_STRING)
    _field(pair, "value", 2, _F.TYPE_MESSAGE, type_name="StructuredValue")
    named = file.message_type.add(name="NamedTupleValue")
    _field(named, "name", 1, _F.TYPE_STRING)
    _field(named, "values", 2, _F.TYPE_MESSAGE, type_name="PairValue", repeated=True)
    for message, bounded in (("TensorSpecProto", False), ("BoundedTensorSpecProto", True)):
        spec = file.message_type.add(name=message)
        _field(spec, "name", 1, _F.TYPE_STRING)
        _field(spec, "shape", 2, _F.TYPE_MESSAGE, type_name="TensorShapeProto")
        _field(spec, "dtype", 3, _F.TYPE_ENUM, type_name="DataType")
        if bounded:
            _field(spec, "minimum", 4, _F.TYPE_MESSAGE, type_name="TensorProto")
            _field(spec, "maximum", 5, _F.TYPE_MESSAGE, type_name="TensorProto")
    type_spec = file.message_type.add(name="TypeSpecProto")
    classes = type_spec.enum_type.add(name="TypeSpecClass")
    for number, name in enumerate(TYPE_SPEC_CLASSES):
        if name:
            classes.value.add(name=name, number=number)
    _field(type_spec, "type_spec_class", 1, _F.TYPE_ENUM, type_name="TypeSpecProto.TypeSpecClass")
    _field(type_spec, "type_state", 2, _F.TYPE_MESSAGE, type_name="StructuredValue")
    _field(type_spec, "type_spec_class_name", 3, _F.TYPE_STRING)
    _field(type_spec, "num_flat_components", 4, _F.TYPE_INT32)
    for name, number, kind, type_name in (
        ("none_value", 1, _F.TYPE_MESSAGE, "NoneValue"), ("float64_value", 11, _F.TYPE_DOUBLE, ""),
        ("int64_value", 12, _F.TYPE_SINT64, ""), ("string_value", 13, _F.TYPE_STRING, ""),
        ("bool_value", 14, _F.TYPE_BOOL, ""), ("tensor_shape_value", 31, _F.TYPE_MESSAGE, "TensorShapeProto"),
        ("tensor_dtype_value", 32, _F.TYPE_ENUM, "DataType"),
        ("tensor_spec_value", 33, _F.TYPE_MESSAGE, "TensorSpecProto"),
        ("type_spec_value", 34, _F.TYPE_MESSAGE, "TypeSpecProto"),
        ("bounded_tensor_spec_value", 35, _F.TYPE_MESSAGE, "BoundedTensorSpecProto"),
        ("list_value", 51, _F.TYPE_MESSAGE, "ListValue"), ("tuple_value", 52, _F.TYPE_MESSAGE, "TupleValue"),
        ("dict_value", 53, _F.TYPE_MESSAGE, "DictValue"),
        ("named_tuple_value", 54, _F.TYPE_MESSAGE, "NamedTupleValue"),
        ("tensor_value", 55, _F.TYPE_MESSAGE, "TensorProto"), ("numpy_value", 56, _F.TYPE_MESSAGE, "TensorProto"),
    ):
        _field(value, name, number, kind, type_name=type_name, oneof=0)


def build_file() -> descriptor_pb2.FileDescriptorProto:
    file = descriptor_pb2.FileDescriptorProto(
        name="siglint/proto/saved_model_subset.proto", package=PACKAGE, syntax="proto3"
    )

    data_type = file.enum_type.add(name="DataType")
    for dtype_name, number in DTYPE_NUMBERS.items():
        data_type.value.add(name=dtype_name, number=number)

    # A message siglint does not model (a graph, a collection, a type spec): protobuf checks its
    # fields' framing, one level deep, and keeps them as unknown fields. It has one field no
    # message uses, because upb accepts the invalid field number 0 inside a message type without
    # fields, where TensorFlow's own schema (GraphDef, ...) rejects it.
    opaque = file.message_type.add(name="Opaque")
    _field(opaque, "unused", OPAQUE_UNUSED_FIELD, _F.TYPE_BYTES)

    shape = file.message_type.add(name="TensorShapeProto")
    dim = shape.nested_type.add(name="Dim")
    _field(dim, "size", 1, _F.TYPE_INT64)
    _field(dim, "name", 2, _F.TYPE_STRING)
    _field(shape, "dim", 2, _F.TYPE_MESSAGE, type_name="TensorShapeProto.Dim", repeated=True)
    _field(shape, "unknown_rank", 3, _F.TYPE_BOOL)

    # Every field, so that a default's value parses strictly from text (tensor.proto).
    tensor = file.message_type.add(name="TensorProto")
    _field(tensor, "dtype", 1, _F.TYPE_ENUM, type_name="DataType")
    _field(tensor, "tensor_shape", 2, _F.TYPE_MESSAGE, type_name="TensorShapeProto")
    _field(tensor, "version_number", 3, _F.TYPE_INT32)
    _field(tensor, "tensor_content", 4, _F.TYPE_BYTES)
    for name, number, kind in (
        ("float_val", 5, _F.TYPE_FLOAT), ("double_val", 6, _F.TYPE_DOUBLE),
        ("int_val", 7, _F.TYPE_INT32), ("string_val", 8, _F.TYPE_BYTES),
        ("scomplex_val", 9, _F.TYPE_FLOAT), ("int64_val", 10, _F.TYPE_INT64),
        ("bool_val", 11, _F.TYPE_BOOL), ("dcomplex_val", 12, _F.TYPE_DOUBLE),
        ("half_val", 13, _F.TYPE_INT32), ("uint32_val", 16, _F.TYPE_UINT32),
        ("uint64_val", 17, _F.TYPE_UINT64),
    ):
        _field(tensor, name, number, kind, repeated=True)
    _field(tensor, "resource_handle_val", 14, _F.TYPE_MESSAGE, type_name="ResourceHandleProto", repeated=True)
    _field(tensor, "variant_val", 15, _F.TYPE_MESSAGE, type_name="VariantTensorDataProto", repeated=True)
    _field(tensor, "float8_val", 18, _F.TYPE_BYTES)
    _tensor_parts(file)
    _structure(file)

    info = file.message_type.add(name="TensorInfo")
    info.oneof_decl.add(name="encoding")
    coo = info.nested_type.add(name="CooSparse")
    _field(coo, "values_tensor_name", 1, _F.TYPE_STRING)
    _field(coo, "indices_tensor_name", 2, _F.TYPE_STRING)
    _field(coo, "dense_shape_tensor_name", 3, _F.TYPE_STRING)
    composite = info.nested_type.add(name="CompositeTensor")
    _field(composite, "type_spec", 1, _F.TYPE_MESSAGE, type_name="TypeSpecProto")
    _field(composite, "components", 2, _F.TYPE_MESSAGE, type_name="TensorInfo", repeated=True)
    _field(info, "name", 1, _F.TYPE_STRING, oneof=0)
    _field(info, "coo_sparse", 4, _F.TYPE_MESSAGE, type_name="TensorInfo.CooSparse", oneof=0)
    _field(
        info, "composite_tensor", 5, _F.TYPE_MESSAGE, type_name="TensorInfo.CompositeTensor", oneof=0
    )
    _field(info, "dtype", 2, _F.TYPE_ENUM, type_name="DataType")
    _field(info, "tensor_shape", 3, _F.TYPE_MESSAGE, type_name="TensorShapeProto")

    signature = file.message_type.add(name="SignatureDef")
    _map_entry(signature, "inputs", 1, "TensorInfo")
    _map_entry(signature, "outputs", 2, "TensorInfo")
    _field(signature, "method_name", 3, _F.TYPE_STRING)
    _map_entry(signature, "defaults", 4, "TensorProto")

    meta_graph = file.message_type.add(name="MetaGraphDef")
    meta_info = meta_graph.nested_type.add(name="MetaInfoDef")
    _field(meta_info, "meta_graph_version", 1, _F.TYPE_STRING)
    _field(meta_info, "stripped_op_list", 2, _F.TYPE_MESSAGE, type_name="Opaque")
    _field(meta_info, "any_info", 3, _F.TYPE_MESSAGE, type_name="Opaque")
    _field(meta_info, "tags", 4, _F.TYPE_STRING, repeated=True)
    _field(meta_info, "tensorflow_version", 5, _F.TYPE_STRING)
    _field(meta_info, "tensorflow_git_version", 6, _F.TYPE_STRING)
    _field(meta_info, "stripped_default_attrs", 7, _F.TYPE_BOOL)
    _map_entry(meta_info, "function_aliases", 8, "string", scope="MetaGraphDef.MetaInfoDef")
    _field(meta_graph, "meta_info_def", 1, _F.TYPE_MESSAGE, type_name="MetaGraphDef.MetaInfoDef")
    _field(meta_graph, "graph_def", 2, _F.TYPE_MESSAGE, type_name="Opaque")
    _field(meta_graph, "saver_def", 3, _F.TYPE_MESSAGE, type_name="Opaque")
    _map_entry(meta_graph, "collection_def", 4, "Opaque")
    _map_entry(meta_graph, "signature_def", 5, "SignatureDef")
    _field(meta_graph, "asset_file_def", 6, _F.TYPE_MESSAGE, type_name="Opaque", repeated=True)
    _field(meta_graph, "object_graph_def", 7, _F.TYPE_MESSAGE, type_name="Opaque")

    saved_model = file.message_type.add(name="SavedModel")
    _field(saved_model, "saved_model_schema_version", 1, _F.TYPE_INT64)
    _field(saved_model, "meta_graphs", 2, _F.TYPE_MESSAGE, type_name="MetaGraphDef", repeated=True)
    return file


def serialized(file: descriptor_pb2.FileDescriptorProto | None = None) -> bytes:
    return (file or build_file()).SerializeToString(deterministic=True)


def bytes_literal(data: bytes) -> str:
    """`data` as the lines of a parenthesised bytes literal of a generated module."""
    chunks, start = [], 0
    while start < len(data):
        end = start + 1
        while end < len(data) and len(repr(data[start : end + 1])) <= 92:
            end += 1
        chunks.append(repr(data[start:end]))
        start = end
    return "\n".join(f"    {chunk}" for chunk in chunks)


def generated_module() -> str:
    """The text of siglint/savedmodel/proto.py."""
    return _PROTO_MODULE.format(package=PACKAGE, literal=bytes_literal(serialized()))


_PROTO_MODULE = '''"""The protobuf messages siglint reads SavedModels with: the schema subset of
`siglint.savedmodel.schema`, as its serialized FileDescriptorProto, loaded into a pool of its own.

Generated by `python -m siglint.savedmodel.schema`; do not edit. The package is `{package}`, so
that a process which also imports TensorFlow never sees a descriptor-pool clash; TF's own
messages are accepted by serializing and re-parsing.
"""

from __future__ import annotations

from google.protobuf import descriptor_pool, message_factory

PACKAGE = "{package}"
SERIALIZED_FILE = (
{literal}
)


def _message_class(pool: descriptor_pool.DescriptorPool, name: str) -> type:
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{{PACKAGE}}.{{name}}"))


_POOL = descriptor_pool.DescriptorPool()
_POOL.AddSerializedFile(SERIALIZED_FILE)
SavedModel = _message_class(_POOL, "SavedModel")
MetaGraphDef = _message_class(_POOL, "MetaGraphDef")
SignatureDef = _message_class(_POOL, "SignatureDef")
TensorInfo = _message_class(_POOL, "TensorInfo")
TensorProto = _message_class(_POOL, "TensorProto")
'''


if __name__ == "__main__":
    import pathlib

    pathlib.Path(__file__).with_name("proto.py").write_text(generated_module(), encoding="utf-8")
