"""The bundled `tf-ranking` and `keras-export` contract packs judge real TensorFlow exports right.

tf-ranking. tensorflow_ranking is not installable here, so `_ranking_stand_in` rebuilds its
`tfr.keras.saved_model.Signatures` (tensorflow_ranking/python/keras/saved_model.py) with the same
structure: `normalize_outputs`, `predict_tf_function`, `regress_tf_function` and
`__call__(serving_default="regress")`, exported as TF Ranking documents it,
`tf.saved_model.save(model, path, signatures=Signatures(model, ...)())`. Only the parsing is a
stand-in (`tf.io.parse_example` instead of TF Ranking's ExampleListWithContext and tf.Example
parsers), and the model is a one-weight scorer. This proves:
- what TF writes for those signatures (keys, method names, shapes), and that a faithful export
  keeps every tf-ranking contract, with either serving_default;
- each way of breaking what Signatures writes gives SIG601/SIG602 for the contract it breaks,
  and no other contract finding: a missing signature, a DT_FLOAT regress input, a regress output
  left unsqueezed, a single output under another key than `outputs`, a serving_default that is
  neither the regress nor the predict function;
- the pack's intent declaration: the predict signature, whose keys look like a Regress
  signature's, is checked as Predict with the pack on, and as Regress too without it.

keras-export (the policy of keras/saving/utils_v1/export_utils.py): a Keras 3 `model.export` and
a `tf.saved_model.save` of a Keras model keep it; several signatures without `serving_default`,
a signature keyed `train`, a TF1 Builder export serving supervised train/eval signatures, and a
predict signature without inputs break the contract each is about, in Python and through the
CLI's JSON output.

Every model is exported once per module (the exporters cache by their arguments).
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from siglint.cli import main
from siglint.engine.contracts import bundled_pack
from siglint.engine.options import Options
from siglint.findings import Finding, LintResult
from siglint.model.load import load_model
from siglint.model.view import MetaGraphView, ModelView
from siglint.run.lint import lint_paths

pytestmark = pytest.mark.tensorflow

# tf.saved_model constants, spelled out so the expectations read without TensorFlow at hand.
REGRESS = "tensorflow/serving/regress"  # tf.saved_model.REGRESS_METHOD_NAME, a signature key here
PREDICT = "tensorflow/serving/predict"  # tf.saved_model.PREDICT_METHOD_NAME, likewise
DEFAULT = "serving_default"  # tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY
INIT_OP = "__saved_model_init_op"

CONTRACT_CODES = ("SIG601", "SIG602")
REGRESS_RULES = ("SIG401", "SIG402", "SIG403", "SIG404", "SIG310")  # the core Regress contract
METHOD_NAME_MISMATCH = "SIG202"


# --- linting helpers -----------------------------------------------------------------------------


def _show(findings: Iterable[Finding]) -> str:
    return "\n".join(str(f.to_dict()) for f in findings) or "(no findings)"


def lint(path: Path, *packs: str) -> LintResult:
    """Lint one export with the bundled `packs` on; the model must have been read."""
    result = lint_paths(str(path), Options(packs=tuple(bundled_pack(name) for name in packs)))
    assert [m.loaded for m in result.models] == [True], _show(result.findings)
    assert not result.internal_errors, result.internal_errors
    return result


def contract_findings(result: LintResult) -> set[tuple[str, str | None, str | None]]:
    """(code, contract, signature) of each SIG601/SIG602 finding. Each names its contract, and
    none comes twice (so comparing sets hides no duplicate)."""
    found = [f for f in result.findings if f.code in CONTRACT_CODES]
    for finding in found:
        assert finding.contract is not None, finding
        assert finding.message.startswith(f"{finding.contract}: "), finding.message
    assert len({(f.code, f.contract, f.location.signature) for f in found}) == len(found), _show(found)
    return {(f.code, f.contract, f.location.signature) for f in found}


def only(result: LintResult, code: str, contract: str) -> Finding:
    (finding,) = [f for f in result.findings if (f.code, f.contract) == (code, contract)]
    return finding


def codes_on(result: LintResult, signature: str) -> set[str]:
    return {f.code for f in result.findings if f.location.signature == signature}


def served(path: Path) -> MetaGraphView:
    model = load_model(str(path))
    assert isinstance(model, ModelView), model
    (meta_graph,) = model.meta_graphs
    assert meta_graph.tags == ("serve",)
    return meta_graph


def served_keys(path: Path) -> set[str]:
    return set(served(path).signatures) - {INIT_OP}


def tf_signature_defs(path: Path) -> dict[str, Any]:
    """The served SignatureDefs as TensorFlow itself parses them."""
    from tensorflow.python.saved_model import loader_impl

    (meta_graph,) = loader_impl.parse_saved_model(str(path)).meta_graphs
    return dict(meta_graph.signature_def)


# --- a stand-in for tfr.keras.saved_model.Signatures ---------------------------------------------


def _ranking_stand_in(tf: Any) -> SimpleNamespace:
    class Scorer(tf.Module):
        """A ranking model: scores each candidate's feature `x` as w * x + b, [batch, list_size]
        in, [batch, list_size] out; with `output_key`, returns {output_key: scores}."""

        def __init__(self, output_key: str | None = None) -> None:
            super().__init__()
            self.w = tf.Variable(2.0)
            self.b = tf.Variable(0.5)
            self.output_key = output_key

        def __call__(self, inputs: dict[str, Any], training: bool = False) -> Any:
            scores = inputs["x"] * self.w + self.b
            return {self.output_key: scores} if self.output_key else scores

    class Signatures(tf.Module):
        """tfr.keras.saved_model.Signatures; `list_size` stands in for the example feature spec:
        None pads each batch to its longest list, as TF Ranking's ELWC parser does."""

        def __init__(self, model: Any, list_size: int | None = None) -> None:
            super().__init__()
            self._model = model
            self._list_size = list_size

        def normalize_outputs(self, default_key: str, outputs: Any) -> dict[str, Any]:
            if isinstance(outputs, tf.Tensor):
                return {default_key: outputs}
            elif isinstance(outputs, dict):
                return outputs
            raise TypeError("Model outputs need to be either a tensor or a dict of tensors.")

        def parse_from_example_list(self, serialized: Any) -> Any:
            """Stand-in for data.parse_from_example_list: x is [batch, list_size]."""
            if self._list_size is None:
                spec = {"x": tf.io.VarLenFeature(tf.float32)}
                return {"x": tf.sparse.to_dense(tf.io.parse_example(serialized, spec)["x"])}
            spec = {"x": tf.io.FixedLenFeature([self._list_size], tf.float32)}
            return tf.io.parse_example(serialized, spec)

        def parse_from_tf_example(self, serialized: Any) -> Any:
            """Stand-in for data.parse_from_tf_example: one candidate per example, [batch, 1]."""
            return tf.io.parse_example(serialized, {"x": tf.io.FixedLenFeature([1], tf.float32)})

        def predict_tf_function(self) -> Any:
            @tf.function(input_signature=[
                tf.TensorSpec(shape=[None], dtype=tf.string, name=tf.saved_model.PREDICT_INPUTS)
            ])
            def predict(serialized_elwcs: Any) -> dict[str, Any]:
                features = self.parse_from_example_list(serialized_elwcs)
                outputs = self._model(inputs=features, training=False)
                return self.normalize_outputs(tf.saved_model.PREDICT_OUTPUTS, outputs)

            return predict

        def regress_tf_function(self) -> Any:
            @tf.function(input_signature=[
                tf.TensorSpec(shape=[None], dtype=tf.string, name=tf.saved_model.REGRESS_INPUTS)
            ])
            def regress(serialized_examples: Any) -> dict[str, Any]:
                features = self.parse_from_tf_example(serialized_examples)
                outputs = tf.nest.map_structure(
                    functools.partial(tf.squeeze, axis=1), self._model(inputs=features, training=False)
                )
                return self.normalize_outputs(tf.saved_model.REGRESS_OUTPUTS, outputs)

            return regress

        def __call__(self, serving_default: str = "regress") -> dict[str, Any]:
            if serving_default not in ["regress", "predict"]:
                raise ValueError(f"serving_default should be 'regress' or 'predict', but got {serving_default}")
            serving_default_function = (
                self.regress_tf_function() if serving_default == "regress" else self.predict_tf_function()
            )
            return {
                tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY: serving_default_function,
                tf.saved_model.REGRESS_METHOD_NAME: self.regress_tf_function(),
                tf.saved_model.PREDICT_METHOD_NAME: self.predict_tf_function(),
            }

    class FloatInputSignatures(Signatures):
        """Broken: regress takes the feature itself (DT_FLOAT), not serialized tf.Examples."""

        def regress_tf_function(self) -> Any:
            @tf.function(input_signature=[
                tf.TensorSpec(shape=[None], dtype=tf.float32, name=tf.saved_model.REGRESS_INPUTS)
            ])
            def regress(x: Any) -> dict[str, Any]:
                outputs = tf.nest.map_structure(
                    functools.partial(tf.squeeze, axis=1), self._model(inputs={"x": x[:, None]}, training=False)
                )
                return self.normalize_outputs(tf.saved_model.REGRESS_OUTPUTS, outputs)

            return regress

    class UnsqueezedSignatures(Signatures):
        """Broken: regress returns the model's [batch, 1] scores without tf.squeeze(axis=1)."""

        def regress_tf_function(self) -> Any:
            @tf.function(input_signature=[
                tf.TensorSpec(shape=[None], dtype=tf.string, name=tf.saved_model.REGRESS_INPUTS)
            ])
            def regress(serialized_examples: Any) -> dict[str, Any]:
                features = self.parse_from_tf_example(serialized_examples)
                outputs = self._model(inputs=features, training=False)
                return self.normalize_outputs(tf.saved_model.REGRESS_OUTPUTS, outputs)

            return regress

    class ThirdDefaultSignatures(Signatures):
        """Broken: serving_default is `other`'s regress function, neither of this export's own."""

        def __init__(self, model: Any, other: type[Signatures]) -> None:
            super().__init__(model)
            self._other = other(model)

        def __call__(self, serving_default: str = "regress") -> dict[str, Any]:
            signatures = super().__call__(serving_default)
            signatures[tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY] = self._other.regress_tf_function()
            return signatures

    return SimpleNamespace(
        Scorer=Scorer, Signatures=Signatures, FloatInputSignatures=FloatInputSignatures,
        UnsqueezedSignatures=UnsqueezedSignatures, ThirdDefaultSignatures=ThirdDefaultSignatures,
    )


