"""The protobuf schema subset `siglint show` reads beyond the SignatureDefs and the graph, written
as code.

Two groups, loaded only by the commands that need them (a plain `siglint check` never does):
- what `saved_model_cli show --all` prints besides signatures and ops: a TF2 object graph's
  functions (saved_object_graph.proto; their input signatures are struct.proto's
  StructuredValue, in siglint.savedmodel.schema), with only the fields those need, and
  `fingerprint.pb` (fingerprint.proto); a `.pbtxt` SavedModel read for its graphs and object
  graphs. The graph itself is the graph subset's (siglint.savedmodel.graph_schema), which this
  file builds on;
- TF Serving's GetModelMetadata response (tensorflow_serving/apis/model.proto,
  get_model_metadata.proto), in the package `tensorflow.serving` so that a text-format response's
  `[type.googleapis.com/tensorflow.serving.SignatureDefMap]` resolves in siglint's own pool.

`siglint.savedmodel.inspect_proto` holds the serialized form; `python -m
siglint.savedmodel.inspect_schema` writes it again after a change here, and a test holds the two
to each other. Fields left out are unknown fields to protobuf, which no view reads.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2

from siglint.savedmodel import graph_schema
from siglint.savedmodel.schema import PACKAGE, _field, _map_entry, bytes_literal

_F = descriptor_pb2.FieldDescriptorProto
INSPECT_FILE_NAME = "siglint/proto/inspect.proto"
SERVING_FILE_NAME = "siglint/proto/serving_apis.proto"
SERVING_PACKAGE = "tensorflow.serving"
_WELL_KNOWN = ("google/protobuf/any.proto", "google/protobuf/wrappers.proto")


def _object_graph(file: descriptor_pb2.FileDescriptorProto) -> None:
    reference = file.message_type.add(name="ObjectReference")
    _field(reference, "node_id", 1, _F.TYPE_INT32)
    _field(reference, "local_name", 2, _F.TYPE_STRING)
    function = file.message_type.add(name="SavedFunction")
    _field(function, "concrete_functions", 1, _F.TYPE_STRING, repeated=True)
    bare = file.message_type.add(name="SavedBareConcreteFunction")
    _field(bare, "concrete_function_name", 1, _F.TYPE_STRING)
    _field(bare, "argument_keywords", 2, _F.TYPE_STRING, repeated=True)
    saved_object = file.message_type.add(name="SavedObject")
    saved_object.oneof_decl.add(name="kind")
    _field(saved_object, "children", 1, _F.TYPE_MESSAGE, type_name="ObjectReference", repeated=True)
    for name, number, type_name in (
        ("user_object", 4, "Opaque"), ("asset", 5, "Opaque"), ("function", 6, "SavedFunction"),
        ("variable", 7, "Opaque"), ("bare_concrete_function", 8, "SavedBareConcreteFunction"),
        ("constant", 9, "Opaque"), ("resource", 10, "Opaque"), ("captured_tensor", 12, "Opaque"),
    ):
        _field(saved_object, name, number, _F.TYPE_MESSAGE, type_name=type_name, oneof=0)
    concrete = file.message_type.add(name="SavedConcreteFunction")
    _field(concrete, "canonicalized_input_signature", 3, _F.TYPE_MESSAGE, type_name="StructuredValue")
    graph = file.message_type.add(name="SavedObjectGraph")
    _field(graph, "nodes", 1, _F.TYPE_MESSAGE, type_name="SavedObject", repeated=True)
    _map_entry(graph, "concrete_functions", 2, "SavedConcreteFunction")


def _fingerprint(file: descriptor_pb2.FileDescriptorProto) -> None:
    fingerprint = file.message_type.add(name="FingerprintDef")
    for name, number in (
        ("saved_model_checksum", 1), ("graph_def_program_hash", 2), ("signature_def_hash", 3),
        ("saved_object_graph_hash", 4), ("checkpoint_hash", 5),
    ):
        _field(fingerprint, name, number, _F.TYPE_UINT64)
    _field(fingerprint, "uuid", 7, _F.TYPE_STRING)
    _field(fingerprint, "version", 6, _F.TYPE_MESSAGE, type_name="VersionDef")


def _saved_model(file: descriptor_pb2.FileDescriptorProto) -> None:
    """A SavedModel read for its graphs and object graphs only (a `.pbtxt`, parsed whole)."""
    meta_graph = file.message_type.add(name="InspectedMetaGraph")
    _field(meta_graph, "graph_def", 2, _F.TYPE_MESSAGE, type_name="GraphDef")
    _field(meta_graph, "object_graph_def", 7, _F.TYPE_MESSAGE, type_name="SavedObjectGraph")
    saved_model = file.message_type.add(name="InspectedSavedModel")
    _field(saved_model, "meta_graphs", 2, _F.TYPE_MESSAGE, type_name="InspectedMetaGraph", repeated=True)


def build_inspect_file() -> descriptor_pb2.FileDescriptorProto:
    file = descriptor_pb2.FileDescriptorProto(
        name=INSPECT_FILE_NAME, package=PACKAGE, syntax="proto3",
        dependency=[graph_schema.SAVED_MODEL_FILE_NAME, graph_schema.FILE_NAME],
    )
    for add in (_object_graph, _fingerprint, _saved_model):
        add(file)
    return file


def build_serving_file() -> descriptor_pb2.FileDescriptorProto:
    file = descriptor_pb2.FileDescriptorProto(
        name=SERVING_FILE_NAME, package=SERVING_PACKAGE, syntax="proto3",
        dependency=[INSPECT_FILE_NAME, *_WELL_KNOWN],
    )
    spec = file.message_type.add(name="ModelSpec")
    spec.oneof_decl.add(name="version_choice")
    _field(spec, "name", 1, _F.TYPE_STRING)
    _field(spec, "version", 2, _F.TYPE_MESSAGE, type_name=".google.protobuf.Int64Value", oneof=0)
    _field(spec, "version_label", 4, _F.TYPE_STRING, oneof=0)
    _field(spec, "signature_name", 3, _F.TYPE_STRING)
    scope = f".{SERVING_PACKAGE}"
    signature_map = file.message_type.add(name="SignatureDefMap")
    _map_entry(signature_map, "signature_def", 1, f".{PACKAGE}.SignatureDef", scope=f"{scope}.SignatureDefMap")
    response = file.message_type.add(name="GetModelMetadataResponse")
    _field(response, "model_spec", 1, _F.TYPE_MESSAGE, type_name=f"{scope}.ModelSpec")
    _map_entry(response, "metadata", 2, ".google.protobuf.Any", scope=f"{scope}.GetModelMetadataResponse")
    return file


def serialized() -> tuple[bytes, bytes]:
    return (
        build_inspect_file().SerializeToString(deterministic=True),
        build_serving_file().SerializeToString(deterministic=True),
    )


def generated_module() -> str:
    """The text of siglint/savedmodel/inspect_proto.py."""
    inspect, serving = serialized()
    return _MODULE.format(inspect=bytes_literal(inspect), serving=bytes_literal(serving))


_MODULE = '''"""The protobuf messages `siglint show` reads with: the schema of
`siglint.savedmodel.inspect_schema`, as serialized FileDescriptorProtos, added to the pool of
`siglint.savedmodel.proto` when first imported (never by a plain `siglint check`), after the graph
subset it builds on (`siglint.savedmodel.graph_proto`).

