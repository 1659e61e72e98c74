"""The fixtures TensorFlow itself exports, so that some fixtures are real artefacts, not only
siglint's own bytes. Imported only by `siglint fixtures regenerate` when TensorFlow is installed.

Each exporter writes one SavedModel into a version folder. Tensor and layer names are fixed, so
the signatures are the same on every run; the rest of TensorFlow's bytes (graph, fingerprint,
variables) are not deterministic.
"""

from __future__ import annotations

import os
from collections.abc import Callable

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # after quieting TensorFlow's C++ logging


def tf1_builder(directory: str) -> None:
    """A TF1 graph saved by `tf.compat.v1.saved_model.Builder` with TensorFlow's own classify,
    regress and predict signature builders: what TF Serving's classic exports look like."""
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default(), v1.Session(graph=graph) as session:
        examples = v1.placeholder(tf.string, [None], name="tf_example")
        features = v1.io.parse_example(
            examples, {"x": v1.io.FixedLenFeature([1], tf.float32)}
        )["x"]
        weight = v1.get_variable("w", initializer=tf.constant([[0.5, 0.25, 2.0]]))
        scores = tf.nn.softmax(tf.matmul(features, weight), name="scores")
        classes = tf.identity(
            tf.tile(tf.constant([["a", "b", "c"]]), [tf.shape(examples)[0], 1]), name="classes"
        )
        prediction = tf.identity(features * 0.5 + 2.0, name="y")
        x = v1.placeholder(tf.float32, [None, 1], name="x")
        doubled = tf.identity(x * 0.5 + 2.0, name="half_plus_two")
        session.run(v1.global_variables_initializer())
        sdu = v1.saved_model.signature_def_utils
        builder = v1.saved_model.Builder(directory)
        builder.add_meta_graph_and_variables(
            session,
            [v1.saved_model.tag_constants.SERVING],
            signature_def_map={
                "serving_default": sdu.predict_signature_def({"x": x}, {"y": doubled}),
                "classify": sdu.classification_signature_def(examples, classes, scores),
                "regress": sdu.regression_signature_def(examples, prediction),
            },
            strip_default_attrs=True,
        )
        builder.save()


_X = tf.TensorSpec([None, 1], tf.float32, name="x")
_EXAMPLES = tf.TensorSpec([None], tf.string, name="inputs")


class _Classifier(tf.Module):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(name="classifier")
        self.weight = tf.Variable([[0.5, 0.25, 2.0]], name="w")

    @tf.function(input_signature=[_X])  # type: ignore[untyped-decorator]
    def predict(self, x: tf.Tensor) -> dict[str, tf.Tensor]:
        return {"y": x * 0.5 + 2.0}

    @tf.function(input_signature=[_EXAMPLES])  # type: ignore[untyped-decorator]
    def classify(self, inputs: tf.Tensor) -> dict[str, tf.Tensor]:
        features = tf.io.parse_example(inputs, {"x": tf.io.FixedLenFeature([1], tf.float32)})
        return {"scores": tf.nn.softmax(tf.matmul(features["x"], self.weight))}


def tf2_module(directory: str) -> None:
    """A `tf.Module` saved by `tf.saved_model.save`: every signature gets the predict method
    name, so its classify-shaped signature is SIG202's case."""
    module = _Classifier()
    tf.saved_model.save(
        module, directory, signatures={"serving_default": module.predict, "classify": module.classify}
    )


def keras_export(directory: str) -> None:
    """A Keras model exported with `model.export()` (TF2 SavedModel, `serve` endpoint)."""
    import keras

    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(3,), name="features")
    outputs = keras.layers.Dense(2, activation="softmax", name="probabilities")(inputs)
    model = keras.Model(inputs, outputs, name="churn")
    model.export(directory, format="tf_saved_model", verbose=False)


EXPORTERS: dict[str, Callable[[str], None]] = {
    "tf1_builder": tf1_builder,
    "tf2_module": tf2_module,
    "keras_export": keras_export,
}
