"""Names and limits TF Serving uses for its deployment files and requests."""

from __future__ import annotations

# tensorflow/cc/saved_model/constants.h kSavedModelAssetsExtraDirectory, and
# tensorflow_serving/servables/tensorflow/saved_model_warmup_util.h WarmupConsts.
ASSETS_EXTRA_DIRECTORY = "assets.extra"
WARMUP_FILENAME = "tf_serving_warmup_requests"
WARMUP_PATH = f"{ASSETS_EXTRA_DIRECTORY}/{WARMUP_FILENAME}"
MAX_WARMUP_RECORDS = 1000

# tensorflow_serving/model_servers/model_platform_types.h kTensorFlowModelPlatform: the one
# platform a stock tensorflow_model_server configures (platform_config_util.cc).
TENSORFLOW_PLATFORM = "tensorflow"

# PredictionLog's `log_type` oneof: what `log_type_case()` prints in the server's messages is
# the field number.
LOG_TYPE_NUMBERS = {
    "classify_log": 2,
    "regress_log": 3,
    "multi_inference_log": 4,
    "session_run_log": 5,
    "predict_log": 6,
    "predict_streamed_log": 7,
}

# tensorflow_serving/util/json_tensor.cc: a string tensor whose alias ends in `_bytes` is
# written as {"b64": ...}; such objects are read back into bytes.
BYTES_SUFFIX = "_bytes"
BASE64_KEY = "b64"

# ModelSpec.signature_name's stand-in when a request names none (every API, and REST's message).
REST_DEFAULT_SIGNATURE_TEXT = "DEFAULT"

# siglint's serving messages (package siglint.serving) that are not TF Serving's own, by the full
# name their owners give them; every other one is tensorflow.serving.<name>.
UPSTREAM_NAMES = {
    "Any": "google.protobuf.Any",
    "Int64Value": "google.protobuf.Int64Value",
    "BytesList": "tensorflow.BytesList",
    "FloatList": "tensorflow.FloatList",
    "Int64List": "tensorflow.Int64List",
    "Feature": "tensorflow.Feature",
    "Features": "tensorflow.Features",
    "Example": "tensorflow.Example",
    "NamedTensorProto": "tensorflow.NamedTensorProto",
    "NameAttrList": "tensorflow.NameAttrList",
    "AttrValue": "tensorflow.AttrValue",
    "NodeDef": "tensorflow.NodeDef",
    "OpDef": "tensorflow.OpDef",
    "FunctionDef": "tensorflow.FunctionDef",
    "FunctionDefLibrary": "tensorflow.FunctionDefLibrary",
    "GraphDef": "tensorflow.GraphDef",
}


def upstream_names(text: str) -> str:
    """`text` with siglint's message names as TensorFlow and TF Serving spell them, as the
    server's own parse errors do (``tensorflow.serving.ModelConfig``, ``tensorflow.TensorProto``)."""
    import re

    def upstream(match: re.Match[str]) -> str:
        package, name = match.groups()
        if package == "proto":
            return f"tensorflow.{name}"
        return UPSTREAM_NAMES.get(name, f"tensorflow.serving.{name}")

    return re.sub(r"siglint\.(serving|proto)\.(\w+)", upstream, text)
