"""siglint's view of SavedModels written by TensorFlow's own exporters equals what TensorFlow reads.

Four models are exported once per module into tmp_path_factory:
- `tf2_module`: `tf.saved_model.save` of a `tf.Module` with two signatures, one with a default;
- `keras`: a Keras 3 model through `model.export` (ExportArchive);
- `tf1_pb`: a TF1 graph through `tf.compat.v1.saved_model.Builder` with classify, regress and
  predict signatures, written as binary `saved_model.pb`;
- `tf1_pbtxt`: the same graph and signatures written with `builder.save(as_text=True)`.

Each is parsed by `loader_impl.parse_saved_model` and by `siglint.model.load.load_model`; both are turned
into the same plain-Python structure and compared whole.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import siglint
from siglint.findings import Finding, Severity
from siglint.model.load import load_model
from siglint.model.view import ModelView, TensorView

pytestmark = pytest.mark.tensorflow

INIT_OP = "__saved_model_init_op"


# --- exporters -----------------------------------------------------------------------------------


def _export_tf2_module(tf: Any, export_dir: Path) -> None:
    class Model(tf.Module):
        def __init__(self) -> None:
            super().__init__()
            self.weights = tf.Variable([1.0, 2.0, 3.0])

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x")])
        def serve(self, x):
            return {"y": tf.reduce_sum(x * self.weights, axis=1), "scaled": x * 2.0}

        @tf.function(
            input_signature=[
                tf.TensorSpec([None], tf.string, name="text"),
                tf.TensorSpec([None], tf.int64, name="count"),
            ]
        )
        def lengths(self, text, count=tf.constant([1], tf.int64)):
            return {"length": tf.strings.length(text), "count": count * 2}

    model = Model()
    tf.saved_model.save(
        model,
        str(export_dir),
        signatures={"serving_default": model.serve, "lengths": model.lengths},
    )


def _export_keras(tf: Any, export_dir: Path) -> None:
    keras = tf.keras
    inputs = keras.Input(shape=(3,), name="features")
    hidden = keras.layers.Dense(4, activation="relu")(inputs)
    outputs = keras.layers.Dense(1, name="score")(hidden)
    model = keras.Model(inputs, outputs)
    model.export(str(export_dir), verbose=False)


def _export_tf1(tf: Any, pb_dir: Path, pbtxt_dir: Path) -> None:
    """One TF1 graph, saved by two Builders: binary to `pb_dir`, text to `pbtxt_dir`."""
    v1 = tf.compat.v1
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as session:
        examples = v1.placeholder(tf.string, [None], name="tf_example")
        features = tf.io.parse_example(
            examples, {"x": tf.io.FixedLenFeature([3], tf.float32)}
        )
        x = tf.identity(features["x"], name="x")
        bias = v1.placeholder_with_default(tf.constant(0.0), shape=[], name="bias")
        # An input and an output of unknown rank: tensor_shape { unknown_rank: true }.
        extra = v1.placeholder_with_default(tf.constant([0.0]), shape=None, name="extra")
        echo = tf.identity(extra, name="echo")
        weights = v1.get_variable("w", initializer=tf.constant([[0.5], [-0.25], [1.0]]))
        logits = tf.add(tf.matmul(x, weights), bias, name="logits")  # [None, 1]
        probability = tf.sigmoid(logits, name="probability")  # [None, 1]
        scores = tf.concat([1.0 - probability, probability], axis=1, name="scores")  # [None, 2]
        classes = tf.tile(
            tf.constant([["negative", "positive"]]), [tf.shape(examples)[0], 1], name="classes"
        )
        labels = tf.constant(["negative", "positive"], name="labels")  # [2]: no batch dim
        session.run(v1.global_variables_initializer())

        utils = v1.saved_model
        signatures = {
            "classify": utils.classification_signature_def(examples, classes, scores),
            "regress": utils.regression_signature_def(examples, probability),
            "serving_default": utils.predict_signature_def(
                inputs={"examples": examples, "bias": bias, "extra": extra},
                outputs={
                    "logits": logits,
                    "probability": probability,
                    "scores": scores,
                    "echo": echo,
                },
            ),
            # Well-formed for TensorFlow and gRPC, but REST's row format cannot split `labels`
            # along the batch (tensorflow/serving#450): a warning, so the pb and pbtxt copies
            # below have findings to compare.
            "with_labels": utils.predict_signature_def(
                inputs={"examples": examples}, outputs={"scores": scores, "labels": labels}
            ),
        }
        for export_dir, as_text in ((pb_dir, False), (pbtxt_dir, True)):
            builder = utils.Builder(str(export_dir))
            builder.add_meta_graph_and_variables(
                session, [tf.saved_model.SERVING], signature_def_map=signatures
            )
            builder.save(as_text=as_text)


@pytest.fixture(scope="module")
def exports(tf: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tf_exports")
    dirs = {name: root / name for name in ("tf2_module", "keras", "tf1_pb", "tf1_pbtxt")}
    _export_tf2_module(tf, dirs["tf2_module"])
    _export_keras(tf, dirs["keras"])
    _export_tf1(tf, dirs["tf1_pb"], dirs["tf1_pbtxt"])
    assert (dirs["tf1_pb"] / "saved_model.pb").is_file()
    assert not (dirs["tf1_pb"] / "saved_model.pbtxt").exists()
    assert (dirs["tf1_pbtxt"] / "saved_model.pbtxt").is_file()
    assert not (dirs["tf1_pbtxt"] / "saved_model.pb").exists()
    return dirs


# --- one plain-Python structure for both readers --------------------------------------------------


def _tf_tensor(info: Any) -> dict[str, Any]:
    shape = info.tensor_shape
    return {
        "name": info.name,
        "encoding": info.WhichOneof("encoding") or "",
        "dtype": int(info.dtype),
        "shape": None if shape.unknown_rank else tuple(int(dim.size) for dim in shape.dim),
    }


def tf_structure(saved_model: Any) -> dict[str, Any]:
    """TensorFlow's parsed SavedModel proto as the plain structure `view_structure` gives."""
    return {
        "schema_version": int(saved_model.saved_model_schema_version),
        "meta_graphs": [
            {
                "tags": tuple(mg.meta_info_def.tags),
                "tensorflow_version": mg.meta_info_def.tensorflow_version,
                "is_tf2": mg.HasField("object_graph_def"),
                "signatures": {
                    key: {
                        "method_name": sig.method_name,
                        "inputs": {k: _tf_tensor(v) for k, v in sig.inputs.items()},
                        "outputs": {k: _tf_tensor(v) for k, v in sig.outputs.items()},
                        "defaults": frozenset(sig.defaults),
                    }
                    for key, sig in mg.signature_def.items()
                },
            }
            for mg in saved_model.meta_graphs
        ],
    }


