"""The TF Serving messages siglint reads, written as code (no protoc, no tensorflow-serving-api).

`siglint.serving.proto` holds their serialized FileDescriptorProto, so that reading a warmup file
or a `models.config` never imports `descriptor_pb2`; `python -m siglint.serving.schema` writes
that form again after a change here, and a test holds the two to each other and every message to
the same message of tensorflow-serving-api (field numbers, names, types).

Field numbers follow tensorflow_serving/config/{model_server_config,file_system_storage_path_source,
logging_config}.proto, tensorflow_serving/apis/{model,input,predict,classification,regression,
inference,session_service,prediction_log}.proto and tensorflow/core/example/{example,feature}.proto.
Tensors are the SavedModel schema's `TensorProto` (siglint/savedmodel/schema.py), which this file
imports. The package is ``siglint.serving``: a process that also imports tensorflow-serving-api
sees no descriptor-pool clash. Responses, run options and streaming options are typed as the empty
``Opaque`` message: a warmup record's response is never read, and protobuf skips them unread.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2

from siglint.savedmodel import schema as saved_model_schema

_F = descriptor_pb2.FieldDescriptorProto
PACKAGE = "siglint.serving"
FILE_NAME = "siglint/proto/serving_subset.proto"
# The SavedModel schema's messages, by their full names.
TENSOR = f".{saved_model_schema.PACKAGE}.TensorProto"
OPAQUE = f".{saved_model_schema.PACKAGE}.Opaque"

def _add(msg: descriptor_pb2.DescriptorProto, name: str, number: int, kind: int, **options: object) -> None:
    saved_model_schema.add_field(msg, name, number, kind, package=PACKAGE, **options)  # type: ignore[arg-type]


def _message(msg: descriptor_pb2.DescriptorProto, name: str, number: int, type_name: str, **options: object) -> None:
    _add(msg, name, number, _F.TYPE_MESSAGE, type_name=type_name, **options)


def _map(msg: descriptor_pb2.DescriptorProto, name: str, number: int, value_type: str, scope: str = "") -> None:
    saved_model_schema.add_map_entry(msg, name, number, value_type, scope, package=PACKAGE)


def _examples(file: descriptor_pb2.FileDescriptorProto) -> None:
    """tensorflow/core/example/{feature,example}.proto."""
    for name, kind in (("BytesList", _F.TYPE_BYTES), ("FloatList", _F.TYPE_FLOAT), ("Int64List", _F.TYPE_INT64)):
        _add(file.message_type.add(name=name), "value", 1, kind, repeated=True)
    feature = file.message_type.add(name="Feature")
    feature.oneof_decl.add(name="kind")
    _message(feature, "bytes_list", 1, "BytesList", oneof=0)
    _message(feature, "float_list", 2, "FloatList", oneof=0)
    _message(feature, "int64_list", 3, "Int64List", oneof=0)
    features = file.message_type.add(name="Features")
    _map(features, "feature", 1, "Feature")
    _message(file.message_type.add(name="Example"), "features", 1, "Features")


def _requests(file: descriptor_pb2.FileDescriptorProto) -> None:
    """tensorflow_serving/apis/{model,input,predict,classification,regression,inference,
    session_service}.proto: the requests (responses are never read)."""
    _add(file.message_type.add(name="Int64Value"), "value", 1, _F.TYPE_INT64)
    spec = file.message_type.add(name="ModelSpec")
    spec.oneof_decl.add(name="version_choice")
    _add(spec, "name", 1, _F.TYPE_STRING)
    _message(spec, "version", 2, "Int64Value", oneof=0)
    _add(spec, "version_label", 4, _F.TYPE_STRING, oneof=0)
    _add(spec, "signature_name", 3, _F.TYPE_STRING)

    example_list = file.message_type.add(name="ExampleList")
    _message(example_list, "examples", 1, "Example", repeated=True)
    with_context = file.message_type.add(name="ExampleListWithContext")
    _message(with_context, "examples", 1, "Example", repeated=True)
    _message(with_context, "context", 2, "Example")
    request_input = file.message_type.add(name="Input")
    request_input.oneof_decl.add(name="kind")
    _message(request_input, "example_list", 1, "ExampleList", oneof=0)
    _message(request_input, "example_list_with_context", 2, "ExampleListWithContext", oneof=0)

    for name in ("ClassificationRequest", "RegressionRequest"):
        request = file.message_type.add(name=name)
        _message(request, "model_spec", 1, "ModelSpec")
        _message(request, "input", 2, "Input")

    predict = file.message_type.add(name="PredictRequest")
    _message(predict, "model_spec", 1, "ModelSpec")
    _map(predict, "inputs", 2, TENSOR)
    _add(predict, "output_filter", 3, _F.TYPE_STRING, repeated=True)
    _message(predict, "predict_streamed_options", 5, OPAQUE)
    _add(predict, "client_id", 6, _F.TYPE_BYTES)
    _message(predict, "request_options", 7, OPAQUE)

    task = file.message_type.add(name="InferenceTask")
    _message(task, "model_spec", 1, "ModelSpec")
    _add(task, "method_name", 2, _F.TYPE_STRING)
    multi = file.message_type.add(name="MultiInferenceRequest")
    _message(multi, "tasks", 1, "InferenceTask", repeated=True)
    _message(multi, "input", 2, "Input")

    named = file.message_type.add(name="NamedTensorProto")
    _add(named, "name", 1, _F.TYPE_STRING)
    _message(named, "tensor", 2, TENSOR)
    session_run = file.message_type.add(name="SessionRunRequest")
    _message(session_run, "model_spec", 1, "ModelSpec")
    _message(session_run, "feed", 2, "NamedTensorProto", repeated=True)
    _add(session_run, "fetch", 3, _F.TYPE_STRING, repeated=True)
    _add(session_run, "target", 4, _F.TYPE_STRING, repeated=True)
    _add(session_run, "tensor_name_is_alias", 6, _F.TYPE_BOOL)
    _message(session_run, "options", 5, OPAQUE)


def _logging(file: descriptor_pb2.FileDescriptorProto) -> None:
    """tensorflow_serving/config/{logging_config,log_collector_config}.proto, and the Any that
    `custom_logging_config` and `custom_model_config` are."""
    any_ = file.message_type.add(name="Any")
    _add(any_, "type_url", 1, _F.TYPE_STRING)
    _add(any_, "value", 2, _F.TYPE_BYTES)
    collector = file.message_type.add(name="LogCollectorConfig")
    _add(collector, "type", 1, _F.TYPE_STRING)
    _add(collector, "filename_prefix", 2, _F.TYPE_STRING)
    per_task = file.message_type.add(name="PerTaskSamplingConfig")
    _add(per_task, "dc", 1, _F.TYPE_STRING)
    _add(per_task, "task_index", 2, _F.TYPE_INT32)
    _add(per_task, "sampling_rate", 3, _F.TYPE_DOUBLE)
    sampling = file.message_type.add(name="SamplingConfig")
    _add(sampling, "sampling_rate", 1, _F.TYPE_DOUBLE)
    _message(sampling, "per_task_sampling_configs", 3, "PerTaskSamplingConfig", repeated=True)
    _add(sampling, "attributes", 2, _F.TYPE_INT32)
    logging = file.message_type.add(name="LoggingConfig")
    _message(logging, "log_collector_config", 1, "LogCollectorConfig")
    _message(logging, "sampling_config", 2, "SamplingConfig")
    _message(logging, "custom_logging_config", 3, "Any")


def _prediction_log(file: descriptor_pb2.FileDescriptorProto) -> None:
    """tensorflow_serving/apis/{logging,prediction_log}.proto: a warmup file's records."""
    metadata = file.message_type.add(name="LogMetadata")
    _message(metadata, "model_spec", 1, "ModelSpec")
    _message(metadata, "sampling_config", 2, "SamplingConfig")
    _add(metadata, "saved_model_tags", 3, _F.TYPE_STRING, repeated=True)
    _add(metadata, "timestamp_secs", 4, _F.TYPE_INT64)
    _add(metadata, "dc", 5, _F.TYPE_STRING)
    _add(metadata, "request_origin", 6, _F.TYPE_STRING)
    _add(metadata, "request_criticality", 7, _F.TYPE_STRING)
    _add(metadata, "safe_aggregation_privacy_key", 8, _F.TYPE_INT64)
    logs = (
        ("ClassifyLog", "ClassificationRequest", False),
        ("RegressLog", "RegressionRequest", False),
        ("PredictLog", "PredictRequest", False),
        ("PredictStreamedLog", "PredictRequest", True),
        ("MultiInferenceLog", "MultiInferenceRequest", False),
        ("SessionRunLog", "SessionRunRequest", False),
    )
    for name, request, streamed in logs:
        log = file.message_type.add(name=name)
        _message(log, "request", 1, request, repeated=streamed)
        _message(log, "response", 2, OPAQUE, repeated=streamed)
    prediction_log = file.message_type.add(name="PredictionLog")
    prediction_log.oneof_decl.add(name="log_type")
    _message(prediction_log, "log_metadata", 1, "LogMetadata")
    for name, number, log in (
        ("classify_log", 2, "ClassifyLog"), ("regress_log", 3, "RegressLog"),
        ("predict_log", 6, "PredictLog"), ("predict_streamed_log", 7, "PredictStreamedLog"),
        ("multi_inference_log", 4, "MultiInferenceLog"), ("session_run_log", 5, "SessionRunLog"),
    ):
        _message(prediction_log, name, number, log, oneof=0)


