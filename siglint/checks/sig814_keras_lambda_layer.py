"""A Keras `Lambda` layer, recorded in the model's `keras_metadata.pb`.

## What it does
Reads `keras_metadata.pb`, which Keras writes beside `saved_model.pb` when it saves a model in
the TensorFlow SavedModel format (`model.save(path, save_format="tf")`, `tf_keras`), and flags
every layer whose metadata has `"class_name": "Lambda"`, as modelscan does.

## Why is this bad?
A Lambda layer wraps arbitrary Python code, saved as marshalled bytecode in the layer's config.
TF Serving runs only the traced graph, but whoever loads the model back into Keras
(`tf.keras.models.load_model`) runs that bytecode: a way to ship code inside a model. modelscan
rates it MEDIUM; siglint reports a warning.

## Example
```text
model = tf.keras.Sequential([tf.keras.layers.Lambda(lambda x: x * 2)])
model.save("export/1", save_format="tf")        # keras_metadata.pb records class_name Lambda
```

Use instead:
```text
a layer subclass (registered with tf.keras.utils.register_keras_serializable), or export the
serving function only: model.export("export/1") writes no Keras metadata
```

## References
- protectai/modelscan: modelscan/scanners/saved_model/scan.py (`SavedModelLambdaDetectScan`)
- tensorflow/python/keras/protobuf/saved_metadata.proto (`SavedMetadata`, `SavedObject`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import ModelContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.io.documents import DocumentError, read_bytes
from siglint.io.source import storage_for

KERAS_METADATA = "keras_metadata.pb"
LAYER_IDENTIFIER = "_tf_keras_layer"
MAX_METADATA_BYTES = 256 * 2**20


def check(context: ModelContext) -> Iterator[Problem]:
    storage = storage_for(context.model.path)
    path = storage.join(context.model.path, KERAS_METADATA)
    if storage.kind(path) is None:
        return
    unreadable = f"{KERAS_METADATA} cannot be read, so its layers are not checked for Lambda layers"
    try:
        data = read_bytes(path, MAX_METADATA_BYTES)
    except DocumentError as error:
        yield Problem(f"{unreadable}: {error}", severity=Severity.INFO)
        return
    import json

    from google.protobuf import message

    from siglint.savedmodel.graph_proto import KerasSavedMetadata

    try:
        nodes = KerasSavedMetadata.FromString(data).nodes
    except (message.DecodeError, RuntimeError, ValueError):
        yield Problem(f"{unreadable}: protobuf rejects it", severity=Severity.INFO)
        return
    for node in nodes:
        if node.identifier != LAYER_IDENTIFIER:
            continue
        try:
            layer = json.loads(node.metadata)
        except ValueError:
            yield Problem(f"{unreadable}: the metadata of {node.node_path!r} is not JSON", severity=Severity.INFO)
            continue
        if isinstance(layer, dict) and layer.get("class_name") == "Lambda":
            name = layer.get("name") or node.node_path
            yield Problem(
                f"Keras Lambda layer {name!r} ({node.node_path}) in {KERAS_METADATA}: loading the model "
                "into Keras runs the Python code it holds",
                expected="no Lambda layer",
                actual="Lambda",
            )


RULE = Rule("SIG814", "keras-lambda-layer", Severity.WARNING, Scope.MODEL, check, __name__)
