"""`siglint request`: the request it writes for every signature of every TF Serving test model
is accepted by `siglint request check` in every format, and by TensorFlow itself: the gRPC
form, read with tensorflow-serving-api's messages and turned into tensors with
`tf.make_ndarray` (or, for Classify and Regress, into serialized tf.Examples), runs the loaded
signature without error. Requests that fail get the server's message, from the sources cited."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from siglint.cli import main
from siglint.engine.options import Options
from siglint.run.requests import build_example, choose_signature, served_model

MODELS = [
    "matrix_half_plus_two", "saved_model_counter", "saved_model_half_plus_three",
    "saved_model_half_plus_two_2_versions", "saved_model_half_plus_two_cpu",
    "saved_model_half_plus_two_cpu_with_empty_saved_model_config",
    "saved_model_half_plus_two_cpu_with_saved_model_config", "saved_model_half_plus_two_gpu",
    "saved_model_half_plus_two_gpu_trt", "saved_model_half_plus_two_mkl", "saved_model_half_plus_two_mlmd",
    "saved_model_half_plus_two_tf2_cpu", "tf_text_regression",
]
SUFFIX = {"rest-row": ".json", "rest-columnar": ".json", "grpc-text": ".pbtxt"}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), stdout=out), out.getvalue()


def _signatures(testdata: Path, model: str) -> list[str]:
    served = served_model(str(testdata / model), Options())
    return [key for key, signature in served.meta_graph.signatures.items() if not signature.is_op_signature]


def _feeds(serving_api: Any, tf: Any, text: str, api: str) -> dict[str, Any]:
    from google.protobuf import text_format

    kinds = {
        "predict": serving_api.predict_pb2.PredictRequest,
        "classify": serving_api.classification_pb2.ClassificationRequest,
        "regress": serving_api.regression_pb2.RegressionRequest,
    }
    request = text_format.Parse(text, kinds[api]())
    if api == "predict":
        return {key: tf.make_ndarray(value) for key, value in request.inputs.items()}
    examples = [example.SerializeToString() for example in request.input.example_list.examples]
    return {"inputs": np.array(examples, dtype=object)}


# Signatures whose TensorInfo says one dtype where the graph's tensor has another: siglint reads
# the SignatureDef, as TF Serving does, so its request follows the TensorInfo and TensorFlow refuses
# it. TensorFlow itself says which they are (the test asserts it finds exactly these).
LYING_SIGNATURES = {("saved_model_half_plus_three", "tensorflow/serving/regress")}


def _run_signature(tf: Any, model_dir: str, tf2: bool, key: str, feeds: dict[str, Any]) -> bool:
    """The signature run by TensorFlow: a TF2 export's concrete function, or a TF1 graph's
    session fed by tensor name (with TensorFlow's own dtype checks, as the server feeds it).
    False when the signature's TensorInfo dtypes are not its graph's (nothing is run)."""
    from tensorflow.python.client import pywrap_tf_session

    if tf2:
        signature = tf.saved_model.load(model_dir).signatures[key]
        signature(**{name: tf.constant(value) for name, value in feeds.items()})
        return True
    graph = tf.Graph()
    with tf.compat.v1.Session(graph=graph) as session:
        meta_graph = tf.compat.v1.saved_model.loader.load(session, ["serve"], model_dir)
        signature = meta_graph.signature_def[key]
        tensors = {name: graph.get_tensor_by_name(signature.inputs[name].name) for name in feeds}
        if any(tensors[name].dtype.as_datatype_enum != signature.inputs[name].dtype for name in feeds):
            return False
        feed = {tensors[name]._as_tf_output(): value for name, value in feeds.items()}
        fetch = [graph.get_tensor_by_name(info.name)._as_tf_output() for info in signature.outputs.values()]
        pywrap_tf_session.TF_SessionRun_wrapper(session._session, None, feed, fetch, [], None)
    return True


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS)
def test_every_signature_gets_a_request_the_server_and_tensorflow_accept(
    serving_api: Any, tf: Any, testdata: Path, tmp_path: Path, model: str
) -> None:
    served = served_model(str(testdata / model), Options())
    for key in _signatures(testdata, model):
        example = build_example(served, choose_signature(served, key, Options()), Options().profile)
        formats = ["grpc-text"] + (["rest-row", "rest-columnar"] if example.inputs or example.api != "predict" else [])
        for fmt in formats:
            code, text = run("request", str(testdata / model), "--signature", key, "--format", fmt)
            assert code == 0, (key, fmt)
            request = tmp_path / f"{key.replace('/', '_')}-{fmt}{SUFFIX[fmt]}"
            request.write_text(text)
            code, out = run("request", "check", str(testdata / model), str(request))
            assert code == 0 and out.endswith(f"(model {model}).\n"), (key, fmt, out)
        _, text = run("request", str(testdata / model), "--signature", key, "--format", "grpc-text")
        feeds = _feeds(serving_api, tf, text, example.api)
        try:
            consistent = _run_signature(tf, served.model.path, served.meta_graph.is_tf2, key, feeds)
        except (RuntimeError, tf.errors.NotFoundError) as error:
            # TF Text's custom ops are not in TensorFlow itself: the model cannot load here.
            assert model == "tf_text_regression" and "not registered" in str(error), error
            continue
        assert consistent == ((model, key) not in LYING_SIGNATURES), (model, key)


def test_the_formats(testdata: Path) -> None:
    model = str(testdata / "saved_model_half_plus_two_cpu")
    assert json.loads(run("request", model)[1]) == {"signature_name": "serving_default", "instances": [[0.0]]}
    assert json.loads(run("request", model, "--format", "rest-columnar")[1]) == {
        "signature_name": "serving_default", "inputs": [[0.0]]}
    assert json.loads(run("request", model, "--signature", "classify_x_to_y")[1]) == {
        "signature_name": "classify_x_to_y", "examples": [{"x": 0.0, "x2": 0.0}]}
    code, curl = run("request", model, "--signature", "regress_x_to_y", "--format", "curl", "--model-name", "hp2")
    assert code == 0 and curl.startswith("curl -X POST http://localhost:8501/v1/models/hp2:regress ")
    code, text = run("request", model, "--signature", "regress_x2_to_y3")  # declared regress, fed floats
    assert code == 0 and "instances" in json.loads(text)


def test_bytes_inputs_are_base64_objects(tmp_path: Path) -> None:
    from siglint import reference

    signature = reference.predict_signature_def(
        {"image_bytes": reference.Tensor("image:0", "string", [None]), "key": reference.Tensor("key:0", "string", [None])},
        {"y": reference.Tensor("y:0", "float32", [None])},
    )
    model = reference.saved_model([reference.meta_graph_def(["serve"], {"serving_default": signature})])
    reference.write_saved_model(model, str(tmp_path / "m" / "1"), "pb")
    assert json.loads(run("request", str(tmp_path / "m"))[1])["instances"] == [{"image_bytes": {"b64": ""}, "key": ""}]


def test_signatures_rest_cannot_call(testdata: Path) -> None:
    counter = str(testdata / "saved_model_counter")
    code, text = run("request", counter, "--signature", "get_counter")
    assert code == 0 and text.startswith("model_spec {")  # gRPC: REST cannot call it without inputs
    assert run("request", counter, "--signature", "get_counter", "--format", "rest-row")[0] == 2
    assert run("request", counter)[0] == 2  # four signatures, none serving_default


# A REST body, and the JSON layer's message (tensorflow_serving/util/json_tensor.cc).
REST_CASES = {
    "not json": ("[1, 2", "JSON Parse error: "),
    "not an object": ("[1, 2]", "Is not object"),
    "no key": ('{"signature_name": "serving_default"}', "Missing 'inputs' or 'instances' key"),
    "both keys": ('{"instances": [[1.0]], "inputs": [[1.0]]}',
                  "Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist"),
    "empty instances": ('{"instances": []}', "No values in 'instances' array"),
    "ragged": ('{"instances": [[1.0], [1.0, 2.0]]}',
               "Failed to process element: 1 of 'instances' list. Error: INVALID_ARGUMENT: Expecting tensor size: 1 but got: 2"),
    "a string": ('{"instances": [["a"]]}', 'JSON Value: "a" Type: String is not of expected type: float'),
    "unknown key": ('{"instances": [{"y": [1.0]}]}', "JSON object: does not have named input: y"),
    "deep": ('{"inputs": [[1.0], [[2.0]]]}', "Encountered list at unexpected level: 2 expected < 2"),
    "signature": ('{"signature_name": 1, "instances": [[1.0]]}', "'signature_name' key must be a string value."),
    "examples": ('{"signature_name": "classify_x_to_y", "examples": []}', "'examples' value is an empty array"),
    "example kinds": ('{"signature_name": "classify_x_to_y", "examples": [{"x": [1.0, "a"]}]}',
                      "Unexpected element type in feature: x expecting type: float"),
}


@pytest.mark.parametrize("case", sorted(REST_CASES))
def test_rest_bodies_the_json_layer_refuses(testdata: Path, tmp_path: Path, case: str) -> None:
    body, message = REST_CASES[case]
    (tmp_path / "body.json").write_text(body)
    code, out = run("request", "check", str(testdata / "saved_model_half_plus_two_cpu"), str(tmp_path / "body.json"))
    assert code == 1 and " SIG053 error " in out and message in out, out


def test_grpc_requests_the_server_refuses(serving_api: Any, tf: Any, testdata: Path, tmp_path: Path) -> None:
    from google.protobuf import text_format

    model = str(testdata / "saved_model_half_plus_two_cpu")
    request = serving_api.predict_pb2.PredictRequest()
    request.model_spec.signature_name = "serving_default"
    request.inputs["x"].CopyFrom(tf.make_tensor_proto([[1]], dtype=tf.int64))
    request.output_filter.append("z")
    (tmp_path / "r.pbtxt").write_text(text_format.MessageToString(request))
    code, out = run("request", "check", model, str(tmp_path / "r.pbtxt"))
    assert code == 1
    assert "SIG047 error input 'x' is DT_INT64 where the signature's x:0 is DT_FLOAT: Expects arg[0] to be float but int64 is provided" in out
    assert "output tensor alias not found in signature: z Outputs expected to be in the set {y}." in out
    (tmp_path / "r.pb").write_bytes(request.SerializeToString())
    assert run("request", "check", model, str(tmp_path / "r.pb"))[0] == 1
    code, out = run("request", "check", model, str(tmp_path / "r.pb"), "--runtime", "tfrt")
    assert "Expected input x to be float but get int64." in out
    (tmp_path / "junk.pbtxt").write_text("not a request {")
    assert run("request", "check", model, str(tmp_path / "junk.pbtxt"))[0] == 2


def test_the_command_line_knows_the_formats_and_types() -> None:
    """The parser names them without importing the modules that define them (start-up)."""
    from siglint.cli import parser
    from siglint.report.requests import FORMATS
    from siglint.run.requests import REQUEST_TYPES

    assert parser.REQUEST_FORMATS == FORMATS and parser.REQUEST_TYPES == REQUEST_TYPES
