"""SavedModels exported by TensorFlow at test time, for comparing `siglint show` with
`saved_model_cli show`: each exporter writes one model into the folder it is given.

- `tf2_functions`: `tf.saved_model.save` of a `tf.Module` with several signatures, a function
  traced three times with Python default arguments (a tuple, a list, a float, a bool), nested
  inputs (a dict and a tuple), ragged and sparse inputs, a keyword-only argument, a function
  without arguments, a bare concrete function and a `__call__`; and the same as a `.pbtxt`;
- `keras`: a Keras model through `model.export()`;
- `tf1_tags` / `tf1_tags_pbtxt`: a TF1 graph through `tf.compat.v1.saved_model.Builder` with
  three MetaGraphDefs (`serve`, `serve,gpu`, `train`), a sparse (coo_sparse) and a ragged
  (composite_tensor) input, as `.pb` and `.pbtxt`;
- `two_meta_graphs_tf2`: a TF2 export with a second MetaGraphDef appended, which
  `tf.saved_model.load` refuses (so saved_model_cli lists no functions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def tf2_functions(tf: Any, export_dir: Path) -> None:
    class Model(tf.Module):
        def __init__(self) -> None:
            super().__init__()
            self.scale_variable = tf.Variable(2.0)

        @tf.function
        def poly(self, x, scale=2.0, training=False, names=("a", "b")):
            return x * scale * self.scale_variable

        @tf.function(
            input_signature=[
                {"b": tf.TensorSpec([None], tf.int64), "a": tf.TensorSpec([None, 3], tf.float32, name="a")},
                (tf.TensorSpec([], tf.string, name="s"), tf.TensorSpec(None, tf.float32)),
            ]
        )
        def nested(self, features, pair):
            return {"out": features["a"] * 2.0}

        @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.int32), tf.SparseTensorSpec([None, 4], tf.float32)])
        def composite(self, ragged, sparse):
            return tf.reduce_sum(ragged)

        @tf.function(input_signature=[])
        def noargs(self):
            return {"c": tf.constant(1.0)}

        @tf.function
        def keyword_only(self, x, *, offset):
            return x + offset

    model = Model()
    model.poly(tf.constant([1.0]))
    model.poly(tf.constant([1.0, 2.0]), scale=3.0, training=True)
    model.poly(tf.constant([[1.0]]), names=["x"])
    model.keyword_only(tf.constant([1.0]), offset=tf.constant(2.0))
    model.bare = model.poly.get_concrete_function(tf.TensorSpec([None, None], tf.float32, name="bx"))
    model.__call__ = tf.function(lambda x: x, input_signature=[tf.TensorSpec([2], tf.int32, name="z")])
    tf.saved_model.save(
        model,
        str(export_dir),
        signatures={
            "serving_default": model.nested,
            "noargs": model.noargs,
            "composite": model.composite,
            "predict": model.poly.get_concrete_function(tf.TensorSpec([None], tf.float32, name="x")),
        },
    )


def tf2_functions_pbtxt(tf: Any, export_dir: Path) -> None:
    """`tf2_functions` with its saved_model.pb rewritten as saved_model.pbtxt."""
    from google.protobuf import text_format
    from tensorflow.core.protobuf import saved_model_pb2

    tf2_functions(tf, export_dir)
    binary = export_dir / "saved_model.pb"
    saved_model = saved_model_pb2.SavedModel.FromString(binary.read_bytes())
    (export_dir / "saved_model.pbtxt").write_text(text_format.MessageToString(saved_model), encoding="utf-8")
    binary.unlink()


def _small_module(tf: Any, export_dir: Path) -> None:
    module = tf.Module()
    module.double = tf.function(lambda x: {"y": x * 2.0}, input_signature=[tf.TensorSpec([None, 2], tf.float32, name="x")])
    tf.saved_model.save(module, str(export_dir), signatures={"serving_default": module.double})


def keras(tf: Any, export_dir: Path) -> None:
    import keras

    inputs = keras.Input(shape=(4,), name="features")
    hidden = keras.layers.Dense(3, activation="relu", name="hidden")(inputs)
    outputs = keras.layers.Dense(2, activation="softmax", name="probabilities")(hidden)
    keras.Model(inputs, outputs, name="show_model").export(str(export_dir), format="tf_saved_model", verbose=False)


def _tf1(tf: Any, export_dir: Path, as_text: bool) -> None:
    v1 = tf.compat.v1
    builder = v1.saved_model.Builder(str(export_dir))
    info = v1.saved_model.utils.build_tensor_info
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as session:
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        y = tf.identity(x * 2.0, name="y")
        sparse = v1.sparse_placeholder(tf.int64, [None, 5], name="sp")
        examples = v1.placeholder(tf.string, [None], name="tf_example")
        scores = tf.identity(tf.ones([tf.shape(examples)[0], 3]), name="scores")
        ragged = v1.ragged.placeholder(tf.int32, 1, [], name="ragged")
        builder.add_meta_graph_and_variables(
            session,
            ["serve"],
            signature_def_map={
                "serving_default": v1.saved_model.predict_signature_def({"x": x}, {"y": y}),
                "sparse": v1.saved_model.build_signature_def(
                    {"sp": info(sparse)}, {"y": info(y)}, "tensorflow/serving/predict"
                ),
                "classify": v1.saved_model.classification_signature_def(examples, None, scores),
                "ragged": v1.saved_model.build_signature_def(
                    {"r": info(ragged)}, {"y": info(y)}, "tensorflow/serving/predict"
                ),
            },
        )
    with tf.Graph().as_default() as graph, v1.Session(graph=graph):
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        y = tf.identity(x * 3.0, name="y")
        tf.RaggedTensor.from_row_lengths(tf.constant([1, 2, 3]), tf.constant([1, 2]))
        builder.add_meta_graph(
            ["serve", "gpu"], signature_def_map={"serving_default": v1.saved_model.predict_signature_def({"x": x}, {"y": y})}
        )
        builder.add_meta_graph(["train"], signature_def_map={})
    builder.save(as_text=as_text)


def tf1_tags(tf: Any, export_dir: Path) -> None:
    _tf1(tf, export_dir, as_text=False)


def tf1_tags_pbtxt(tf: Any, export_dir: Path) -> None:
    _tf1(tf, export_dir, as_text=True)


def two_meta_graphs_tf2(tf: Any, export_dir: Path) -> None:
    from tensorflow.core.protobuf import saved_model_pb2

    _small_module(tf, export_dir)
    path = export_dir / "saved_model.pb"
    saved_model = saved_model_pb2.SavedModel.FromString(path.read_bytes())
    extra = saved_model.meta_graphs.add()
    extra.CopyFrom(saved_model.meta_graphs[0])
    extra.meta_info_def.ClearField("tags")
    extra.meta_info_def.tags.append("gpu")
    extra.ClearField("object_graph_def")
    path.write_bytes(saved_model.SerializeToString())


EXPORTERS = {
    "tf2_functions": tf2_functions,
    "tf2_functions_pbtxt": tf2_functions_pbtxt,
    "keras": keras,
    "tf1_tags": tf1_tags,
    "tf1_tags_pbtxt": tf1_tags_pbtxt,
    "two_meta_graphs_tf2": two_meta_graphs_tf2,
}