RankingExport = Callable[..., Path]


@pytest.fixture(scope="module")
def ranking_export(tf: Any, tmp_path_factory: pytest.TempPathFactory) -> RankingExport:
    """export(variant="faithful", serving_default="regress", list_size=None, output_key=None,
    drop=None, default_from=None) -> the export's folder, written once per set of arguments.

    variant: faithful | float-input | unsqueezed | third-default (serving_default is
    `default_from`'s regress: float-input or unsqueezed); `drop` removes one signature key.
    """
    stand_in = _ranking_stand_in(tf)
    classes = {
        "faithful": stand_in.Signatures,
        "float-input": stand_in.FloatInputSignatures,
        "unsqueezed": stand_in.UnsqueezedSignatures,
    }
    root = tmp_path_factory.mktemp("tf_ranking")
    done: dict[tuple[Any, ...], Path] = {}

    def export(
        variant: str = "faithful",
        serving_default: str = "regress",
        *,
        list_size: int | None = None,
        output_key: str | None = None,
        drop: str | None = None,
        default_from: str | None = None,
    ) -> Path:
        key = (variant, serving_default, list_size, output_key, drop, default_from)
        if key not in done:
            model = stand_in.Scorer(output_key)
            if variant == "third-default":
                assert default_from is not None
                maker = stand_in.ThirdDefaultSignatures(model, classes[default_from])
            else:
                maker = classes[variant](model, list_size)
            signatures = maker(serving_default)
            if drop is not None:
                del signatures[drop]
            path = root / f"export{len(done)}"
            tf.saved_model.save(model, str(path), signatures=signatures)
            done[key] = path
        return done[key]

    return export