def _server_config(file: descriptor_pb2.FileDescriptorProto) -> None:
    """tensorflow_serving/config/{model_server_config,file_system_storage_path_source}.proto."""
    model_type = file.enum_type.add(name="ModelType")
    for name, number in (("MODEL_TYPE_UNSPECIFIED", 0), ("TENSORFLOW", 1), ("OTHER", 2)):
        model_type.value.add(name=name, number=number)

    source = file.message_type.add(name="FileSystemStoragePathSourceConfig")
    policy = source.nested_type.add(name="ServableVersionPolicy")
    scope = "FileSystemStoragePathSourceConfig.ServableVersionPolicy"
    _add(policy.nested_type.add(name="Latest"), "num_versions", 1, _F.TYPE_UINT32)
    policy.nested_type.add(name="All")
    _add(policy.nested_type.add(name="Specific"), "versions", 1, _F.TYPE_INT64, repeated=True)
    policy.oneof_decl.add(name="policy_choice")
    for name, number in (("latest", 100), ("all", 101), ("specific", 102)):
        _message(policy, name, number, f"{scope}.{name.title()}", oneof=0)

    config = file.message_type.add(name="ModelConfig")
    _add(config, "name", 1, _F.TYPE_STRING)
    _add(config, "base_path", 2, _F.TYPE_STRING)
    _add(config, "model_type", 3, _F.TYPE_ENUM, type_name="ModelType")
    _add(config, "model_platform", 4, _F.TYPE_STRING)
    _message(config, "model_version_policy", 7, scope)
    _map(config, "version_labels", 8, "int64")
    _message(config, "logging_config", 6, "LoggingConfig")
    config_list = file.message_type.add(name="ModelConfigList")
    _message(config_list, "config", 1, "ModelConfig", repeated=True)
    server = file.message_type.add(name="ModelServerConfig")
    server.oneof_decl.add(name="config")
    _message(server, "model_config_list", 1, "ModelConfigList", oneof=0)
    _message(server, "custom_model_config", 2, "Any", oneof=0)