def _view_tensor(key: str, tensor: TensorView) -> dict[str, Any]:
    assert tensor.key == key
    return {
        "name": tensor.name,
        "encoding": tensor.encoding,
        "dtype": tensor.dtype,
        "shape": tensor.shape,
    }


def view_structure(model: ModelView) -> dict[str, Any]:
    return {
        "schema_version": model.schema_version,
        "meta_graphs": [
            {
                "tags": mg.tags,
                "tensorflow_version": mg.tensorflow_version,
                "is_tf2": mg.is_tf2,
                "signatures": {
                    key: {
                        "method_name": sig.method_name,
                        "inputs": {k: _view_tensor(k, t) for k, t in sig.inputs.items()},
                        "outputs": {k: _view_tensor(k, t) for k, t in sig.outputs.items()},
                        "defaults": sig.defaults,
                    }
                    for key, sig in mg.signatures.items()
                },
            }
            for mg in model.meta_graphs
        ],
    }


def _parse_with_tf(export_dir: Path) -> Any:
    from tensorflow.python.saved_model import loader_impl

    return loader_impl.parse_saved_model(str(export_dir))


def _load_with_siglint(export_dir: Path) -> ModelView:
    model = load_model(str(export_dir))
    assert isinstance(model, ModelView), model
    return model


def _show(findings: tuple[Finding, ...] | list[Finding]) -> str:
    return "\n".join(str(f) for f in findings) or "(no findings)"


MODELS = ("tf2_module", "keras", "tf1_pb", "tf1_pbtxt")


# --- the view equals TensorFlow's reading --------------------------------------------------------


@pytest.mark.parametrize("name", MODELS)
def test_view_equals_tensorflow(tf: Any, exports: dict[str, Path], name: str) -> None:
    export_dir = exports[name]
    expected = tf_structure(_parse_with_tf(export_dir))
    model = _load_with_siglint(export_dir)
    assert view_structure(model) == expected
    assert expected["meta_graphs"], "TensorFlow read no meta graph"
    for mg, tf_mg in zip(model.meta_graphs, expected["meta_graphs"]):
        assert set(mg.signatures) == set(tf_mg["signatures"])


@pytest.mark.parametrize("name", MODELS)
def test_file_read_is_the_one_tensorflow_reads(exports: dict[str, Path], name: str) -> None:
    export_dir = exports[name]
    wanted = "saved_model.pbtxt" if name == "tf1_pbtxt" else "saved_model.pb"
    assert _load_with_siglint(export_dir).file == os.path.join(str(export_dir), wanted)