# --- tf-ranking: what TensorFlow writes for Signatures ---------------------------------------------


@pytest.mark.parametrize("serving_default", ["regress", "predict"])
def test_ranking_export_contents(tf: Any, ranking_export: RankingExport, serving_default: str) -> None:
    """The facts the pack's contracts are about, read back from the export."""
    meta_graph = served(ranking_export(serving_default=serving_default))
    assert meta_graph.is_tf2
    signatures = meta_graph.signatures
    assert set(signatures) == {DEFAULT, REGRESS, PREDICT, INIT_OP}
    # tf.saved_model.save writes the predict method name whatever the key says.
    assert {signatures[key].method_name for key in (DEFAULT, REGRESS, PREDICT)} == {PREDICT}
    for key in (DEFAULT, REGRESS, PREDICT):
        (tensor,) = signatures[key].inputs.values()
        assert (tensor.key, tensor.dtype, tensor.shape) == ("inputs", tf.string.as_datatype_enum, (-1,))
        assert list(signatures[key].outputs) == ["outputs"]
        assert signatures[key].outputs["outputs"].dtype == tf.float32.as_datatype_enum
    assert signatures[REGRESS].outputs["outputs"].shape == (-1,)  # squeezed
    assert signatures[PREDICT].outputs["outputs"].shape == (-1, -1)  # the list size is dynamic
    twin = signatures[REGRESS if serving_default == "regress" else PREDICT]
    assert signatures[DEFAULT].outputs["outputs"].shape == twin.outputs["outputs"].shape
    # serving_default is its own function: only its tensor names tell it from its twin.
    assert signatures[DEFAULT].inputs["inputs"].name != twin.inputs["inputs"].name