Generated by `python -m siglint.savedmodel.inspect_schema`; do not edit.
"""

from __future__ import annotations

from google.protobuf import any_pb2, message_factory, wrappers_pb2

# Imported for its file, the graph subset, which the inspection file builds on: added to the pool.
from siglint.savedmodel import graph_proto  # noqa: F401
from siglint.savedmodel.proto import _POOL

INSPECT_FILE = (
{inspect}
)
SERVING_FILE = (
{serving}
)


def _add_once(serialized: bytes, name: str) -> None:
    try:
        _POOL.FindFileByName(name)
    except KeyError:
        _POOL.AddSerializedFile(serialized)


_add_once(any_pb2.DESCRIPTOR.serialized_pb, any_pb2.DESCRIPTOR.name)
_add_once(wrappers_pb2.DESCRIPTOR.serialized_pb, wrappers_pb2.DESCRIPTOR.name)
_add_once(INSPECT_FILE, "siglint/proto/inspect.proto")
_add_once(SERVING_FILE, "siglint/proto/serving_apis.proto")


def _message_class(full_name: str) -> type:
    return message_factory.GetMessageClass(_POOL.FindMessageTypeByName(full_name))


POOL = _POOL
SavedObjectGraph = _message_class("siglint.proto.SavedObjectGraph")
StructuredValue = _message_class("siglint.proto.StructuredValue")
FingerprintDef = _message_class("siglint.proto.FingerprintDef")
InspectedSavedModel = _message_class("siglint.proto.InspectedSavedModel")
ModelSpec = _message_class("tensorflow.serving.ModelSpec")
SignatureDefMap = _message_class("tensorflow.serving.SignatureDefMap")
GetModelMetadataResponse = _message_class("tensorflow.serving.GetModelMetadataResponse")
'''


if __name__ == "__main__":
    import pathlib

    pathlib.Path(__file__).with_name("inspect_proto.py").write_text(generated_module(), encoding="utf-8")
