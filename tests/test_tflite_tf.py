"""TF Lite models against TensorFlow: models converted at test time (TFLiteConverter from a
SavedModel with one, several and every signature key, from concrete functions, from a Keras
model) read by siglint give `tf.lite.Interpreter(...).get_signature_list()`, each signature's
tensors as its signature runner describes them, and subgraph 0's inputs and outputs as the
interpreter lists them; TF Serving's view follows tflite_session.cc applied to what TensorFlow
says of the tensors; the comparison with the SavedModel finds exactly the signatures the
conversion left out; siglint's fixture writer gives files TensorFlow reads as siglint does; and
mutated files TensorFlow accepts, siglint reads the same."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, scaled

from siglint.engine.options import Options
from siglint.engine.profile import Profile
from siglint.model.conversion import SIGNATURE_KEYS, compare
from siglint.model.load import load_model
from siglint.model.view import TFLITE, ModelView
from siglint.run.lint import lint_paths

pytestmark = pytest.mark.tensorflow


def _interpreter(tf: Any, path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tf.lite.Interpreter's deprecation notice
        return tf.lite.Interpreter(model_path=str(path))


def _saved_model(tf: Any, folder: Path) -> Path:
    """A SavedModel with three signatures: a dict of outputs, twelve outputs of a tuple (whose
    subgraph orders them otherwise), and an int64 input with a fixed first dimension."""

    class Model(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x"), tf.TensorSpec([None], tf.int32, name="k")])
        def predict(self, x: Any, k: Any) -> Any:
            return {"scores": x * 2.0, "total": tf.reduce_sum(x, axis=1), "count": k + 1}

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def many(self, x: Any) -> Any:
            return tuple(x * float(i + 2) for i in range(12))

        @tf.function(input_signature=[tf.TensorSpec([2, None], tf.int64, name="q")])
        def other(self, q: Any) -> Any:
            return q + 1

    model = Model()
    tf.saved_model.save(model, str(folder), signatures={"serving_default": model.predict, "many": model.many, "other": model.other})
    return folder


@pytest.fixture(scope="module")
def converted(tf: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> a `.tflite` converted by TensorFlow; "saved_model" -> the SavedModel."""
    root = tmp_path_factory.mktemp("tflite_tf")
    saved = _saved_model(tf, root / "saved_model")
    paths: dict[str, Path] = {"saved_model": saved}

    def write(name: str, converter: Any) -> None:
        paths[name] = root / f"{name}.tflite"
        paths[name].write_bytes(converter.convert())

    lite = tf.lite.TFLiteConverter
    write("every_key", lite.from_saved_model(str(saved)))
    write("one_key", lite.from_saved_model(str(saved), signature_keys=["other"]))
    write("two_keys", lite.from_saved_model(str(saved), signature_keys=["many", "serving_default"]))
    loaded = tf.saved_model.load(str(saved))
    write("concrete_one", lite.from_concrete_functions([loaded.signatures["other"]], loaded))
    functions = [loaded.signatures["serving_default"], loaded.signatures["many"]]
    write("concrete_two", lite.from_concrete_functions(functions, loaded))
    inputs = tf.keras.Input((4,), name="features")
    hidden = tf.keras.layers.Dense(3, name="hidden")(inputs)
    keras = tf.keras.Model(inputs, {"logits": tf.keras.layers.Dense(2, name="logits")(hidden), "hidden": hidden})
    write("keras", lite.from_keras_model(keras))
    return paths


KINDS = ("every_key", "one_key", "two_keys", "concrete_one", "concrete_two", "keras")


def _view(path: Path) -> ModelView:
    model = load_model(str(path), None, TFLITE)
    assert isinstance(model, ModelView) and model.tflite is not None, model
    return model


@pytest.mark.parametrize("kind", KINDS)
def test_signature_list_is_the_interpreters(tf: Any, converted: dict[str, Path], kind: str) -> None:
    interpreter = _interpreter(tf, converted[kind])
    model = _view(converted[kind])
    assert model.tflite and model.tflite.signature_list() == interpreter.get_signature_list()
    assert json.loads(json.dumps(model.tflite.signature_list())) == interpreter.get_signature_list()


@pytest.mark.parametrize("kind", KINDS)
def test_signature_tensors_are_the_runners(tf: Any, converted: dict[str, Path], kind: str) -> None:
    interpreter = _interpreter(tf, converted[kind])
    model = _view(converted[kind])
    assert model.tflite and model.tflite.native
    for signature in model.tflite.native:
        runner = interpreter.get_signature_runner(signature.key)
        details = {"input": runner.get_input_details(), "output": runner.get_output_details()}
        for io, tensors in (("input", signature.inputs), ("output", signature.outputs)):
            for tensor in tensors:
                record, expected = tensor.tensor, details[io][tensor.alias]
                assert record is not None and record.name is not None
                assert record.name.decode() == expected["name"]
                assert list(record.shape or ()) == list(expected["shape"])
                assert list(record.shape_signature or record.shape or ()) == list(expected["shape_signature"])
                assert _dtype(tf, record.type) == tf.as_dtype(expected["dtype"]).as_datatype_enum