# Not listed: serving_default="predict" with a static list size. No contract declares what
# serving_default is for, so its keys make it a Regress signature and the core's SIG404 judges
# its [batch, 5] scores.
@pytest.mark.parametrize(
    ("serving_default", "list_size"), [("regress", None), ("predict", None), ("regress", 5)]
)
def test_faithful_ranking_export_keeps_every_contract(
    ranking_export: RankingExport, serving_default: str, list_size: int | None
) -> None:
    result = lint(ranking_export(serving_default=serving_default, list_size=list_size), "tf-ranking")
    assert contract_findings(result) == set(), _show(result.findings)
    assert not result.has_errors, _show(result.findings)


# --- tf-ranking: each broken variant breaks its contract, and only it ------------------------------


@pytest.mark.parametrize(
    ("serving_default", "drop", "contract"),
    [
        ("predict", REGRESS, "tf-ranking/regress"),
        ("regress", PREDICT, "tf-ranking/predict"),
        ("regress", DEFAULT, "tf-ranking/serving-default"),
    ],
)
def test_missing_ranking_signature(
    ranking_export: RankingExport, serving_default: str, drop: str, contract: str
) -> None:
    path = ranking_export(serving_default=serving_default, drop=drop)
    assert drop not in served_keys(path)
    result = lint(path, "tf-ranking")
    assert contract_findings(result) == {("SIG602", contract, None)}, _show(result.findings)
    # The pack is what asks for the signature: without it, no finding names a contract.
    assert contract_findings(lint(path)) == set()


def test_regress_input_must_be_serialized_examples(tf: Any, ranking_export: RankingExport) -> None:
    path = ranking_export("float-input")
    regress = served(path).signatures[REGRESS]
    assert regress.inputs["inputs"].dtype == tf.float32.as_datatype_enum
    result = lint(path, "tf-ranking")
    # serving_default is built from the same regress_tf_function, so it still equals regress.
    assert contract_findings(result) == {("SIG601", "tf-ranking/regress", REGRESS)}, _show(result.findings)
    finding = only(result, "SIG601", "tf-ranking/regress")
    assert (finding.location.io, finding.location.tensor) == ("input", "inputs")
    assert finding.expected == "DT_STRING" and finding.actual == "DT_FLOAT"
    # The pack declares the signature Regress, so the core's Regress contract judges it too
    # (SIG403, an error); without the pack only its key names Regress: a warning that says so.
    declared = [f for f in result.findings if f.code == "SIG403" and f.location.signature == REGRESS]
    assert [f.severity.value for f in declared] == ["error"], _show(result.findings)
    inferred = [f for f in lint(path).findings if f.code == "SIG403" and f.location.signature == REGRESS]
    assert [f.severity.value for f in inferred] == ["warning"], _show(inferred)
    assert f"its key {REGRESS!r} names it" in inferred[0].message


