"""Warmup files (`assets.extra/tf_serving_warmup_requests`) written as users write them, with
`tf.io.TFRecordWriter` and tensorflow-serving-api's messages, give exactly the findings each
case expects; where TensorFlow can say what the server would (a record's framing, a dtype the
graph refuses), siglint's message is held to TensorFlow's."""

from __future__ import annotations

import json
import re
import shutil
import struct
from pathlib import Path
from typing import Any

import pytest

from siglint import checks
from siglint.cli import main
from siglint.io import crc32c, tfrecord
from siglint.serving import constants

MODEL = "saved_model_half_plus_two_cpu"  # TF1: serving_default x:FLOAT(-1,1), classify_x_to_y, regress_x_to_y, ...
DEPLOYMENT_CODES = {e.code for e in checks.entries() if 41 <= int(e.code[3:]) <= 69}


@pytest.fixture()
def model(testdata: Path, tmp_path: Path) -> Path:
    """A copy of a TF Serving test model's version folder, to put warmup files in."""
    target = tmp_path / "hp2" / "1"
    shutil.copytree(testdata / MODEL / "00000123", target)
    (target / "assets.extra").mkdir(exist_ok=True)
    return target


def _predict(api: Any, tf: Any, signature: str = "serving_default", **inputs: Any) -> Any:
    request = api.predict_pb2.PredictRequest()
    request.model_spec.name, request.model_spec.signature_name = "hp2", signature
    for key, value in inputs.items():
        request.inputs[key].CopyFrom(value if hasattr(value, "dtype") and hasattr(value, "tensor_shape") else tf.make_tensor_proto(value))
    return api.prediction_log_pb2.PredictionLog(predict_log=api.prediction_log_pb2.PredictLog(request=request))


def _examples(api: Any, kind: str, signature: str, count: int = 1) -> Any:
    request = getattr(api, f"{'classification' if kind == 'classify' else 'regression'}_pb2")
    request = request.ClassificationRequest() if kind == "classify" else request.RegressionRequest()
    request.model_spec.signature_name = signature
    for _ in range(count):
        request.input.example_list.examples.add().features.feature["x"].float_list.value.append(1.0)
    log = api.prediction_log_pb2
    wrapper = log.ClassifyLog(request=request) if kind == "classify" else log.RegressLog(request=request)
    return log.PredictionLog(**{f"{kind}_log": wrapper})


def _write(tf: Any, model: Path, logs: list[Any]) -> Path:
    path = model / "assets.extra" / constants.WARMUP_FILENAME
    with tf.io.TFRecordWriter(str(path)) as writer:
        for log in logs:
            writer.write(log.SerializeToString())
    return path


def _findings(model: Path, *flags: str) -> list[dict[str, Any]]:
    import io

    out = io.StringIO()
    main(["check", "--format", "json", "--isolated", *flags, str(model)], stdout=out)
    return [f for f in json.loads(out.getvalue())["findings"] if f["code"] in DEPLOYMENT_CODES]


def _codes(findings: list[dict[str, Any]]) -> list[tuple[str, str | None, str | None]]:
    return sorted((f["code"], f["signature"], f["tensor"]) for f in findings)


def test_a_good_warmup_file_passes(serving_api: Any, tf: Any, model: Path) -> None:
    api = serving_api
    multi = api.inference_pb2.MultiInferenceRequest()
    for key, method in (("classify_x_to_y", "tensorflow/serving/classify"), ("regress_x_to_y", "tensorflow/serving/regress")):
        task = multi.tasks.add(method_name=method)
        task.model_spec.name, task.model_spec.signature_name = "hp2", key
    multi.input.example_list.examples.add().features.feature["x"].float_list.value.append(1.0)
    _write(tf, model, [
        _predict(api, tf, x=tf.constant([[1.0], [2.0]])),
        _examples(api, "classify", "classify_x_to_y", 2),
        _examples(api, "regress", "regress_x_to_y"),
        api.prediction_log_pb2.PredictionLog(multi_inference_log=api.prediction_log_pb2.MultiInferenceLog(request=multi)),
    ])
    assert _findings(model) == []


def test_each_broken_record_is_found_and_named(serving_api: Any, tf: Any, model: Path) -> None:
    api = serving_api
    _write(tf, model, [
        _predict(api, tf, x=[[1.0]]),                      # record 1: good
        _predict(api, tf, inputs=[[1.0]]),                 # record 2: bad key
        _predict(api, tf, x=[["a"]]),                      # record 3: bad dtype
        _predict(api, tf, signature="predict", x=[[1.0]]),  # record 4: bad signature
        _examples(api, "classify", "serving_default"),    # record 5: Classify on a Predict signature
        _examples(api, "regress", "regress_x_to_y", 0),   # record 6: no examples
    ])
    findings = _findings(model)
    assert _codes(findings) == [
        ("SIG045", "predict", None),
        ("SIG046", "serving_default", "x"),
        ("SIG047", "serving_default", "x"),
        ("SIG050", "serving_default", None),
        ("SIG050", "serving_default", None),
        ("SIG051", "regress_x_to_y", None),
    ]
    by_code = {f["code"]: f["message"] for f in findings}
    assert by_code["SIG046"].startswith(f"{constants.WARMUP_PATH} record 2: Signature input alias: x(feed name: x:0) "
                                        "not found in request and no default value provided.")
    assert by_code["SIG045"] == f'{constants.WARMUP_PATH} record 4: Serving signature key "predict" not found.'
    assert by_code["SIG051"].startswith(f"{constants.WARMUP_PATH} record 6: Input is empty.")
    assert "Expected classification signature outputs to contain at least one of \"classes\" or \"scores\"" in " ".join(
        f["message"] for f in findings if f["code"] == "SIG050"
    )