def _dtype(tf: Any, tensor_type: int) -> int:
    from siglint.savedmodel.tflite_schema import dtype_of

    found = dtype_of(tensor_type)
    assert found is not None
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_serving_view_follows_tflite_session_on_the_interpreters_tensors(tf: Any, converted: dict[str, Path], kind: str) -> None:
    """No signature_defs_metadata: TfLiteSession::Create's generated serving_default, from the
    interpreter's input and output details: each tensor keyed by its name up to the first `:`
    (in name order, a later name taking an earlier one's key), with its name, dtype and shape."""
    interpreter = _interpreter(tf, converted[kind])
    expected: dict[str, dict[str, tuple[str, int, tuple[int, ...]]]] = {}
    for io, details in (("inputs", interpreter.get_input_details()), ("outputs", interpreter.get_output_details())):
        expected[io] = {}
        for detail in sorted(details, key=lambda d: d["name"]):
            dtype = tf.as_dtype(detail["dtype"]).as_datatype_enum
            expected[io][detail["name"].split(":", 1)[0]] = (detail["name"], dtype, tuple(int(n) for n in detail["shape"]))
    model = _view(converted[kind])
    [signature] = model.meta_graphs[0].signatures.values()
    assert signature.key == "serving_default" and signature.method_name == "tensorflow/serving/predict"
    found = {
        io: {t.key: (t.name, t.dtype, t.shape) for t in tensors.values()}
        for io, tensors in (("inputs", signature.inputs), ("outputs", signature.outputs))
    }
    assert found == expected
    assert model.tflite and model.tflite.synthesised


def test_only_subgraph_0_is_served(tf: Any, converted: dict[str, Path]) -> None:
    """Every key converted: the subgraphs follow the keys' order, and TF Serving's one generated
    signature is the first key's (`many`), not serving_default (tensorflow/serving#2070)."""
    interpreter = _interpreter(tf, converted["every_key"])
    model = _view(converted["every_key"])
    assert list(interpreter.get_signature_list()) == ["many", "other", "serving_default"]
    assert model.tflite and model.tflite.native and model.tflite.native[0].subgraph_index == 0
    inputs = model.meta_graphs[0].signatures["serving_default"].inputs
    assert [t.name for t in inputs.values()] == [d["name"] for d in interpreter.get_input_details()]
    codes = {f.code for f in lint_paths([str(converted["every_key"])], Options(profile=Profile(prefer_tflite_model=True))).findings}
    assert {"SIG902", "SIG914"} <= codes


@pytest.mark.parametrize("kind", ["every_key", "one_key", "two_keys"])
def test_the_comparison_finds_the_signatures_left_out(tf: Any, converted: dict[str, Path], kind: str) -> None:
    saved = load_model(str(converted["saved_model"]))
    assert isinstance(saved, ModelView)
    model = _view(converted[kind])
    assert model.tflite and model.tflite.native is not None
    differences = compare(saved.meta_graphs[0].signatures, model.tflite.native)
    left_out = set(tf.saved_model.load(str(converted["saved_model"])).signatures) - set(_interpreter(tf, converted[kind]).get_signature_list())
    assert {d.signature for d in differences if d.kind == SIGNATURE_KEYS} == left_out
    assert [d for d in differences if d.kind != SIGNATURE_KEYS] == []  # keys, dtypes, shapes as converted


