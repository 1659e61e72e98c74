"""TF Serving's messages as siglint reads them without tensorflow-serving-api:
`siglint/serving/proto.py` is generated from `siglint/serving/schema.py` (regenerate it with
`python -m siglint.serving.schema`), and every message it defines is held to the message of the
same name in tensorflow-serving-api (or TensorFlow), the oracle: field numbers, names, types,
repeatedness, oneofs and enum values."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from conftest import ROOT

from siglint.serving import proto, schema
from siglint.serving.constants import UPSTREAM_NAMES, upstream_names

# Messages siglint reads in full (every field of the upstream message is there), and the fields
# it types as the empty Opaque message because it never reads them.
OPAQUE_FIELDS = {
    ("PredictRequest", "predict_streamed_options"), ("PredictRequest", "request_options"),
    ("SessionRunRequest", "options"), *((log, "response") for log in (
        "ClassifyLog", "RegressLog", "PredictLog", "PredictStreamedLog", "MultiInferenceLog", "SessionRunLog",
    )),
}
# Messages that are subsets on purpose: the graph fields `siglint request` reads, and the
# container of the version policy.
SUBSETS = {
    "NameAttrList", "NodeDef", "OpDef", "FunctionDef", "FunctionDefLibrary", "GraphDef",
    "FileSystemStoragePathSourceConfig",
}


def test_the_generated_module_is_current() -> None:
    assert (ROOT / "siglint" / "serving" / "proto.py").read_text(encoding="utf-8") == schema.generated_module()
    assert proto.SERIALIZED_FILE == schema.serialized()


def test_reading_the_messages_never_builds_a_descriptor() -> None:
    script = "import sys, siglint.serving.proto; print('google.protobuf.descriptor_pb2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _ours() -> list[Any]:
    found: list[Any] = []

    def walk(message: Any) -> None:
        found.append(message)
        for nested in message.nested_types:
            if not nested.GetOptions().map_entry:
                walk(nested)

    for message in proto.POOL.FindFileByName(schema.FILE_NAME).message_types_by_name.values():
        walk(message)
    return found


def _upstream_name(full_name: str) -> str:
    relative = full_name.removeprefix(f"{schema.PACKAGE}.")
    top = relative.split(".")[0]
    return UPSTREAM_NAMES.get(top, f"tensorflow.serving.{top}") + relative[len(top):]


OURS = _ours()


@pytest.mark.parametrize("message", OURS, ids=lambda message: message.full_name)
def test_every_message_is_tensorflow_servings(serving_api: Any, message: Any) -> None:
    import tensorflow.core.framework.graph_pb2  # noqa: F401 - the graph messages' oracle
    from google.protobuf import descriptor_pool

    upstream = descriptor_pool.Default().FindMessageTypeByName(_upstream_name(message.full_name))
    theirs = {field.number: field for field in upstream.fields}
    for field in message.fields:
        other = theirs.get(field.number)
        assert other is not None, f"{message.full_name}.{field.name}: no field {field.number} upstream"
        assert (field.name, field.type, field.is_repeated) == (other.name, other.type, other.is_repeated), field.name
        assert (field.containing_oneof is None) == (other.containing_oneof is None or other.containing_oneof.name.startswith("_"))
        if field.message_type is not None and (message.name, field.name) not in OPAQUE_FIELDS:
            assert field.message_type.name == other.message_type.name, field.name
        if field.enum_type is not None:
            assert {(v.name, v.number) for v in field.enum_type.values} >= {(v.name, v.number) for v in other.enum_type.values}
    if message.name not in SUBSETS:
        assert set(theirs) == {field.number for field in message.fields}, f"{message.full_name} lacks fields"


def test_the_model_type_enum_is_tensorflow_servings(serving_api: Any) -> None:
    ours = proto.POOL.FindEnumTypeByName(f"{schema.PACKAGE}.ModelType")
    theirs = serving_api.model_server_config_pb2.ModelType.DESCRIPTOR
    assert {v.name: v.number for v in ours.values} == {v.name: v.number for v in theirs.values}


def test_messages_written_by_tensorflow_serving_read_back_the_same(serving_api: Any, tf: Any) -> None:
    """Bytes written by tensorflow-serving-api parse into siglint's messages and back into the
    same message (responses, which siglint keeps opaque, included)."""
    api = serving_api
    request = api.predict_pb2.PredictRequest()
    request.model_spec.name, request.model_spec.signature_name = "churn", "serving_default"
    request.model_spec.version.value = 3
    request.inputs["x"].CopyFrom(tf.make_tensor_proto([[1.0, 2.0]], dtype=tf.float32))
    request.output_filter.append("y")
    response = api.predict_pb2.PredictResponse()
    response.outputs["y"].CopyFrom(tf.make_tensor_proto([0.5]))
    log = api.prediction_log_pb2.PredictionLog(
        predict_log=api.prediction_log_pb2.PredictLog(request=request, response=response)
    )
    log.log_metadata.saved_model_tags.append("serve")
    config = api.model_server_config_pb2.ModelServerConfig()
    model = config.model_config_list.config.add(name="churn", base_path="/m", model_platform="tensorflow")
    model.model_version_policy.specific.versions.extend([1, 2])
    model.version_labels["stable"] = 1
    model.logging_config.sampling_config.sampling_rate = 0.5
    for theirs, ours in ((log, proto.PredictionLog), (config, proto.ModelServerConfig)):
        again = type(theirs).FromString(ours.FromString(theirs.SerializeToString()).SerializeToString())
        assert again == theirs


def test_parse_errors_name_the_messages_as_tensorflow_serving_does() -> None:
    assert upstream_names('type "siglint.serving.ModelConfig" and siglint.serving.Example') == (
        'type "tensorflow.serving.ModelConfig" and tensorflow.Example'
    )
    assert upstream_names("siglint.proto.TensorProto") == "tensorflow.TensorProto"
