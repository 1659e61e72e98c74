"""`siglint diff` on real re-exports, built by TensorFlow at test time: the same Keras model
exported by `model.export()` and by `tf.saved_model.save`; a TF1 `Builder` classify model
re-exported by TF2; a model re-exported with an extra output; an input renamed.

Each test reads what changed from TensorFlow's own parse of the two SavedModels
(`loader_impl.parse_saved_model`, the oracle), asserts the facts it relies on, and derives from
them the findings siglint must give, rule by rule; they are written here, not copied from
siglint's output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from siglint import diff_models
from siglint.engine.diff import LEVELS

PREDICT, CLASSIFY, REGRESS = (f"tensorflow/serving/{api}" for api in ("predict", "classify", "regress"))
INIT_OP = "__saved_model_init_op"


def _signatures(tf: Any, directory: Path) -> dict[str, Any]:
    """The served signatures as TensorFlow parses the SavedModel (its MetaGraphDef tagged serve)."""
    from tensorflow.python.saved_model import loader_impl

    saved_model = loader_impl.parse_saved_model(str(directory))
    (meta_graph,) = [mg for mg in saved_model.meta_graphs if set(mg.meta_info_def.tags) == {"serve"}]
    return {key: signature for key, signature in meta_graph.signature_def.items() if key != INIT_OP}


def _found(old: Path, new: Path, level: str) -> set[tuple[str, str | None, str | None]]:
    return {(f.code, f.location.signature, f.location.tensor) for f in diff_models(old, new, level=level)}


def _names(signatures: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    """(signature, io, key) -> the graph tensor name, for every tensor."""
    return {
        (key, io, alias): info.name
        for key, signature in signatures.items()
        for io, tensors in (("input", signature.inputs), ("output", signature.outputs))
        for alias, info in tensors.items()
    }


def _renamed_tensors(old: dict[str, Any], new: dict[str, Any]) -> set[tuple[str, str | None, str | None]]:
    """SIG760 for every tensor both signatures have under one key whose graph name changed."""
    before, after = _names(old), _names(new)
    return {("SIG760", key, alias) for (key, io, alias), name in before.items() if (key, io, alias) in after and after[(key, io, alias)] != name}


@pytest.fixture(scope="module")
def exports(tf: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import keras

    from siglint.fixturegen.tf_exporters import tf1_builder

    root = tmp_path_factory.mktemp("reexports")
    paths: dict[str, Path] = {}

    # One Keras model, exported twice.
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(3,), name="features")
    outputs = keras.layers.Dense(2, activation="softmax", name="probabilities")(inputs)
    model = keras.Model(inputs, outputs, name="churn")
    paths["keras_export"] = root / "keras_export"
    model.export(str(paths["keras_export"]), format="tf_saved_model", verbose=False)
    paths["keras_save"] = root / "keras_save"
    tf.saved_model.save(model, str(paths["keras_save"]))

    # A TF1 Builder export (classify, regress and predict signatures), loaded and saved by TF2.
    paths["tf1"] = root / "tf1"
    tf1_builder(str(paths["tf1"]))
    loaded = tf.saved_model.load(str(paths["tf1"]))
    paths["tf1_resaved"] = root / "tf1_resaved"
    tf.saved_model.save(loaded, str(paths["tf1_resaved"]), signatures=dict(loaded.signatures))

    # A module re-exported with an extra output (a constant list of labels, no batch dimension),
    # and with its input renamed.
    spec_x = tf.TensorSpec([None, 3], tf.float32)

    class Scorer(tf.Module):  # type: ignore[misc]
        @tf.function(input_signature=[spec_x])  # type: ignore[untyped-decorator]
        def one_output(self, x: Any) -> Any:
            return {"scores": tf.nn.softmax(x)}

        @tf.function(input_signature=[spec_x])  # type: ignore[untyped-decorator]
        def two_outputs(self, x: Any) -> Any:
            return {"scores": tf.nn.softmax(x), "labels": tf.constant(["a", "b", "c"])}

        @tf.function(input_signature=[spec_x])  # type: ignore[untyped-decorator]
        def renamed(self, features: Any) -> Any:
            return {"scores": tf.nn.softmax(features)}

    scorer = Scorer()
    for name in ("one_output", "two_outputs", "renamed"):
        paths[name] = root / name
        tf.saved_model.save(scorer, str(paths[name]), signatures={"serving_default": getattr(scorer, name)})
    return paths


def test_keras_model_export_against_tf_saved_model_save(tf: Any, exports: dict[str, Path]) -> None:
    """`model.export()` serves `serve` and `serving_default`, taking the Input layer's name;
    `tf.saved_model.save` of the same model serves `serving_default` only, taking the name of
    Keras' call argument (keras-team/keras#19458)."""
    old, new = _signatures(tf, exports["keras_export"]), _signatures(tf, exports["keras_save"])
    gone = set(old) - set(new)
    old_inputs, new_inputs = set(old["serving_default"].inputs), set(new["serving_default"].inputs)
    assert "serve" in gone and old_inputs == {"features"} and new_inputs != old_inputs
    assert set(old["serving_default"].outputs) == set(new["serving_default"].outputs)  # output_0 both
    assert not new["serving_default"].defaults
    expected = (
        {("SIG701", key, None) for key in gone}  # signatures gone
        | {("SIG720", "serving_default", key) for key in old_inputs - new_inputs}  # inputs gone
        | {("SIG721", "serving_default", key) for key in new_inputs - old_inputs}  # inputs new, no default
    )
    for level in ("grpc", "rest"):
        assert _found(exports["keras_export"], exports["keras_save"], level) == expected
    strict = expected | _renamed_tensors(old, new)
    assert _found(exports["keras_export"], exports["keras_save"], "strict") == strict
    # And back: the inputs the other way round, and `serve` new (strict only).
    back = {("SIG720", "serving_default", key) for key in new_inputs - old_inputs} | {
        ("SIG721", "serving_default", key) for key in old_inputs - new_inputs}
    assert _found(exports["keras_save"], exports["keras_export"], "grpc") == back
    assert ("SIG704", "serve", None) in _found(exports["keras_save"], exports["keras_export"], "strict")