def _graph(file: descriptor_pb2.FileDescriptorProto) -> None:
    """tensorflow/core/framework/{graph,node_def,attr_value,function,op_def}.proto, the fields
    that say how a graph parses serialized tf.Examples (`siglint request` reads them)."""
    name_attr_list = file.message_type.add(name="NameAttrList")
    _add(name_attr_list, "name", 1, _F.TYPE_STRING)
    attr = file.message_type.add(name="AttrValue")
    values = attr.nested_type.add(name="ListValue")
    shape, data_type = f".{saved_model_schema.PACKAGE}.TensorShapeProto", f".{saved_model_schema.PACKAGE}.DataType"
    for name, number, kind, type_name in (
        ("s", 2, _F.TYPE_BYTES, ""), ("i", 3, _F.TYPE_INT64, ""), ("f", 4, _F.TYPE_FLOAT, ""),
        ("b", 5, _F.TYPE_BOOL, ""), ("type", 6, _F.TYPE_ENUM, data_type), ("shape", 7, _F.TYPE_MESSAGE, shape),
        ("tensor", 8, _F.TYPE_MESSAGE, TENSOR), ("func", 9, _F.TYPE_MESSAGE, "NameAttrList"),
    ):
        _add(values, name, number, kind, type_name=type_name, repeated=True)
    attr.oneof_decl.add(name="value")
    for name, number, kind, type_name in (
        ("s", 2, _F.TYPE_BYTES, ""), ("i", 3, _F.TYPE_INT64, ""), ("f", 4, _F.TYPE_FLOAT, ""),
        ("b", 5, _F.TYPE_BOOL, ""), ("type", 6, _F.TYPE_ENUM, data_type), ("shape", 7, _F.TYPE_MESSAGE, shape),
        ("tensor", 8, _F.TYPE_MESSAGE, TENSOR), ("list", 1, _F.TYPE_MESSAGE, "AttrValue.ListValue"),
        ("func", 10, _F.TYPE_MESSAGE, "NameAttrList"), ("placeholder", 9, _F.TYPE_STRING, ""),
    ):
        _add(attr, name, number, kind, type_name=type_name, oneof=0)
    node = file.message_type.add(name="NodeDef")
    _add(node, "name", 1, _F.TYPE_STRING)
    _add(node, "op", 2, _F.TYPE_STRING)
    _add(node, "input", 3, _F.TYPE_STRING, repeated=True)
    _map(node, "attr", 5, "AttrValue")
    op_def = file.message_type.add(name="OpDef")
    _add(op_def, "name", 1, _F.TYPE_STRING)
    function = file.message_type.add(name="FunctionDef")
    _message(function, "signature", 1, "OpDef")
    _message(function, "node_def", 3, "NodeDef", repeated=True)
    library = file.message_type.add(name="FunctionDefLibrary")
    _message(library, "function", 1, "FunctionDef", repeated=True)
    graph = file.message_type.add(name="GraphDef")
    _message(graph, "node", 1, "NodeDef", repeated=True)
    _message(graph, "library", 2, "FunctionDefLibrary")