@pytest.mark.parametrize(
    ("name", "is_tf2"),
    [("tf2_module", True), ("keras", True), ("tf1_pb", False), ("tf1_pbtxt", False)],
)
def test_is_tf2(exports: dict[str, Path], name: str, is_tf2: bool) -> None:
    meta_graphs = _load_with_siglint(exports[name]).meta_graphs
    assert len(meta_graphs) == 1
    assert meta_graphs[0].is_tf2 is is_tf2


def test_tf2_module_export_contents(tf: Any, exports: dict[str, Path]) -> None:
    """The facts of contracts.md §1.8, seen through siglint's view of a real export."""
    (mg,) = _load_with_siglint(exports["tf2_module"]).meta_graphs
    assert mg.tags == (tf.saved_model.SERVING,)
    assert set(mg.signatures) == {"serving_default", "lengths", INIT_OP}
    serving = mg.signatures["serving_default"]
    assert serving.method_name == "tensorflow/serving/predict"
    assert serving.inputs["x"].name == "serving_default_x:0"
    assert serving.inputs["x"].dtype == tf.float32.as_datatype_enum
    assert serving.inputs["x"].shape == (-1, 3)
    assert set(serving.outputs) == {"y", "scaled"}
    lengths = mg.signatures["lengths"]
    assert set(lengths.inputs) == {"text", "count"}
    assert lengths.inputs["text"].dtype == tf.string.as_datatype_enum
    assert lengths.inputs["count"].dtype == tf.int64.as_datatype_enum
    assert lengths.defaults == frozenset({"count"})
    init = mg.signatures[INIT_OP]
    assert init.is_op_signature and init.method_name == "" and not init.inputs
    assert init.outputs[INIT_OP].name == "NoOp"
    assert init.outputs[INIT_OP].dtype == 0  # DT_INVALID
    assert init.outputs[INIT_OP].shape is None  # unknown_rank


def test_tf1_export_contents(tf: Any, exports: dict[str, Path]) -> None:
    (mg,) = _load_with_siglint(exports["tf1_pb"]).meta_graphs
    assert mg.tags == (tf.saved_model.SERVING,)
    assert {key: sig.method_name for key, sig in mg.signatures.items()} == {
        "classify": "tensorflow/serving/classify",
        "regress": "tensorflow/serving/regress",
        "serving_default": "tensorflow/serving/predict",
        "with_labels": "tensorflow/serving/predict",
    }
    predict = mg.signatures["serving_default"]
    assert predict.inputs["bias"].shape == ()
    assert predict.inputs["extra"].shape is None
    assert predict.outputs["echo"].shape is None
    assert predict.outputs["logits"].shape == (-1, 1)
    assert mg.signatures["regress"].outputs["outputs"].shape == (-1, 1)
    assert mg.signatures["classify"].outputs["classes"].dtype == tf.string.as_datatype_enum
    assert mg.signatures["with_labels"].outputs["labels"].shape == (2,)
    # siglint's is_valid_signature agrees with TensorFlow's on every real signature.
    saved_model = _parse_with_tf(exports["tf1_pb"])
    for key, sig in saved_model.meta_graphs[0].signature_def.items():
        assert tf.compat.v1.saved_model.is_valid_signature(sig) is True, key
        assert siglint.is_valid_signature(sig) is True, key


# --- lint ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MODELS)
def test_well_formed_exports_have_no_errors(exports: dict[str, Path], name: str) -> None:
    result = siglint.lint_paths([str(exports[name])])
    assert [m.loaded for m in result.models] == [True], _show(result.findings)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert not errors, _show(result.findings)
    assert not result.has_errors, _show(result.findings)


@pytest.mark.parametrize("name", ["tf2_module", "keras"])
def test_tf2_init_op_is_read_and_skipped(exports: dict[str, Path], name: str) -> None:
    """The init op TF2 writes is in the view and the summary, and no rule reports it.

    SIG103 (reserved-signature-key) speaks only of a signature under a reserved key that does
    not look like an op signature; the one `tf.saved_model.save` writes does, so it gets none.
    """
    result = siglint.lint_paths([str(exports[name])])
    assert [INIT_OP in m.signatures for m in result.models] == [True]
    init = [f for f in result.findings if f.location.signature == INIT_OP]
    assert init == [], _show(result.findings)
    assert not [f for f in result.findings if f.code == "SIG103"], _show(result.findings)


