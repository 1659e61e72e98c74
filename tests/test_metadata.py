"""TF Serving's GetModelMetadata response, both ways.

Out: `siglint show --format metadata` equals TF Serving's own golden files
(tensorflow_serving/servables/tensorflow/testdata/*_metadata.json) and, for every TF Serving test
model and every model TensorFlow exports here, the response built as get_model_metadata_impl.cc
builds it with TF Serving's own protos (tensorflow-serving-api) and printed as
http_rest_api_util.cc's ToJsonString prints it (protobuf's JSON printer, always printing
primitive fields, with proto field names).

In: that response, as REST JSON, gRPC text format and binary, is a model to `check` (the same
signature findings as the model itself) and to `show` (the same signatures; no graph).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import TESTDATA

from siglint import lint_paths
from siglint.cli import main
from siglint.findings import Finding

GOLDEN = "metadata"


def show(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["show", *argv], stdout=out)
    return code, out.getvalue(), err.getvalue()


def metadata_of(model: Path, *flags: str) -> Any:
    code, out, err = show(str(model), "--format", "metadata", *flags)
    assert (code, err) == (0, ""), err
    return json.loads(out)


# --- out: TF Serving's golden files ---------------------------------------------------------------


def test_the_golden_of_the_two_versions_model(testdata: Path) -> None:
    golden = json.loads((testdata / GOLDEN / "saved_model_half_plus_two_2_versions_metadata.json").read_text())
    assert metadata_of(testdata / "saved_model_half_plus_two_2_versions" / "00000123") == golden


def test_the_golden_of_a_server_named_default(testdata: Path) -> None:
    """`tensorflow_model_server --model_base_path=...` without --model_name serves `default`."""
    golden = json.loads((testdata / GOLDEN / "half_plus_two_model_metadata.json").read_text())
    model = testdata / "saved_model_half_plus_two_cpu" / "00000123"
    assert metadata_of(model, "--model-name", "default") == golden


def test_the_tf2_golden(testdata: Path) -> None:
    """The TF2 golden was written for a model whose `serving_default` had no default, before
    SignatureDef had `defaults` at all for its `__saved_model_init_op` entry; today's
    saved_model_half_plus_two_tf2_cpu has a default for `x`. Everything else is equal."""
    golden = json.loads((testdata / GOLDEN / "saved_model_half_plus_two_tf2_2_versions_metadata.json").read_text())
    model = testdata / "saved_model_half_plus_two_tf2_cpu" / "00000123"
    ours = metadata_of(model, "--model-name", "saved_model_half_plus_two_2_versions")
    signatures = ours["metadata"]["signature_def"]["signature_def"]
    assert list(signatures["serving_default"]["defaults"]) == ["x"]
    signatures["serving_default"]["defaults"] = {}
    assert signatures["__saved_model_init_op"].pop("defaults") == {}
    assert "defaults" not in golden["metadata"]["signature_def"]["signature_def"]["__saved_model_init_op"]
    assert ours == golden


def test_the_layout_is_the_goldens(testdata: Path) -> None:
    """One space of indent, as protobuf's JSON printer and the golden files."""
    model = testdata / "saved_model_half_plus_two_2_versions" / "00000123"
    _, out, _ = show(str(model), "--format", "metadata")
    assert out == json.dumps(json.loads(out), indent=1) + "\n"
    assert out.startswith('{\n "model_spec": {\n  "name": "saved_model_half_plus_two_2_versions",')


# --- out and in: against TF Serving's own protos ----------------------------------------------------