def test_regress_output_must_be_squeezed(ranking_export: RankingExport) -> None:
    path = ranking_export("unsqueezed")
    assert served(path).signatures[REGRESS].outputs["outputs"].shape == (-1, 1)
    result = lint(path, "tf-ranking")
    assert contract_findings(result) == {("SIG601", "tf-ranking/regress", REGRESS)}, _show(result.findings)
    finding = only(result, "SIG601", "tf-ranking/regress")
    assert (finding.location.io, finding.location.tensor) == ("output", "outputs")
    # TF Serving's Regress API accepts [batch_size, 1]: only the pack sees the missing squeeze.
    assert "SIG404" not in codes_on(result, REGRESS), _show(result.findings)


def test_single_output_is_keyed_outputs(ranking_export: RankingExport) -> None:
    """A model returning {"scores": t}: normalize_outputs keeps a dict as it is."""
    path = ranking_export(output_key="scores")
    signatures = served(path).signatures
    assert {key: list(signatures[key].outputs) for key in (REGRESS, PREDICT)} == {
        REGRESS: ["scores"], PREDICT: ["scores"]
    }
    result = lint(path, "tf-ranking")
    assert contract_findings(result) == {
        ("SIG601", "tf-ranking/regress", REGRESS),
        ("SIG601", "tf-ranking/predict", PREDICT),
    }, _show(result.findings)
    for contract in ("tf-ranking/regress", "tf-ranking/predict"):
        finding = only(result, "SIG601", contract)
        assert "'outputs'" in finding.message and "scores" in finding.message, finding.message


@pytest.mark.parametrize("default_from", ["float-input", "unsqueezed"])
def test_serving_default_is_regress_or_predict(ranking_export: RankingExport, default_from: str) -> None:
    """A third serving_default: a DT_FLOAT input, or a [batch, 1] output (only a shape differs)."""
    path = ranking_export("third-default", default_from=default_from)
    result = lint(path, "tf-ranking")
    assert contract_findings(result) == {("SIG601", "tf-ranking/serving-default", DEFAULT)}, _show(
        result.findings
    )
    message = only(result, "SIG601", "tf-ranking/serving-default").message
    assert repr(REGRESS) in message and repr(PREDICT) in message, message


# --- tf-ranking: the predict signature is declared to be served by Predict -----------------------


def test_intent_predict_with_a_static_list_size(ranking_export: RankingExport) -> None:
    """Regress needs [batch] or [batch, 1] scores (SIG404); predict's [batch, 5] is fine."""
    path = ranking_export(list_size=5)
    assert served(path).signatures[PREDICT].outputs["outputs"].shape == (-1, 5)
    without = lint(path)
    assert codes_on(without, PREDICT) & set(REGRESS_RULES) == {"SIG404"}, _show(without.findings)
    assert METHOD_NAME_MISMATCH in codes_on(without, PREDICT), _show(without.findings)
    with_pack = lint(path, "tf-ranking")
    assert not codes_on(with_pack, PREDICT) & {*REGRESS_RULES, METHOD_NAME_MISMATCH}, _show(with_pack.findings)
    # The regress signature is declared Regress: written with the predict method name by TF2,
    # it still gets the method-name warning.
    assert METHOD_NAME_MISMATCH in codes_on(with_pack, REGRESS), _show(with_pack.findings)


def test_intent_predict_with_a_dynamic_list_size(ranking_export: RankingExport) -> None:
    """TF Ranking's own case: [batch, -1] scores may be [batch, 1], so no SIG404 either way; the
    key shape alone makes siglint take the predict signature for a Regress one (SIG202)."""
    path = ranking_export()
    assert served(path).signatures[PREDICT].outputs["outputs"].shape == (-1, -1)
    without = lint(path)
    assert codes_on(without, PREDICT) & {*REGRESS_RULES, METHOD_NAME_MISMATCH} == {METHOD_NAME_MISMATCH}, (
        _show(without.findings)
    )
    with_pack = lint(path, "tf-ranking")
    assert not codes_on(with_pack, PREDICT) & {*REGRESS_RULES, METHOD_NAME_MISMATCH}, _show(with_pack.findings)


# --- keras-export ----------------------------------------------------------------------------------