def test_tf1_findings(exports: dict[str, Path]) -> None:
    """Only `with_labels` is reported: REST's row format cannot split its constant `labels`."""
    result = siglint.lint_paths([str(exports["tf1_pb"])])
    assert [m.signatures for m in result.models] == [
        ("classify", "regress", "serving_default", "with_labels")
    ]
    assert {(f.code, f.severity, f.location.signature, f.location.tensor) for f in result.findings} == {
        ("SIG507", Severity.WARNING, "with_labels", "labels")
    }, _show(result.findings)


def _normalized(finding: Finding, export_dir: Path) -> dict[str, Any]:
    """The finding as a dict with the model's directory and file replaced by placeholders."""
    replacements = [
        (os.path.join(str(export_dir), name), "<file>")
        for name in ("saved_model.pbtxt", "saved_model.pb")
    ] + [(str(export_dir), "<dir>")]

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            for old, new in replacements:
                value = value.replace(old, new)
        return value

    return {key: clean(value) for key, value in finding.to_dict().items()}


def test_pb_and_pbtxt_give_the_same_findings(exports: dict[str, Path]) -> None:
    pb_dir, pbtxt_dir = exports["tf1_pb"], exports["tf1_pbtxt"]
    pb = siglint.lint_paths([str(pb_dir)])
    pbtxt = siglint.lint_paths([str(pbtxt_dir)])
    assert pb.findings, "the pb/pbtxt comparison needs findings to compare"
    assert {f.location.path for f in pb.findings} <= {str(pb_dir)}
    assert {f.location.path for f in pbtxt.findings} <= {str(pbtxt_dir)}
    assert [_normalized(f, pb_dir) for f in pb.findings] == [
        _normalized(f, pbtxt_dir) for f in pbtxt.findings
    ], f"pb:\n{_show(pb.findings)}\npbtxt:\n{_show(pbtxt.findings)}"
    # And the two views are equal apart from where they were read from.
    pb_view, pbtxt_view = _load_with_siglint(pb_dir), _load_with_siglint(pbtxt_dir)
    assert pb_view.without_graph_refs().meta_graphs == pbtxt_view.without_graph_refs().meta_graphs
    assert pb_view.schema_version == pbtxt_view.schema_version


# --- the seek reader on TensorFlow's own exports ------------------------------------------------


def test_seek_reader_views_and_graph_spans_equal_tensorflows(tf: Any, exports: dict[str, Path]) -> None:
    from siglint.io import seek_reader
    from siglint.io.source import LOCAL
    from siglint.model.load import parse_full
    from siglint.model.view import model_from_proto

    for name in ("tf2_module", "keras", "tf1_pb"):
        export_dir = exports[name]
        model = _load_with_siglint(export_dir)
        full = parse_full(str(export_dir / "saved_model.pb"))
        assert model.without_graph_refs() == model_from_proto(str(export_dir), model.file, full), name
        data = (export_dir / "saved_model.pb").read_bytes()
        with LOCAL.open(str(export_dir / "saved_model.pb")) as source:
            spans = seek_reader.read_saved_model(source).graphs
        for graph_spans, tf_meta_graph in zip(spans, _parse_with_tf(export_dir).meta_graphs, strict=True):
            assert graph_spans is not None
            graph_bytes = b"".join(data[s.offset : s.offset + s.length] for s in graph_spans)
            assert tf.compat.v1.GraphDef.FromString(graph_bytes) == tf_meta_graph.graph_def, name


def test_a_large_constant_is_not_read(tf: Any, tmp_path: Path) -> None:
    """A TF1 graph holding a 64 MiB constant: siglint reads a few KB of its saved_model.pb."""
    import numpy as np

    from siglint.io import seek_reader
    from siglint.io.source import LOCAL

    v1 = tf.compat.v1
    export_dir = tmp_path / "big"
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as session:
        x = v1.placeholder(tf.float32, [None, 4], name="x")
        table = tf.constant(np.ones([4 * 2**20, 4], np.float32), name="table")
        y = tf.identity(tf.matmul(x, table[:4]), name="y")
        builder = v1.saved_model.Builder(str(export_dir))
        builder.add_meta_graph_and_variables(
            session,
            [tf.saved_model.SERVING],
            signature_def_map={"serving_default": v1.saved_model.predict_signature_def({"x": x}, {"y": y})},
        )
        builder.save()
    path = export_dir / "saved_model.pb"
    assert path.stat().st_size > 64 * 2**20
    with LOCAL.open(str(path)) as source:
        result = seek_reader.read_saved_model(source)
    assert result.bytes_read < 64 * 1024, result.bytes_read
    assert list(result.proto.meta_graphs[0].signature_def) == ["serving_default"]
    assert not siglint.lint_paths(export_dir).findings