def test_a_dtype_the_graph_refuses_fails_as_tensorflow_fails(serving_api: Any, tf: Any, testdata: Path, model: Path) -> None:
    """The oracle: the record's tensor fed to the model's signature in a TensorFlow session."""
    from tensorflow.python.client import pywrap_tf_session

    api = serving_api
    log = _predict(api, tf, x=[["a"]])
    _write(tf, model, [log])
    (finding,) = _findings(model)
    graph = tf.Graph()
    with tf.compat.v1.Session(graph=graph) as session:
        meta_graph = tf.compat.v1.saved_model.loader.load(session, ["serve"], str(model))
        signature = meta_graph.signature_def["serving_default"]
        feed = {graph.get_tensor_by_name(signature.inputs["x"].name)._as_tf_output():
                tf.make_ndarray(log.predict_log.request.inputs["x"])}
        fetch = [graph.get_tensor_by_name(signature.outputs["y"].name)._as_tf_output()]
        with pytest.raises(tf.errors.InvalidArgumentError) as raised:
            pywrap_tf_session.TF_SessionRun_wrapper(session._session, None, feed, fetch, [], None)
    assert finding["message"].endswith(": " + raised.value.message.split("\n")[0])


def test_framing_errors_say_what_tensorflows_reader_says(serving_api: Any, tf: Any, model: Path) -> None:
    path = _write(tf, model, [_predict(serving_api, tf, x=[[1.0]])] * 3)
    good = path.read_bytes()
    for name, data in {"corrupt CRC": good[:20] + bytes([good[20] ^ 1]) + good[21:], "truncated": good[:-7]}.items():
        path.write_bytes(data)
        (finding,) = _findings(model)
        with pytest.raises(tf.errors.DataLossError) as raised:
            list(tf.data.TFRecordDataset(str(path)))
        reader = re.sub(r"^\{\{function_node [^}]*\}\} ", "", raised.value.message).split(" [Op:")[0]
        assert finding["code"] == "SIG041", name
        assert reader + ". Please verify your warmup data is in TFRecord format." in finding["message"], name


def test_a_file_that_is_not_tfrecord_is_one_finding(model: Path) -> None:
    (model / "assets.extra" / constants.WARMUP_FILENAME).write_text('{"instances": [[1.0]]}\n')
    assert _codes(_findings(model)) == [("SIG041", None, None)]


def test_records_that_are_not_prediction_logs(model: Path) -> None:
    (model / "assets.extra" / constants.WARMUP_FILENAME).write_bytes(tfrecord.frame(b"\x0c") + tfrecord.frame(b"\xff"))
    findings = _findings(model)
    assert [(f["code"], f["message"].split(":")[0]) for f in findings] == [
        ("SIG042", f"{constants.WARMUP_PATH} record 1"), ("SIG042", f"{constants.WARMUP_PATH} record 2"),
    ]


def test_the_servers_record_limit(serving_api: Any, tf: Any, model: Path) -> None:
    record = _predict(serving_api, tf, x=[[1.0]])
    _write(tf, model, [record] * constants.MAX_WARMUP_RECORDS)
    assert _findings(model) == []
    _write(tf, model, [record] * (constants.MAX_WARMUP_RECORDS + 1))
    assert _codes(_findings(model)) == [("SIG043", None, None)]


def test_log_types_the_warmup_does_not_run(serving_api: Any, model: Path, tf: Any) -> None:
    log = serving_api.prediction_log_pb2
    assert {name: log.PredictionLog.DESCRIPTOR.fields_by_name[name].number for name in constants.LOG_TYPE_NUMBERS} == (
        constants.LOG_TYPE_NUMBERS
    )
    _write(tf, model, [log.PredictionLog(session_run_log=log.SessionRunLog()), log.PredictionLog()])
    findings = _findings(model)
    assert [(f["code"], f["severity"]) for f in findings] == [("SIG044", "error"), ("SIG044", "info")]
    assert findings[0]["message"].endswith("Unsupported log_type for warmup: 5")
    tfrt = _findings(model, "--runtime", "tfrt")
    assert [(f["code"], f["severity"]) for f in tfrt] == [("SIG044", "error"), ("SIG044", "error")]
    assert _findings(model, "--no-model-warmup") == []


def test_hostile_files_are_bounded_and_nothing_is_written(model: Path) -> None:
    path = model / "assets.extra" / constants.WARMUP_FILENAME
    length = struct.pack("<Q", 2**63)
    path.write_bytes(length + struct.pack("<I", crc32c.masked_value(length)) + b"\0" * 64)
    assert _codes(_findings(model)) == [("SIG041", None, None)]
    path.write_bytes(tfrecord.frame(b"\x0c") * 1_000_000)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in model.rglob("*")}
    findings = _findings(model)
    assert sorted({f["code"] for f in findings}) == ["SIG042", "SIG043"]
    # The first 10 SIG042 findings, one that counts the other 991 (the engine's cap), SIG043.
    assert len(findings) == 12
    assert any(f["message"].startswith(f"and {constants.MAX_WARMUP_RECORDS + 1 - 10} more SIG042 findings") for f in findings)
    assert {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in model.rglob("*")} == before

