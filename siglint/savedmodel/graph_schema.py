"""The graph subset of the SavedModel schema, written as code: what siglint reads of a
MetaGraphDef's graph, for the graph rules and for `siglint show`'s ops and functions.

It models tensorflow/core/framework/graph.proto, node_def.proto, attr_value.proto,
function.proto (the function library and its registered gradients), op_def.proto and
versions.proto, and the fields of meta_graph.proto that name nodes (saver_def, collection_def,
asset_file_def); and Keras' keras_metadata.pb. Tensor contents (`AttrValue.tensor`) and shapes
stay `Opaque`: a Const's value is never decoded. It is a file of its own, built on the SavedModel
subset (`siglint.savedmodel.schema`) and loaded only when a graph is read, so that a check
without graph rules never loads it; the inspection schema (`siglint.savedmodel.inspect_schema`)
builds on it in turn.

`siglint.savedmodel.graph_proto` holds the serialized form; `python -m
siglint.savedmodel.graph_schema` writes it again after a change here, and a test holds the two to
each other.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2

from siglint.savedmodel import schema
from siglint.savedmodel.schema import PACKAGE, _field, _map_entry, bytes_literal

_F = descriptor_pb2.FieldDescriptorProto
FILE_NAME = "siglint/proto/graph_subset.proto"
SAVED_MODEL_FILE_NAME = "siglint/proto/saved_model_subset.proto"


def build_file() -> descriptor_pb2.FileDescriptorProto:
    file = descriptor_pb2.FileDescriptorProto(
        name=FILE_NAME, package=PACKAGE, syntax="proto3", dependency=[SAVED_MODEL_FILE_NAME]
    )
    name_attr_list = file.message_type.add(name="NameAttrList")
    _field(name_attr_list, "name", 1, _F.TYPE_STRING)
    _map_entry(name_attr_list, "attr", 2, "AttrValue")

    attr = file.message_type.add(name="AttrValue")
    attr.oneof_decl.add(name="value")
    values = attr.nested_type.add(name="ListValue")
    _field(values, "s", 2, _F.TYPE_BYTES, repeated=True)
    _field(values, "i", 3, _F.TYPE_INT64, repeated=True)
    _field(values, "type", 6, _F.TYPE_ENUM, type_name="DataType", repeated=True)
    _field(values, "func", 9, _F.TYPE_MESSAGE, type_name="NameAttrList", repeated=True)
    _field(attr, "list", 1, _F.TYPE_MESSAGE, type_name="AttrValue.ListValue", oneof=0)
    _field(attr, "s", 2, _F.TYPE_BYTES, oneof=0)
    _field(attr, "i", 3, _F.TYPE_INT64, oneof=0)
    _field(attr, "b", 5, _F.TYPE_BOOL, oneof=0)
    _field(attr, "type", 6, _F.TYPE_ENUM, type_name="DataType", oneof=0)
    _field(attr, "shape", 7, _F.TYPE_MESSAGE, type_name="Opaque", oneof=0)
    _field(attr, "tensor", 8, _F.TYPE_MESSAGE, type_name="Opaque", oneof=0)
    _field(attr, "placeholder", 9, _F.TYPE_STRING, oneof=0)
    _field(attr, "func", 10, _F.TYPE_MESSAGE, type_name="NameAttrList", oneof=0)

    node = file.message_type.add(name="NodeDef")
    _field(node, "name", 1, _F.TYPE_STRING)
    _field(node, "op", 2, _F.TYPE_STRING)
    _field(node, "input", 3, _F.TYPE_STRING, repeated=True)
    _field(node, "device", 4, _F.TYPE_STRING)
    _map_entry(node, "attr", 5, "AttrValue")

    arg = file.message_type.add(name="ArgDef")  # OpDef.ArgDef
    _field(arg, "name", 1, _F.TYPE_STRING)
    _field(arg, "type", 3, _F.TYPE_ENUM, type_name="DataType")
    _field(arg, "type_attr", 4, _F.TYPE_STRING)
    _field(arg, "number_attr", 5, _F.TYPE_STRING)
    _field(arg, "type_list_attr", 6, _F.TYPE_STRING)
    _field(arg, "is_ref", 16, _F.TYPE_BOOL)
    op_def = file.message_type.add(name="OpDef")
    _field(op_def, "name", 1, _F.TYPE_STRING)
    _field(op_def, "input_arg", 2, _F.TYPE_MESSAGE, type_name="ArgDef", repeated=True)
    _field(op_def, "output_arg", 3, _F.TYPE_MESSAGE, type_name="ArgDef", repeated=True)

    function = file.message_type.add(name="FunctionDef")
    _field(function, "signature", 1, _F.TYPE_MESSAGE, type_name="OpDef")
    _field(function, "node_def", 3, _F.TYPE_MESSAGE, type_name="NodeDef", repeated=True)
    _map_entry(function, "ret", 4, "string")
    gradient = file.message_type.add(name="RegisteredGradient")
    _field(gradient, "gradient_func", 1, _F.TYPE_STRING)
    _field(gradient, "registered_op_type", 2, _F.TYPE_STRING)
    library = file.message_type.add(name="FunctionDefLibrary")
    _field(library, "function", 1, _F.TYPE_MESSAGE, type_name="FunctionDef", repeated=True)
    _field(library, "registered_gradients", 3, _F.TYPE_MESSAGE, type_name="RegisteredGradient", repeated=True)

    versions = file.message_type.add(name="VersionDef")  # also a fingerprint's version
    _field(versions, "producer", 1, _F.TYPE_INT32)
    _field(versions, "min_consumer", 2, _F.TYPE_INT32)
    _field(versions, "bad_consumers", 3, _F.TYPE_INT32, repeated=True)

    graph = file.message_type.add(name="GraphDef")
    _field(graph, "node", 1, _F.TYPE_MESSAGE, type_name="NodeDef", repeated=True)
    _field(graph, "library", 2, _F.TYPE_MESSAGE, type_name="FunctionDefLibrary")
    _field(graph, "versions", 4, _F.TYPE_MESSAGE, type_name="VersionDef")

    saver = file.message_type.add(name="SaverDef")
    _field(saver, "filename_tensor_name", 1, _F.TYPE_STRING)
    _field(saver, "save_tensor_name", 2, _F.TYPE_STRING)
    _field(saver, "restore_op_name", 3, _F.TYPE_STRING)

    any_ = file.message_type.add(name="Any")  # google.protobuf.Any's fields
    _field(any_, "type_url", 1, _F.TYPE_STRING)
    _field(any_, "value", 2, _F.TYPE_BYTES)
    collection = file.message_type.add(name="CollectionDef")
    collection.oneof_decl.add(name="kind")
    node_list = collection.nested_type.add(name="NodeList")
    _field(node_list, "value", 1, _F.TYPE_STRING, repeated=True)
    any_list = collection.nested_type.add(name="AnyList")
    _field(any_list, "value", 1, _F.TYPE_MESSAGE, type_name="Any", repeated=True)
    _field(collection, "node_list", 1, _F.TYPE_MESSAGE, type_name="CollectionDef.NodeList", oneof=0)
    _field(collection, "any_list", 5, _F.TYPE_MESSAGE, type_name="CollectionDef.AnyList", oneof=0)

    asset = file.message_type.add(name="AssetFileDef")
    _field(asset, "tensor_info", 1, _F.TYPE_MESSAGE, type_name="TensorInfo")
    _field(asset, "filename", 2, _F.TYPE_STRING)

    # A MetaGraphDef as the graph rules read it, and a SavedModel of them (for .pbtxt files).
    meta_graph = file.message_type.add(name="GraphMetaGraph")
    _field(meta_graph, "graph_def", 2, _F.TYPE_MESSAGE, type_name="GraphDef")
    _field(meta_graph, "saver_def", 3, _F.TYPE_MESSAGE, type_name="SaverDef")
    _map_entry(meta_graph, "collection_def", 4, "CollectionDef")
    _field(meta_graph, "asset_file_def", 6, _F.TYPE_MESSAGE, type_name="AssetFileDef", repeated=True)
    saved_model = file.message_type.add(name="GraphSavedModel")
    _field(saved_model, "meta_graphs", 2, _F.TYPE_MESSAGE, type_name="GraphMetaGraph", repeated=True)
    # keras_metadata.pb (Keras' saved_metadata.proto): what the TF-format Keras SavedModel says of
    # each layer, read for its Lambda layers.
    keras_object = file.message_type.add(name="KerasSavedObject")
    _field(keras_object, "node_id", 2, _F.TYPE_INT32)
    _field(keras_object, "node_path", 3, _F.TYPE_STRING)
    _field(keras_object, "identifier", 4, _F.TYPE_STRING)
    _field(keras_object, "metadata", 5, _F.TYPE_STRING)
    keras_metadata = file.message_type.add(name="KerasSavedMetadata")
    _field(keras_metadata, "nodes", 1, _F.TYPE_MESSAGE, type_name="KerasSavedObject", repeated=True)
    return file


def serialized() -> bytes:
    return schema.serialized(build_file())


def generated_module() -> str:
    """The text of siglint/savedmodel/graph_proto.py."""
    return _MODULE.format(literal=bytes_literal(serialized()))


_MODULE = '''"""The protobuf messages siglint reads graphs with: the graph subset of
`siglint.savedmodel.graph_schema`, added to the pool of `siglint.savedmodel.proto` when the first
graph is read, so that a check without graph rules never loads it.

Generated by `python -m siglint.savedmodel.graph_schema`; do not edit.
"""

from __future__ import annotations

from siglint.savedmodel.proto import _POOL, _message_class

SERIALIZED_FILE = (
{literal}
)

_POOL.AddSerializedFile(SERIALIZED_FILE)
NodeDef = _message_class(_POOL, "NodeDef")
AttrValue = _message_class(_POOL, "AttrValue")
FunctionDef = _message_class(_POOL, "FunctionDef")
FunctionDefLibrary = _message_class(_POOL, "FunctionDefLibrary")
OpDef = _message_class(_POOL, "OpDef")
VersionDef = _message_class(_POOL, "VersionDef")
GraphDef = _message_class(_POOL, "GraphDef")
GraphMetaGraph = _message_class(_POOL, "GraphMetaGraph")
GraphSavedModel = _message_class(_POOL, "GraphSavedModel")
AssetFileDef = _message_class(_POOL, "AssetFileDef")
KerasSavedMetadata = _message_class(_POOL, "KerasSavedMetadata")
'''


if __name__ == "__main__":
    import pathlib

    pathlib.Path(__file__).with_name("graph_proto.py").write_text(generated_module(), encoding="utf-8")