def build_file() -> descriptor_pb2.FileDescriptorProto:
    file = descriptor_pb2.FileDescriptorProto(name=FILE_NAME, package=PACKAGE, syntax="proto3")
    file.dependency.append(saved_model_schema.build_file().name)
    _examples(file)
    _requests(file)
    _logging(file)
    _prediction_log(file)
    _server_config(file)
    _graph(file)
    return file


def serialized() -> bytes:
    return bytes(build_file().SerializeToString(deterministic=True))


MESSAGES = (
    "ModelServerConfig", "PredictionLog", "PredictRequest", "ClassificationRequest",
    "RegressionRequest", "MultiInferenceRequest", "SessionRunRequest", "Example", "Input", "GraphDef",
)


def generated_module() -> str:
    """The text of siglint/serving/proto.py."""
    classes = "\n".join(f'{name} = _message_class("{name}")' for name in MESSAGES)
    return _PROTO_MODULE.format(
        package=PACKAGE, literal=saved_model_schema.bytes_literal(serialized()), classes=classes
    )


_PROTO_MODULE = '''"""The TF Serving messages siglint reads (models.config, warmup records, requests): the schema
of `siglint.serving.schema`, as its serialized FileDescriptorProto, loaded with the SavedModel
schema it imports into a pool of their own.

Generated by `python -m siglint.serving.schema`; do not edit. The package is `{package}`, so
that a process which also imports tensorflow-serving-api never sees a descriptor-pool clash.
"""

from __future__ import annotations

from google.protobuf import descriptor_pool, message_factory

from siglint.savedmodel.proto import SERIALIZED_FILE as SAVED_MODEL_FILE

PACKAGE = "{package}"
SERIALIZED_FILE = (
{literal}
)

POOL = descriptor_pool.DescriptorPool()
POOL.AddSerializedFile(SAVED_MODEL_FILE)
POOL.AddSerializedFile(SERIALIZED_FILE)


def _message_class(name: str) -> type:
    return message_factory.GetMessageClass(POOL.FindMessageTypeByName(f"{{PACKAGE}}.{{name}}"))


{classes}
'''


if __name__ == "__main__":
    import pathlib

    pathlib.Path(__file__).with_name("proto.py").write_text(generated_module(), encoding="utf-8")