def _keras_model(tf: Any) -> Any:
    keras = tf.keras
    inputs = keras.Input(shape=(3,), name="features")
    hidden = keras.layers.Dense(4, activation="relu")(inputs)
    outputs = keras.layers.Dense(1, name="score")(hidden)
    return keras.Model(inputs, outputs)


def _module(tf: Any) -> Any:
    class Module(tf.Module):
        def __init__(self) -> None:
            super().__init__()
            self.w = tf.Variable(2.0)

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32, name="x")])
        def double(self, x: Any) -> dict[str, Any]:
            return {"y": x * self.w}

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32, name="x")])
        def halve(self, x: Any) -> dict[str, Any]:
            return {"y": x / self.w}

        @tf.function(input_signature=[])
        def weight(self) -> dict[str, Any]:
            return {"w": tf.identity(self.w)}

    return Module()


def _module_export(signatures: Callable[[Any], dict[str, Any] | None]) -> Callable[[Any, Path], None]:
    def export(tf: Any, path: Path) -> None:
        module = _module(tf)
        chosen = signatures(module)
        if chosen is None:
            tf.saved_model.save(module, str(path))
        else:
            tf.saved_model.save(module, str(path), signatures=chosen)

    return export


def _export_tf1_supervised(tf: Any, path: Path) -> None:
    """A TF1 graph whose serve meta graph holds a predict, a train and an eval signature."""
    from tensorflow.python.saved_model import signature_def_utils_impl as signature_def_utils

    v1 = tf.compat.v1
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as session:
        x = v1.placeholder(tf.float32, [None], name="x")
        label = v1.placeholder(tf.float32, [None], name="label")
        w = v1.get_variable("w", initializer=tf.constant(2.0))
        y = tf.multiply(x, w, name="y")
        loss = tf.reduce_mean(tf.square(y - label), name="loss")
        session.run(v1.global_variables_initializer())
        inputs = {"x": x, "label": label}
        signatures = {
            "serving_default": v1.saved_model.predict_signature_def({"x": x}, {"y": y}),
            "training": signature_def_utils.supervised_train_signature_def(
                inputs, {"loss": loss}, predictions={"y": y}
            ),
            "evaluation": signature_def_utils.supervised_eval_signature_def(
                inputs, {"loss": loss}, predictions={"y": y}
            ),
        }
        builder = v1.saved_model.Builder(str(path))
        builder.add_meta_graph_and_variables(session, [tf.saved_model.SERVING], signature_def_map=signatures)
        builder.save()


KERAS_EXPORTS: dict[str, Callable[[Any, Path], None]] = {
    "keras-model-export": lambda tf, path: _keras_model(tf).export(str(path), verbose=False),
    "keras-saved-model": lambda tf, path: tf.saved_model.save(_keras_model(tf), str(path)),
    "two-without-default": _module_export(lambda m: {"a": m.double, "b": m.halve}),
    "one-without-default": _module_export(lambda m: {"a": m.double}),
    "train-key": _module_export(lambda m: {"serving_default": m.double, "train": m.halve}),
    "no-inputs": _module_export(lambda m: {"serving_default": m.double, "weight": m.weight}),
    "no-signatures": _module_export(lambda m: None),
    "tf1-supervised": _export_tf1_supervised,
}