def test_tf1_classify_model_re_exported_by_tf2(tf: Any, exports: dict[str, Path]) -> None:
    """TF2 writes tensorflow/serving/predict for every signature: Classify and Regress requests
    fail once the server checks method names (warnings), and every graph tensor is renamed."""
    old, new = _signatures(tf, exports["tf1"]), _signatures(tf, exports["tf1_resaved"])
    assert set(old) == set(new) == {"serving_default", "classify", "regress"}
    assert {key: s.method_name for key, s in old.items()} == {"serving_default": PREDICT, "classify": CLASSIFY, "regress": REGRESS}
    assert {s.method_name for s in new.values()} == {PREDICT}
    for key in old:  # keys, dtypes and shapes are kept
        for io in ("inputs", "outputs"):
            before, after = getattr(old[key], io), getattr(new[key], io)
            assert {k: (t.dtype, t.tensor_shape) for k, t in before.items()} == {k: (t.dtype, t.tensor_shape) for k, t in after.items()}
    method_changes = {("SIG711", key, None) for key in old if old[key].method_name != new[key].method_name}
    assert method_changes == {("SIG711", "classify", None), ("SIG711", "regress", None)}
    for level in ("grpc", "rest"):
        findings = diff_models(exports["tf1"], exports["tf1_resaved"], level=level)
        assert {(f.code, f.location.signature, f.location.tensor) for f in findings} == method_changes
        assert {f.severity.value for f in findings} == {"warning"}  # the check is off by default
    strict = method_changes | _renamed_tensors(old, new)
    assert len(strict) > 2 and _found(exports["tf1"], exports["tf1_resaved"], "strict") == strict


def test_a_model_re_exported_with_an_extra_output(tf: Any, exports: dict[str, Path]) -> None:
    """gRPC clients read the outputs they know; REST's responses change form (one output to two),
    and the new output, a constant without the batch dimension, breaks REST's row format."""
    old, new = _signatures(tf, exports["one_output"]), _signatures(tf, exports["two_outputs"])
    (added,) = set(new["serving_default"].outputs) - set(old["serving_default"].outputs)
    assert len(old["serving_default"].outputs) == 1 and added == "labels"
    assert [d.size for d in new["serving_default"].outputs["labels"].tensor_shape.dim] == [3]  # no batch
    assert _found(exports["one_output"], exports["two_outputs"], "grpc") == set()
    rest = {("SIG751", "serving_default", None), ("SIG752", "serving_default", "labels")}
    assert _found(exports["one_output"], exports["two_outputs"], "rest") == rest
    strict = rest | {("SIG762", "serving_default", "labels")} | _renamed_tensors(old, new)
    assert _found(exports["one_output"], exports["two_outputs"], "strict") == strict


def test_a_renamed_input(tf: Any, exports: dict[str, Path]) -> None:
    """An input renamed is an input gone (with the rename hinted, same dtype and shape) and a
    required one added, at every level."""
    old, new = _signatures(tf, exports["one_output"]), _signatures(tf, exports["renamed"])
    assert set(old["serving_default"].inputs) == {"x"} and set(new["serving_default"].inputs) == {"features"}
    expected = {("SIG720", "serving_default", "x"), ("SIG721", "serving_default", "features")}
    for level in LEVELS:
        found = diff_models(exports["one_output"], exports["renamed"], level=level)
        codes = {(f.code, f.location.signature, f.location.tensor) for f in found}
        extra = _renamed_tensors(old, new) if level.value == "strict" else set()
        assert codes == expected | extra, level
        assert "(renamed to 'features'?)" in next(f.message for f in found if f.code == "SIG720")