def test_metadata_written_with_tensorflows_own_schema_code(tf: Any, converted: dict[str, Path], tmp_path: Path) -> None:
    """signature_defs_metadata added as SetSignatureDefMap adds it (the model unpacked and packed
    again by TF Lite's generated Python, a FlexBuffer map of strings): TF Serving serves those
    SignatureDefs, names fixed to the model's tensors."""
    import flatbuffers
    from flatbuffers import flexbuffers
    from tensorflow.core.protobuf import meta_graph_pb2
    from tensorflow.lite.python import schema_py_generated as schema

    interpreter = _interpreter(tf, converted["one_key"])
    [q] = interpreter.get_input_details()
    [out] = interpreter.get_output_details()
    signature = meta_graph_pb2.SignatureDef(method_name="tensorflow/serving/predict")
    signature.inputs["q"].name = q["name"]  # other_q:0, as the tensor
    signature.inputs["q"].dtype = tf.int64.as_datatype_enum
    signature.outputs["result"].name = out["name"].split(":")[0] + ":0"
    signature.outputs["result"].dtype = tf.int64.as_datatype_enum
    builder = flexbuffers.Builder()
    with builder.Map():
        builder.Key("other")
        builder._WriteBlob(signature.SerializeToString(), append_zero=True, type_=flexbuffers.Type.STRING)
    metadata = builder.Finish()
    model = schema.ModelT.InitFromPackedBuf(converted["one_key"].read_bytes(), 0)
    buffer = schema.BufferT()
    buffer.data = list(metadata)
    model.buffers.append(buffer)
    entry = schema.MetadataT()
    entry.name, entry.buffer = b"signature_defs_metadata", len(model.buffers) - 1
    model.metadata.append(entry)
    packer = flatbuffers.Builder(1024)
    packer.Finish(model.Pack(packer), file_identifier=b"TFL3")
    path = tmp_path / "with_metadata.tflite"
    path.write_bytes(bytes(packer.Output()))
    assert _interpreter(tf, path).get_signature_list() == {"other": {"inputs": ["q"], "outputs": ["output_0"]}}
    view = _view(path)
    served = view.meta_graphs[0].signatures
    assert list(served) == ["other"] and view.tflite and view.tflite.problems == ()
    assert served["other"].inputs["q"].name == q["name"]
    assert served["other"].outputs["result"].name == out["name"] if ":" not in out["name"] else True
    codes = {f.code for f in lint_paths([str(path)], Options(profile=Profile(prefer_tflite_model=True))).findings}
    assert "SIG907" in codes  # output `result` is `output_0` for the signature runner
    assert "SIG902" not in codes


def test_the_fixture_writer_writes_what_tensorflow_reads(tf: Any) -> None:
    """Every TF Lite model of the rules' fixtures that TensorFlow loads: siglint lists its
    signatures as the interpreter does."""
    compared = 0
    for path in sorted((ROOT / "fixtures" / "rules").glob("SIG9*/*/model/1/model.tflite")):
        try:
            interpreter = _interpreter(tf, path)
        except ValueError:
            continue  # SIG900's broken files
        model = load_model(str(path.parent), 1, TFLITE)
        assert isinstance(model, ModelView) and model.tflite, path
        assert model.tflite.signature_list() == interpreter.get_signature_list(), path
        compared += 1
    assert compared >= 20


_PROBE = """
import json, sys, warnings
warnings.simplefilter("ignore")
import tensorflow as tf
for line in sys.stdin:
    path = line.strip()
    try:
        with open(path, "rb") as file:  # from bytes: the interpreter verifies the FlatBuffer first
            result = tf.lite.Interpreter(model_content=file.read()).get_signature_list()
    except Exception as error:
        result = None
    print(json.dumps([path, result]), flush=True)
"""


@pytest.mark.slow
def test_files_tensorflow_accepts_siglint_reads_alike(tf: Any, converted: dict[str, Path], testdata: Path, tmp_path: Path) -> None:
    """Mutations of converted and TF Serving models: where TensorFlow's interpreter accepts one
    (given its bytes, it verifies the FlatBuffer first; given a path, it does not, and reads
    whatever a bad offset points at), siglint reads it, with the same signature list. Run in a
    child process, restarted if a mutation crashes TensorFlow."""
    seeds = [converted[kind].read_bytes() for kind in ("two_keys", "concrete_one", "keras")]
    seeds += [p.read_bytes() for p in sorted((testdata / "tflite").glob("*/*/model.tflite"))]
    rng = random.Random(1616)
    files = []
    for number in range(scaled(10_000, 1000)):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(min(len(data), 4096))  # the tables, before most constants
            data[position] ^= 1 << rng.randrange(8)
        files.append(tmp_path / f"{number}.tflite")
        files[-1].write_bytes(bytes(data))
    answers: dict[str, Any] = {}
    pending = [str(f) for f in files]
    while pending:
        run = subprocess.run([sys.executable, "-c", _PROBE], input="\n".join(pending), capture_output=True, text=True, check=False)
        for line in run.stdout.splitlines():
            if line.startswith("["):
                path, result = json.loads(line)
                answers[path] = result
        pending = [p for p in pending if p not in answers]
        if pending:
            answers[pending.pop(0)] = "crashed"  # the file TensorFlow died on
    accepted = 0
    for path, result in answers.items():
        model = load_model(path, None, TFLITE)
        if isinstance(result, dict):
            accepted += 1
            assert isinstance(model, ModelView) and model.tflite, (path, model)
            assert model.tflite.signature_list() == result, path
    assert accepted > len(files) // 20