@pytest.fixture(scope="module")
def keras_export(tf: Any, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """export(name) -> the folder of KERAS_EXPORTS[name], written once."""
    root = tmp_path_factory.mktemp("keras_export")
    done: dict[str, Path] = {}

    def export(name: str) -> Path:
        if name not in done:
            path = root / name
            KERAS_EXPORTS[name](tf, path)
            done[name] = path
        return done[name]

    return export


@pytest.mark.parametrize(
    ("name", "signatures"),
    [
        # ExportArchive's default endpoint `serve`, also written as serving_default.
        ("keras-model-export", {"serve", "serving_default"}),
        ("keras-saved-model", {"serving_default"}),
    ],
)
def test_keras_exports_keep_the_policy(
    keras_export: Callable[[str], Path], name: str, signatures: set[str]
) -> None:
    path = keras_export(name)
    assert served_keys(path) == signatures
    result = lint(path, "keras-export")
    assert contract_findings(result) == set(), _show(result.findings)


def test_several_signatures_need_a_default(keras_export: Callable[[str], Path]) -> None:
    path = keras_export("two-without-default")
    assert served_keys(path) == {"a", "b"}
    result = lint(path, "keras-export")
    assert contract_findings(result) == {("SIG602", "keras-export/default-signature", None)}, _show(
        result.findings
    )
    assert "2 signatures" in only(result, "SIG602", "keras-export/default-signature").message


def test_a_single_signature_needs_no_default(keras_export: Callable[[str], Path]) -> None:
    """`required: {min-signatures: 2}`: one signature under another key is not the pack's
    business (the core's SIG102 warns about it)."""
    path = keras_export("one-without-default")
    assert served_keys(path) == {"a"}
    result = lint(path, "keras-export")
    assert contract_findings(result) == set(), _show(result.findings)


def test_a_train_signature_is_not_served(keras_export: Callable[[str], Path]) -> None:
    path = keras_export("train-key")
    signatures = served(path).signatures
    assert signatures["train"].method_name == PREDICT  # only its key says it is for training
    result = lint(path, "keras-export")
    assert contract_findings(result) == {("SIG601", "keras-export/train-not-served", "train")}, _show(
        result.findings
    )


def test_tf1_supervised_signatures_are_not_served(tf: Any, keras_export: Callable[[str], Path]) -> None:
    """Builder puts whatever it is given in the serve meta graph; Keras would keep only the
    signatures is_valid_signature accepts (build_all_signature_defs(serving_only=True))."""
    path = keras_export("tf1-supervised")
    signatures = served(path).signatures
    assert {key: s.method_name for key, s in signatures.items()} == {
        "serving_default": PREDICT,
        "training": "tensorflow/supervised/training",
        "evaluation": "tensorflow/supervised/eval",
    }
    rejected = {
        key for key, signature_def in tf_signature_defs(path).items()
        if not tf.compat.v1.saved_model.is_valid_signature(signature_def)
    }
    assert rejected == {"training", "evaluation"}
    result = lint(path, "keras-export")
    assert contract_findings(result) == {
        ("SIG601", "keras-export/train-not-served", "training"),
        ("SIG601", "keras-export/eval-not-served", "evaluation"),
    }, _show(result.findings)


def test_a_predict_signature_has_inputs(tf: Any, keras_export: Callable[[str], Path]) -> None:
    path = keras_export("no-inputs")
    assert served(path).signatures["weight"].inputs == {}
    defs = tf_signature_defs(path)
    assert not tf.compat.v1.saved_model.is_valid_signature(defs["weight"])
    assert tf.compat.v1.saved_model.is_valid_signature(defs["serving_default"])
    result = lint(path, "keras-export")
    assert contract_findings(result) == {("SIG601", "keras-export/predict-has-inputs", "weight")}, _show(
        result.findings
    )


def test_an_export_without_signatures_serves_only_the_init_op(keras_export: Callable[[str], Path]) -> None:
    signatures = served(keras_export("no-signatures")).signatures
    assert list(signatures) == [INIT_OP] and signatures[INIT_OP].is_op_signature


def test_an_export_without_signatures_breaks_has_signatures(keras_export: Callable[[str], Path]) -> None:
    result = lint(keras_export("no-signatures"), "keras-export")
    assert contract_findings(result) == {("SIG602", "keras-export/has-signatures", None)}, _show(
        result.findings
    )


def test_cli_json_names_the_contract(keras_export: Callable[[str], Path]) -> None:
    path = str(keras_export("two-without-default"))

    def check(*extra: str) -> tuple[int, dict[str, Any]]:
        out = io.StringIO()
        code = main(["check", path, "--isolated", "--format", "json", *extra], stdout=out)
        return code, json.loads(out.getvalue())

    code, report = check("--contracts", "keras-export")
    assert code == 1, report
    assert [m["loaded"] for m in report["models"]] == [True]
    named = [(f["code"], f["contract"]) for f in report["findings"] if f["contract"] is not None]
    assert named == [("SIG602", "keras-export/default-signature")], report["findings"]
    assert report["summary"]["error"] == 1, report["summary"]
    # Without the pack the same model has only the core's warning about the missing default.
    code, report = check()
    assert code == 0, report
    assert [f["contract"] for f in report["findings"]] == [None] * len(report["findings"])
    assert report["summary"]["error"] == 0, report["summary"]