def _response(serving_api: Any, model: Path, name: str, version: int) -> Any:
    """The response as get_model_metadata_impl.cc builds it: every signature of the `serve`
    MetaGraphDef (TensorFlow's own parse) in a SignatureDefMap packed into Any."""
    from tensorflow.python.saved_model import loader_impl

    get_model_metadata_pb2 = serving_api.get_model_metadata_pb2
    saved_model = loader_impl.parse_saved_model(str(model))
    meta_graph = next(mg for mg in saved_model.meta_graphs if set(mg.meta_info_def.tags) == {"serve"})
    signature_map = get_model_metadata_pb2.SignatureDefMap()
    for key, signature in meta_graph.signature_def.items():
        signature_map.signature_def[key].CopyFrom(signature)
    response = get_model_metadata_pb2.GetModelMetadataResponse()
    response.model_spec.name = name
    response.model_spec.version.value = version
    response.metadata["signature_def"].Pack(signature_map)
    return response


def _rest_json(serving_api: Any, response: Any) -> str:
    """http_rest_api_util.cc's ToJsonString: model_spec and the SignatureDefMap printed apart."""
    from google.protobuf import json_format

    options = {"preserving_proto_field_name": True, "always_print_fields_with_no_presence": True}
    signature_map = serving_api.get_model_metadata_pb2.SignatureDefMap()
    response.metadata["signature_def"].Unpack(signature_map)
    return (
        '{\n"model_spec":' + json_format.MessageToJson(response.model_spec, **options) + ",\n"
        '"metadata": {"signature_def": ' + json_format.MessageToJson(signature_map, **options) + "}\n}\n"
    )


def _models() -> list[str]:
    served = sorted(p.parent.relative_to(TESTDATA) for p in TESTDATA.glob("*/*/saved_model.pb")) if TESTDATA.is_dir() else []
    return [f"testdata/{p}" for p in served] + ["export/tf2_functions", "export/keras", "export/tf1_tags_pbtxt"]


def _model(name: str, testdata: Path, show_exports: dict[str, Path]) -> Path:
    kind, _, rest = name.partition("/")
    return testdata / rest if kind == "testdata" else show_exports[rest]


def _dumps(serving_api: Any, model: Path, folder: Path) -> dict[str, Path]:
    from google.protobuf import descriptor_pool, text_format

    response = _response(serving_api, model, "served", 7)
    dumps = {"rest.json": _rest_json(serving_api, response).encode(), "grpc.txt": text_format.MessageToString(response).encode()}
    # Printed where TF Serving's protos are not known, the Any stays packed: type_url and bytes.
    unknown = descriptor_pool.DescriptorPool()
    dumps["grpc_packed.txt"] = text_format.MessageToString(response, descriptor_pool=unknown).encode()
    dumps["grpc.bin"] = response.SerializeToString()
    for name, data in dumps.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in dumps}


def _signature_findings(findings: tuple[Finding, ...]) -> list[tuple[Any, ...]]:
    """Findings but the graph rules' (SIG8): a dump holds no graph for them to read."""
    return sorted(
        (f.code, f.severity, f.message, f.location.tags, f.location.signature, f.location.tensor, f.location.io)
        for f in findings
        if not f.code.startswith("SIG8")
    )


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", _models())
def test_metadata_is_tf_servings_and_a_dump_is_the_model(
    name: str, testdata: Path, show_exports: dict[str, Path], serving_api: Any, tmp_path: Path
) -> None:
    model = _model(name, testdata, show_exports)
    dumps = _dumps(serving_api, model, tmp_path)
    expected = json.loads(dumps["rest.json"].read_text())
    assert metadata_of(model, "--model-name", "served") | {"model_spec": expected["model_spec"]} == expected
    model_findings = _signature_findings(lint_paths([str(model)]).findings)
    _, model_text, _ = show(str(model), "--tag_set", "serve", "--signature_def", "serving_default")
    for form, dump in dumps.items():
        assert metadata_of(dump) == expected, form  # the response's own model_spec, kept
        result = lint_paths([str(dump)])
        assert [m.path for m in result.models] == [str(dump)] and result.models[0].loaded
        assert _signature_findings(result.findings) == model_findings, form
        if "serving_default" in expected["metadata"]["signature_def"]["signature_def"]:
            assert show(str(dump), "--tag_set", "serve", "--signature_def", "serving_default")[1] == model_text


