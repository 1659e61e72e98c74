"""Names TensorFlow and TF Serving agree on (signature_constants.py, tag_constants.py, constants.py)."""

from __future__ import annotations

CLASSIFY_METHOD_NAME = "tensorflow/serving/classify"
REGRESS_METHOD_NAME = "tensorflow/serving/regress"
PREDICT_METHOD_NAME = "tensorflow/serving/predict"
# In the order TF Serving's predict_util.cc lists them in its error message.
SERVING_METHOD_NAMES = (PREDICT_METHOD_NAME, CLASSIFY_METHOD_NAME, REGRESS_METHOD_NAME)

CLASSIFY_INPUTS = "inputs"
CLASSIFY_OUTPUT_CLASSES = "classes"
CLASSIFY_OUTPUT_SCORES = "scores"
REGRESS_INPUTS = "inputs"
REGRESS_OUTPUTS = "outputs"

DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
SERVING_TAG = "serve"

INIT_OP_SIGNATURE_KEY = "__saved_model_init_op"
TRAIN_OP_SIGNATURE_KEY = "__saved_model_train_op"
# TF2's op signatures (save.py, op_signature_def): bookkeeping entries of the map, never served.
OP_SIGNATURE_KEYS = frozenset({INIT_OP_SIGNATURE_KEY, TRAIN_OP_SIGNATURE_KEY})

# The ops that run the library function their `f` attribute names: ops_used_by_graph_def follows
# it (tensorflow/python/framework/meta_graph.py), the loader takes no gradient op type from them
# (function_deserialization.py).
CALL_OPS = frozenset({"PartitionedCall", "StatefulPartitionedCall"})

SAVED_MODEL_FILENAME_PB = "saved_model.pb"
SAVED_MODEL_FILENAME_PBTXT = "saved_model.pbtxt"
SAVED_MODEL_FILENAME_CPB = "saved_model.cpb"
MODEL_FILENAMES = (SAVED_MODEL_FILENAME_PB, SAVED_MODEL_FILENAME_PBTXT)

# TF Serving's TF Lite model in a version folder (kTfLiteModelFilename, saved_model_bundle_factory.cc),
# the schema's file extension, and its FlatBuffer file identifier (bytes 4-8).
TFLITE_MODEL_FILENAME = "model.tflite"
TFLITE_SUFFIX = ".tflite"
TFLITE_FILE_IDENTIFIER = b"TFL3"

# protobuf cannot hold a message of 2 GiB or more (kint32max bytes).
PROTOBUF_MAX_BYTES = 2**31 - 1