def test_show_all_of_a_dump(testdata: Path, tmp_path: Path) -> None:
    golden = testdata / GOLDEN / "saved_model_half_plus_two_2_versions_metadata.json"
    code, dump_text, _ = show(str(golden), "--all")
    _, model_text, _ = show(str(testdata / "saved_model_half_plus_two_2_versions" / "00000123"), "--all")
    assert code == 0
    ops = "The MetaGraph with tag set ['serve'] contains the following ops:"
    assert [line for line in dump_text.splitlines() if not line.startswith(ops)] == [
        line for line in model_text.splitlines() if not line.startswith(ops)
    ]
    assert f"{ops} N/A (a GetModelMetadata response holds no graph)" in dump_text.splitlines()
    assert show(str(golden))[1] == "The given SavedModel contains the following tag-sets:\n'serve'\n"


def test_check_does_not_run_file_rules_on_a_dump(testdata: Path) -> None:
    from siglint.checks import rules
    from siglint.model.view import METADATA, SAVEDMODEL

    skipped = sorted(rule.code for rule in rules() if rule.judges(SAVEDMODEL) and not rule.judges(METADATA))
    assert skipped == ["SIG001", "SIG003", "SIG004", "SIG005", "SIG101"]
    out = io.StringIO()
    assert main(["check", "--show-settings", "--isolated"], stdout=out) == 0
    assert f"Not run on GetModelMetadata responses (they need the model's files): {', '.join(skipped)}" in out.getvalue()
    # A response is what the server loaded: its tag-set is whatever the server was asked for.
    golden = testdata / GOLDEN / "saved_model_half_plus_two_2_versions_metadata.json"
    from siglint import Options, Profile

    result = lint_paths([str(golden)], Options(profile=Profile(tags=("serve", "tpu"))))
    assert {f.location.tags for f in result.findings} == {("serve", "tpu")}
    assert "SIG101" not in {f.code for f in result.findings}


# --- in: what is not a response ---------------------------------------------------------------------

BAD = {
    "empty.json": (b"", "the file is empty"),
    "list.json": (b"[1, 2]", "the JSON document is not an object"),
    "no_metadata.json": (b'{"model_spec": {"name": "m"}}', 'no "metadata": {"signature_def": ...} object'),
    "error.json": (b'{ "error": "Servable not found for request: Latest(m)" }', "it is the server's error answer"),
    "wrong_type.json": (
        b'{"metadata": {"signature_def": {"@type": "type.googleapis.com/x.Y", "signature_def": {}}}}',
        "its signature_def holds a 'type.googleapis.com/x.Y'",
    ),
    "bad_field.json": (b'{"metadata": {"signature_def": {"signature_def": {"s": {"inputs": 3}}}}}', "Failed to parse"),
    "duplicate.json": (b'{"metadata": {}, "metadata": {}}', "duplicate key 'metadata'"),
    "truncated.json": (b'{"metadata": {"signature_def": {', "not valid JSON"),
    "garbage.bin": (bytes(range(256)) * 4, "as binary protobuf"),
    "text.txt": (b'model_spec { name: "m" }\n', 'its metadata has no "signature_def" entry'),
    "deep.json": (b'{"metadata": {"signature_def": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}", "not"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_what_is_not_a_response(name: str, tmp_path: Path) -> None:
    data, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = lint_paths([str(path)])
    assert [f.code for f in result.findings] == ["SIG002"]
    message = result.findings[0].message
    assert message.startswith(f"{path} is not a SavedModel, nor a TF Serving GetModelMetadata response: ")
    assert reason in message and "\n" not in message
    code, out, err = show(str(path))
    assert (code, out) == (2, "") and err == f"siglint: error: {message}\n"


def test_a_huge_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(65 * 2**20)
    result = lint_paths([str(path)])
    assert "over the limit of 67108864" in result.findings[0].message
